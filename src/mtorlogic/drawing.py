"""Pictures of a model's signed interaction graph, drawn without Graphviz (SVG, PNG).

:func:`draw` lays out any subset of a model's nodes and writes an SVG (text, built here) or
a PNG (through :class:`matplotlib.figure.Figure`, no global backend switch). What it shows:

- **signed edges**: ``→`` activation (green, arrowhead), ``⊣`` inhibition (red, bar), and
  grey with a dot where a regulator acts both ways depending on context; only regulators that
  can change a node's update function are drawn (:meth:`Model.interaction_graph`);
- **AND-gates**: each term of a rule's minimised disjunctive normal form that needs several
  regulators at once is a small ``&`` glyph above the node where their edges meet (the
  node is the OR of its gates and direct edges), so ``A & !B`` reads differently from
  ``A | !B``;
- **values**: node fill by value: on, off, oscillates, mixed (the attractors differ) or
  unknown (no value given);
- **pathway parts**: nodes boxed by part. For a native ``.rules`` file the parts are the
  section headers of the file (a comment line between two dashed lines, as in
  ``rules/mtor.rules``); other models are one part unless ``groups`` says otherwise.

Layout (pure Python): parts are arranged in rows by the flow between them (a longest-path
layering of the part graph, keeping only edges that go forward in file order); inside each
part nodes are layered Sugiyama-style: cycles broken by a depth-first search, longest-path
layers, barycentre ordering sweeps to reduce crossings, long layers wrapped into rows.
Everything is deterministic: the same model and options give the same picture.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from .errors import InputError, LimitExceeded
from .model import Model

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

MAX_NODES = 400
"""More nodes than this in one picture is unreadable and slow: pass a subset instead."""

FILL = {"on": "#66bb6a", "off": "#eceff1", "oscillates": "#ffca28", "mixed": "#ba68c8",
        "unknown": "#ffffff"}
"""Node fill by value."""
EDGE = {1: "#2e7d32", -1: "#c62828", 0: "#757575"}
"""Edge colour by sign: activation, inhibition, both."""
HIGHLIGHT = "#1565c0"
FONT = 11.0
NODE_HEIGHT = 22.0
LAYER_GAP = 62.0
NODE_GAP = 14.0
ROW_WIDTH = 560.0
PART_PAD = 16.0
PART_TITLE = 18.0
PART_GAP = 36.0
MARGIN = 20.0
LEGEND = 30.0


# -- values --------------------------------------------------------------------------------

def value_class(value: object) -> str:
    """The colour class of a node value: ``1``/``"on"`` -> on, ``0``/``"off"`` -> off,
    ``"*"``/``"oscillates"`` -> oscillates, ``"mixed"`` -> mixed, ``None`` -> unknown.
    :class:`mtorlogic.outcomes.Status` values count as their text.

    :raises InputError: for anything else.
    """
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "on" if value else "off"
    text = str(value.value if hasattr(value, "value") else value)
    classes = {"1": "on", "on": "on", "0": "off", "off": "off", "*": "oscillates",
               "oscillates": "oscillates", "mixed": "mixed", "unknown": "unknown"}
    if text not in classes:
        raise InputError(f"cannot colour a node by value {value!r}; use 0, 1, '*', on, off, "
                         "oscillates or mixed")
    return classes[text]


# -- pathway parts -------------------------------------------------------------------------

_RULE_LINE = re.compile(r"^\s*#\s*-{10,}\s*$")


def parts(model: Model) -> dict[str, str]:
    """Each node's pathway part: the section header its rule sits under in a native
    ``.rules`` source (a ``#`` comment line between two dashed comment lines), else
    ``model.name`` for every node. Nodes defined before the first header are in part
    ``"other"``."""
    sections: list[tuple[int, str]] = []
    source = model.source
    if source and source.endswith(".rules") and Path(source).is_file():
        lines = Path(source).read_text(encoding="utf-8").splitlines()
        number = 0
        while number < len(lines):  # a header: comment lines between two dashed lines
            if _RULE_LINE.match(lines[number]):
                end = next((k for k in range(number + 1, min(len(lines), number + 5))
                            if _RULE_LINE.match(lines[k])), None)
                if end is not None and end > number + 1:
                    title = lines[number + 1].lstrip("#").strip()
                    sections.append((number + 2, _short_title(title)))
                    number = end
            number += 1
    if not sections:
        return dict.fromkeys(model.names, model.name)
    out = {}
    for node in model.nodes:
        title = "other"
        for line, header in sections:
            if node.line is not None and line <= node.line:
                title = header
        out[node.name] = title
    return out


def _short_title(title: str) -> str:
    """A header shortened to its first clause: ``B. Growth-factor axis: insulin...`` ->
    ``B. Growth-factor axis``; ``Environment inputs (1 = present...)`` -> ``Environment
    inputs``."""
    for cut in (":", " (", ".  "):
        head = title.split(cut)[0]
        if len(head) >= 3:
            title = head
    return title.strip()


# -- the graph to draw ---------------------------------------------------------------------

@dataclass(frozen=True)
class Edge:
    """One drawn edge: ``source`` to ``target`` with ``sign`` (+1, -1, 0); ``gate`` is the
    index of the AND-gate of ``target`` it enters, or ``None`` for a direct edge."""

    source: str
    target: str
    sign: int
    gate: int | None = None


@dataclass(frozen=True)
class Graph:
    """The nodes, AND-gates (per target, each a tuple of its input names) and edges drawn."""

    nodes: tuple[str, ...]
    gates: Mapping[str, tuple[tuple[str, ...], ...]]
    edges: tuple[Edge, ...]


MAX_GATES = 4
"""A rule whose disjunctive normal form has more terms than this is drawn with direct
edges only: that many gates above one node would not be readable."""
MAX_GATE_REGULATORS = 16
"""A rule reading more nodes than this is drawn with direct edges only (its normal form is
not computed: it may have exponentially many terms)."""


def signed_graph(model: Model, nodes: Iterable[str] | None = None) -> Graph:
    """The part of ``model``'s signed interaction graph among ``nodes`` (default all), with
    AND-gates.

    Each rule is put in an irredundant disjunctive normal form (from its BDD, :func:`_cover`).
    When it has at most :data:`MAX_GATES` terms, every term with two or more drawn literals
    becomes a gate (the node is the OR of its gates and its direct regulators): the term's
    regulators' edges enter the gate, signed by their literal. The remaining regulators,
    and all of a rule with more terms, get direct edges signed as in
    :meth:`~mtorlogic.model.Model.interaction_graph` (+1, -1, or 0 when a regulator acts
    both ways). Literals of nodes not drawn are left out of the gates.

    :raises InputError: for an unknown node name (with a suggestion).
    """
    from .logic import FunctionAlgebra

    chosen = _check_nodes(model, nodes)
    shown = set(chosen)
    inputs = set(model.inputs)  # an input's rule is itself: no self-loop drawn
    signs = {(u, v): data["sign"] for u, v, data in model.interaction_graph().edges(data=True)
             if not (u == v and u in inputs)}
    algebra = FunctionAlgebra(model.names)
    gates: dict[str, tuple[tuple[str, ...], ...]] = {}
    edges: list[Edge] = []
    for name in chosen:
        regulators = sorted(u for u in shown if (u, name) in signs)
        if not regulators:
            continue
        # rules reading many nodes can have exponentially many terms: no gates for them
        terms = (_cover(algebra, model.node(name).function)
                 if len(model.node(name).regulators) <= MAX_GATE_REGULATORS else [])
        mine: list[tuple[str, ...]] = []
        for term in (terms if len(terms) <= MAX_GATES else []):
            used = sorted(v for v in term if v in shown and (v, name) in signs)
            if len(used) >= 2:
                for regulator in used:
                    edges.append(Edge(regulator, name, 1 if term[regulator] else -1, len(mine)))
                mine.append(tuple(used))
        gated = {r for gate in mine for r in gate}
        edges.extend(Edge(r, name, signs[(r, name)]) for r in regulators if r not in gated)
        if mine:
            gates[name] = tuple(mine)
    return Graph(tuple(chosen), gates, tuple(edges))


def _cover(algebra, function) -> list[dict[str, int]]:
    """An irredundant disjunctive normal form of ``function``: the BDD's prime implicants,
    dropping (last first) each one the remaining terms already cover, so ``a & b | !a & c``
    keeps its two terms and loses the consensus ``b & c``."""
    terms = algebra.dnf(algebra.bdd(function))
    if len(terms) > 4 * MAX_GATES:  # too many to draw as gates anyway: skip the cover
        return terms
    variables = algebra.variables

    def clause(term: dict[str, int]):
        return variables.mk_conjunctive_clause({f"v{algebra.index[n]}": bool(v)
                                                for n, v in term.items()})

    kept = list(terms)
    for term in reversed(terms):
        others = [t for t in kept if t is not term]
        if not others:
            break
        union = variables.mk_false()
        for other in others:
            union = union.l_or(clause(other))
        if clause(term).l_and_not(union).is_false():
            kept = others
    return kept


def _check_nodes(model: Model, nodes: Iterable[str] | None) -> list[str]:
    if nodes is None:
        chosen = list(model.names)
    else:
        import difflib

        chosen = []
        for name in nodes:
            if name not in model:
                close = difflib.get_close_matches(name, model.names, n=1, cutoff=0.6)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise InputError(f"unknown node {name!r}{hint} in model "
                                 f"{model.name}")  # its name: a path would vary
            if name not in chosen:
                chosen.append(name)
    if not chosen:
        raise InputError("nothing to draw: no nodes chosen")
    return chosen


def neighbourhood(model: Model, nodes: Iterable[str], depth: int) -> list[str]:
    """``nodes`` and every node within ``depth`` steps of them in the interaction graph
    (either direction), in model order."""
    chosen = set(_check_nodes(model, nodes))
    graph = model.interaction_graph().to_undirected(as_view=True)
    frontier = set(chosen)
    for _ in range(max(0, depth)):
        frontier = {n for f in frontier for n in graph.neighbors(f)} - chosen
        chosen |= frontier
    return [name for name in model.names if name in chosen]


# -- layout --------------------------------------------------------------------------------

@dataclass
class _Box:
    """A laid-out rectangle: centre ``x``, top ``y``, width ``w``, height ``h``."""

    x: float
    y: float
    w: float
    h: float

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass
class Layout:
    """Where everything goes: node boxes, gate centres and part boxes (``x`` is a box's
    left edge for parts), and the canvas size."""

    nodes: dict[str, _Box]
    gates: dict[tuple[str, int], tuple[float, float]]
    parts: dict[str, _Box]
    width: float
    height: float


def _text_width(text: str, size: float = FONT) -> float:
    return 0.62 * size * len(text)


def _node_width(name: str) -> float:
    return max(34.0, _text_width(name) + 12.0)


def _layered(names: list[str], edges: list[tuple[str, str]]) -> list[list[str]]:
    """Rows of ``names``, top to bottom: Sugiyama-style layering of the graph ``edges``
    restricted to ``names``. Cycles are broken by reversing the back edges of a depth-first
    search from the sources (then every node, in the given order); layers are longest paths;
    sources sit just above their first successor; eight barycentre sweeps order each layer;
    layers wider than ``ROW_WIDTH`` wrap. O(sweeps × edges + nodes log nodes)."""
    inside = set(names)
    successors: dict[str, list[str]] = {n: [] for n in names}
    predecessors: dict[str, list[str]] = {n: [] for n in names}
    for u, v in edges:
        if u in inside and v in inside and u != v and v not in successors[u]:
            successors[u].append(v)
            predecessors[v].append(u)
    # cycle breaking: DFS, edges into a node on the stack are back edges
    state: dict[str, int] = {}
    back: set[tuple[str, str]] = set()
    order = [n for n in names if not predecessors[n]] + names
    for root in order:
        if root in state:
            continue
        stack = [(root, iter(successors[root]))]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            for child in children:
                if state.get(child) == 1:
                    back.add((node, child))
                elif child not in state:
                    state[child] = 1
                    stack.append((child, iter(successors[child])))
                    break
            else:
                state[node] = 2
                stack.pop()
    forward = {n: [v for v in successors[n] if (n, v) not in back] for n in names}
    backward = {n: [u for u in predecessors[n] if (u, n) not in back] for n in names}
    layer: dict[str, int] = {}
    pending = {n: len(backward[n]) for n in names}
    queue = [n for n in names if pending[n] == 0]
    for n in queue:
        layer.setdefault(n, 0)
    while queue:  # Kahn's order over the acyclic forward edges
        node = queue.pop(0)
        for child in forward[node]:
            layer[child] = max(layer.get(child, 0), layer[node] + 1)
            pending[child] -= 1
            if pending[child] == 0:
                queue.append(child)
    for n in names:
        if not backward[n] and forward[n]:  # sources sit just above their first target
            layer[n] = max(0, min(layer[v] for v in forward[n]) - 1)
    depth = max(layer.values()) + 1
    layers: list[list[str]] = [[] for _ in range(depth)]
    for n in names:
        layers[layer[n]].append(n)
    position = {n: i for row in layers for i, n in enumerate(row)}

    def sweep(rows: Sequence[list[str]], neighbours: dict[str, list[str]]) -> None:
        for row in rows:
            keys = {}
            for n in row:  # mean relative position of the neighbours, else stay put
                linked = [position[m] / max(1, len(layers[layer[m]]) - 1)
                          for m in neighbours[n] if m in position]
                own = position[n] / max(1, len(row) - 1)
                keys[n] = (sum(linked) / len(linked) if linked else own, position[n])
            row.sort(key=keys.__getitem__)
            for i, n in enumerate(row):
                position[n] = i

    for _ in range(4):
        sweep(layers[1:], predecessors)
        sweep(layers[-2::-1], successors)
    rows: list[list[str]] = []
    for row in layers:
        current: list[str] = []
        width = 0.0
        for n in row:
            w = _node_width(n) + NODE_GAP
            if current and width + w > ROW_WIDTH:
                rows.append(current)
                current, width = [], 0.0
            current.append(n)
            width += w
        if current:
            rows.append(current)
    return rows


def layout(graph: Graph, groups: Mapping[str, str] | None = None) -> Layout:
    """Positions for ``graph``'s nodes, gates and parts (``groups``: node -> part title;
    ``None`` draws one part without a box). Parts keep their first-seen order in
    ``graph.nodes``; see the module docstring for the method."""
    grouping = {n: (groups or {}).get(n, "") for n in graph.nodes}
    titles: list[str] = []
    for n in graph.nodes:
        if grouping[n] not in titles:
            titles.append(grouping[n])
    pairs = [(e.source, e.target) for e in graph.edges]
    inner: dict[str, tuple[list[list[str]], float, float]] = {}
    for title in titles:
        members = [n for n in graph.nodes if grouping[n] == title]
        rows = _layered(members, pairs)
        width = max(sum(_node_width(n) + NODE_GAP for n in row) - NODE_GAP for row in rows)
        if len(titles) > 1:  # the box is at least as wide as its title
            width = max(width, _text_width(title, 10.0) + 16.0 - 2 * PART_PAD)
        height = len(rows) * NODE_HEIGHT + (len(rows) - 1) * (LAYER_GAP - NODE_HEIGHT)
        inner[title] = (rows, width, height)
    # rows of parts: longest path over part edges that go forward in first-seen order
    rank = {t: i for i, t in enumerate(titles)}
    level = dict.fromkeys(titles, 0)
    for title in titles:
        for u, v in pairs:
            a, b = grouping.get(u), grouping.get(v)
            if b == title and a is not None and rank[a] < rank[b]:
                level[title] = max(level[title], level[a] + 1)
    boxed = len(titles) > 1
    pad = PART_PAD if boxed else 0.0
    top_pad = PART_TITLE + pad if boxed else 0.0
    bands: dict[int, list[str]] = {}
    for title in titles:
        bands.setdefault(level[title], []).append(title)
    nodes: dict[str, _Box] = {}
    part_boxes: dict[str, _Box] = {}
    band_widths = {k: sum(inner[t][1] + 2 * pad for t in band) + PART_GAP * (len(band) - 1)
                   for k, band in bands.items()}
    canvas_width = max(band_widths.values()) + 2 * MARGIN
    y = MARGIN + LEGEND
    for k in sorted(bands):
        x = MARGIN + (canvas_width - 2 * MARGIN - band_widths[k]) / 2
        band_height = 0.0
        for title in bands[k]:
            rows, width, height = inner[title]
            box = _Box(x, y, width + 2 * pad, height + top_pad + pad)
            part_boxes[title] = box
            for r, row in enumerate(rows):
                row_width = sum(_node_width(n) + NODE_GAP for n in row) - NODE_GAP
                left = x + pad + (width - row_width) / 2
                top = y + top_pad + r * LAYER_GAP
                for n in row:
                    w = _node_width(n)
                    nodes[n] = _Box(left + w / 2, top, w, NODE_HEIGHT)
                    left += w + NODE_GAP
            x += box.w + PART_GAP
            band_height = max(band_height, box.h)
        y += band_height + PART_GAP
    gates: dict[tuple[str, int], tuple[float, float]] = {}
    for target, gate_inputs in graph.gates.items():
        box = nodes[target]
        count = len(gate_inputs)
        for i in range(count):
            offset = (i - (count - 1) / 2) * min(18.0, box.w / max(1, count))
            gates[(target, i)] = (box.x + offset, box.y - 16.0)
    return Layout(nodes, gates, part_boxes if boxed else {}, canvas_width,
                  y - PART_GAP + MARGIN)


# -- the scene: primitives both renderers draw ---------------------------------------------

@dataclass(frozen=True)
class _Shape:
    kind: str  # rect, curve, poly, line, circle, text
    points: tuple[tuple[float, float], ...]
    fill: str = "none"
    stroke: str = "none"
    width: float = 1.0
    text: str = ""
    size: float = FONT
    anchor: str = "middle"
    bold: bool = False
    dash: bool = False
    radius: float = 0.0
    opacity: float = 1.0
    css: str = ""
    data: tuple[tuple[str, str], ...] = ()
    tooltip: str = ""


@dataclass
class _Scene:
    width: float
    height: float
    shapes: list[_Shape] = field(default_factory=list)


def _curve(start: tuple[float, float], end: tuple[float, float]
           ) -> tuple[tuple[float, float], ...]:
    """A cubic Bézier from a source's bottom to a target's top: vertical tangents, with a
    wider swing when the target is not below the source (feedback edges)."""
    (x1, y1), (x2, y2) = start, end
    dy = y2 - y1
    if dy > 20:
        return ((x1, y1), (x1, y1 + dy * 0.45), (x2, y2 - dy * 0.45), (x2, y2))
    swing = 45.0 + min(80.0, abs(dy) * 0.3)
    side = 25.0 if x2 >= x1 else -25.0
    return ((x1, y1), (x1 + side, y1 + swing), (x2 - side, y2 - swing), (x2, y2))


def _head(curve: tuple[tuple[float, float], ...], sign: int, colour: str,
          width: float, opacity: float) -> _Shape:
    """The end glyph of an edge along its final tangent: a triangle for activation, a bar
    for inhibition, a dot for a dual edge."""
    (x2, y2), (cx, cy) = curve[3], curve[2]
    length = math.hypot(x2 - cx, y2 - cy) or 1.0
    ux, uy = (x2 - cx) / length, (y2 - cy) / length
    if sign == 1:
        back = (x2 - 7 * ux, y2 - 7 * uy)
        return _Shape("poly", ((x2, y2), (back[0] - 3.5 * uy, back[1] + 3.5 * ux),
                               (back[0] + 3.5 * uy, back[1] - 3.5 * ux)),
                      fill=colour, opacity=opacity)
    if sign == -1:
        return _Shape("line", ((x2 - 5 * uy, y2 + 5 * ux), (x2 + 5 * uy, y2 - 5 * ux)),
                      stroke=colour, width=width + 1.2, opacity=opacity)
    return _Shape("circle", ((x2 - 3 * ux, y2 - 3 * uy),), fill=colour, radius=3.0,
                  opacity=opacity)


def _scene(model: Model, graph: Graph, where: Layout, classes: Mapping[str, str],
           highlight: set[tuple[str, str]], title: str | None) -> _Scene:
    scene = _Scene(where.width, where.height)
    shapes = scene.shapes
    for name, box in where.parts.items():
        shapes.append(_Shape("rect", ((box.x, box.y), (box.x + box.w, box.bottom)),
                             fill="#fafafa", stroke="#cfd8dc", radius=8.0, css="part",
                             data=(("part", name),)))
    dimmed = bool(highlight)
    phases = [len(shapes)]
    for edge in graph.edges:
        source, target = where.nodes[edge.source], where.nodes[edge.target]
        if edge.gate is not None:
            end = where.gates[(edge.target, edge.gate)]
            end = (end[0], end[1] - 5.0)
        else:
            end = (target.x, target.y)
        curve = _curve((source.x, source.bottom), end)
        lit = (edge.source, edge.target) in highlight
        colour = HIGHLIGHT if lit else EDGE[edge.sign]
        width = 2.4 if lit else 1.1
        opacity = 1.0 if lit or not dimmed else 0.35
        data = (("source", edge.source), ("target", edge.target), ("sign", str(edge.sign)))
        shapes.append(_Shape("curve", curve, stroke=colour, width=width, opacity=opacity,
                             css="edge highlighted" if lit else "edge", data=data))
        shapes.append(_head(curve, edge.sign, colour, width, opacity))
    phases.append(len(shapes))
    for (gated, index), (gx, gy) in where.gates.items():
        inputs = graph.gates[gated][index]
        lit = any((regulator, gated) in highlight for regulator in inputs)
        colour = HIGHLIGHT if lit else "#37474f"
        below = where.nodes[gated]
        shapes.append(_Shape("line", ((gx, gy + 5.0), (below.x + (gx - below.x) * 0.5, below.y)),
                             stroke=colour, width=2.0 if lit else 1.1))
        shapes.append(_Shape("circle", ((gx, gy),), fill="#ffffff", stroke=colour,
                             radius=5.5, width=1.2, css="gate",
                             data=(("target", gated), ("inputs", " ".join(inputs)))))
        shapes.append(_Shape("text", ((gx, gy + 3.0),), text="&", size=8.0, fill=colour,
                             bold=True))
    for name, box in where.parts.items():  # part titles above the edges that cross them
        shapes.append(_Shape("rect", ((box.x + 4, box.y + 3),
                                      (box.x + 12 + _text_width(name, 10.0), box.y + 17)),
                             fill="#fafafa", radius=3.0, opacity=0.85))
        shapes.append(_Shape("text", ((box.x + 8, box.y + 13),), text=name, size=10.0,
                             anchor="start", bold=True, fill="#546e7a", css="part-title"))
    phases.append(len(shapes))
    for name in graph.nodes:
        box = where.nodes[name]
        value = classes.get(name, "unknown")
        node = model.node(name)
        tip = f"{name}: {node.description}" if node.description else name
        on_path = any(name in pair for pair in highlight)
        shapes.append(_Shape("rect", ((box.x - box.w / 2, box.y), (box.x + box.w / 2, box.bottom)),
                             fill=FILL[value], stroke=HIGHLIGHT if on_path else "#455a64",
                             width=2.0 if on_path else 1.0, radius=5.0,
                             dash=value == "unknown", css=f"node {value}",
                             data=(("node", name), ("value", value)), tooltip=tip))
        shapes.append(_Shape("text", ((box.x, box.y + NODE_HEIGHT / 2 + FONT * 0.36),),
                             text=name, fill="#212121", css="label",
                             data=(("node", name),)))
    phases.append(len(shapes))
    # within each layer (edges, gates, nodes) one kind after another: the PNG renderer then
    # draws each kind of a layer as one collection
    order = {kind: i for i, kind in enumerate(("rect", "curve", "line", "poly", "circle", "text"))}
    for first, last in pairwise(phases):
        shapes[first:last] = sorted(shapes[first:last], key=lambda shape: order[shape.kind])
    _legend(scene, title)
    return scene


def _legend(scene: _Scene, title: str | None) -> None:
    x, y = MARGIN, MARGIN + 4
    shapes = scene.shapes
    if title:
        shapes.append(_Shape("text", ((x, y + 4),), text=title, size=12.0, anchor="start",
                             bold=True, fill="#212121", css="title"))
        x += _text_width(title, 12.0) + 24
    for value in ("on", "off", "oscillates", "mixed", "unknown"):
        shapes.append(_Shape("rect", ((x, y - 6), (x + 18, y + 6)), fill=FILL[value],
                             stroke="#455a64", radius=3.0, dash=value == "unknown"))
        shapes.append(_Shape("text", ((x + 23, y + 4),), text=value, size=10.0,
                             anchor="start", fill="#424242"))
        x += 30 + _text_width(value, 10.0)
    for sign, label in ((1, "activates"), (-1, "inhibits"), (0, "both")):
        curve = ((x, y), (x + 10, y), (x + 18, y), (x + 26, y))
        shapes.append(_Shape("curve", curve, stroke=EDGE[sign], width=1.3))
        shapes.append(_head(curve, sign, EDGE[sign], 1.3, 1.0))
        shapes.append(_Shape("text", ((x + 31, y + 4),), text=label, size=10.0,
                             anchor="start", fill="#424242"))
        x += 40 + _text_width(label, 10.0)
    shapes.append(_Shape("circle", ((x + 6, y),), fill="#ffffff", stroke="#37474f",
                         radius=5.5, width=1.2))
    shapes.append(_Shape("text", ((x + 6, y + 3),), text="&", size=8.0, fill="#37474f",
                         bold=True))
    shapes.append(_Shape("text", ((x + 16, y + 4),), text="all inputs needed", size=10.0,
                         anchor="start", fill="#424242"))
    scene.width = max(scene.width, x + 16 + _text_width("all inputs needed", 10.0) + MARGIN)


# -- renderers -----------------------------------------------------------------------------

def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg(scene: _Scene) -> str:
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" width="{_number(scene.width)}" '
            f'height="{_number(scene.height)}" viewBox="0 0 {_number(scene.width)} '
            f'{_number(scene.height)}" font-family="DejaVu Sans, Arial, sans-serif">'),
           '<rect width="100%" height="100%" fill="#ffffff"/>']
    for s in scene.shapes:
        attributes = []
        if s.css:
            attributes.append(f'class="{s.css}"')
        attributes += [f'data-{k}="{escape(v, {chr(34): "&quot;"})}"' for k, v in s.data]
        if s.opacity < 1:
            attributes.append(f'opacity="{_number(s.opacity)}"')
        extra = "".join(" " + attribute for attribute in attributes)
        paint = f'fill="{s.fill}" stroke="{s.stroke}" stroke-width="{_number(s.width)}"' + (
            ' stroke-dasharray="3 2"' if s.dash else "")
        if s.kind == "rect":
            (x1, y1), (x2, y2) = s.points
            element = (f'<rect x="{_number(x1)}" y="{_number(y1)}" width="{_number(x2 - x1)}" '
                       f'height="{_number(y2 - y1)}" rx="{_number(s.radius)}" {paint}{extra}')
            if s.tooltip:
                out.append(f"{element}><title>{escape(s.tooltip)}</title></rect>")
            else:
                out.append(element + "/>")
        elif s.kind == "curve":
            p = s.points
            d = (f"M{_number(p[0][0])},{_number(p[0][1])} C{_number(p[1][0])},"
                 f"{_number(p[1][1])} {_number(p[2][0])},{_number(p[2][1])} "
                 f"{_number(p[3][0])},{_number(p[3][1])}")
            out.append(f'<path d="{d}" fill="none" stroke="{s.stroke}" '
                       f'stroke-width="{_number(s.width)}"{extra}/>')
        elif s.kind == "line":
            (x1, y1), (x2, y2) = s.points
            out.append(f'<line x1="{_number(x1)}" y1="{_number(y1)}" x2="{_number(x2)}" '
                       f'y2="{_number(y2)}" stroke="{s.stroke}" '
                       f'stroke-width="{_number(s.width)}"{extra}/>')
        elif s.kind == "poly":
            points = " ".join(f"{_number(x)},{_number(y)}" for x, y in s.points)
            out.append(f'<polygon points="{points}" fill="{s.fill}"{extra}/>')
        elif s.kind == "circle":
            (x, y), = s.points
            out.append(f'<circle cx="{_number(x)}" cy="{_number(y)}" r="{_number(s.radius)}" '
                       f'{paint}{extra}/>')
        elif s.kind == "text":
            (x, y), = s.points
            weight = ' font-weight="bold"' if s.bold else ""
            out.append(f'<text x="{_number(x)}" y="{_number(y)}" font-size="{_number(s.size)}" '
                       f'text-anchor="{s.anchor}" fill="{s.fill}"{weight}{extra}>'
                       f"{escape(s.text)}</text>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _figure(scene: _Scene) -> Figure:
    """The scene on a matplotlib :class:`~matplotlib.figure.Figure` (no pyplot, no backend
    switch), one pixel per scene unit at 100 dpi. Consecutive shapes of one kind are drawn
    as one collection (much faster than one artist each)."""
    from itertools import groupby

    from matplotlib.collections import LineCollection, PatchCollection, PathCollection
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle, FancyBboxPatch, Patch, Polygon
    from matplotlib.path import Path as CurvePath

    figure = Figure(figsize=(scene.width / 100, scene.height / 100), dpi=100)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, scene.width)
    axes.set_ylim(scene.height, 0)
    axes.set_axis_off()
    point = 72 / 100  # points per scene pixel at 100 dpi

    def colour(value: str, opacity: float = 1.0):
        from matplotlib.colors import to_rgba

        return (0, 0, 0, 0) if value == "none" else to_rgba(value, opacity)

    for kind, run in groupby(scene.shapes, key=lambda shape: shape.kind):
        shapes = list(run)
        if kind == "text":
            for s in shapes:
                (x, y), = s.points
                axes.text(x, y, s.text, fontsize=s.size * point, color=s.fill,
                          ha={"middle": "center", "start": "left", "end": "right"}[s.anchor],
                          va="baseline", fontweight="bold" if s.bold else "normal")
        elif kind == "curve":
            codes = [CurvePath.MOVETO] + [CurvePath.CURVE4] * 3
            axes.add_collection(PathCollection(
                [CurvePath(list(s.points), codes) for s in shapes], facecolors="none",
                edgecolors=[colour(s.stroke, s.opacity) for s in shapes],
                linewidths=[s.width * point for s in shapes]))
        elif kind == "line":
            axes.add_collection(LineCollection(
                [list(s.points) for s in shapes],
                colors=[colour(s.stroke, s.opacity) for s in shapes],
                linewidths=[s.width * point for s in shapes], capstyle="butt"))
        else:
            patches: list[Patch] = []
            for s in shapes:
                if kind == "rect":
                    (x1, y1), (x2, y2) = s.points
                    patch: Patch = FancyBboxPatch(
                        (x1, y1), x2 - x1, y2 - y1,
                        boxstyle=f"round,pad=0,rounding_size={s.radius}")
                elif kind == "poly":
                    patch = Polygon(list(s.points), closed=True)
                else:
                    (x, y), = s.points
                    patch = Circle((x, y), s.radius)
                patch.set_facecolor(colour(s.fill, s.opacity))
                patch.set_edgecolor(colour(s.stroke, s.opacity))
                patch.set_linewidth(s.width * point)
                patch.set_linestyle((0, (3, 2)) if s.dash else "-")
                patches.append(patch)
            axes.add_collection(PatchCollection(patches, match_original=True))
    return figure


# -- the public entry point ----------------------------------------------------------------

FORMATS = ("svg", "png")


def draw(model: Model, *, nodes: Iterable[str] | None = None,
         values: Mapping[str, object] | None = None,
         highlight: Iterable[tuple[str, str]] = (),
         groups: Mapping[str, str] | bool = True, title: str | None = None,
         path: str | Path | None = None, fmt: str | None = None,
         limit: int = MAX_NODES) -> str:
    """Draw ``model``'s signed interaction graph among ``nodes`` and return the SVG text.

    :param nodes: the node names to draw (default: every node); edges among them are drawn.
    :param values: node -> value (0/1, ``"*"``, ``on``/``off``/``oscillates``/``mixed`` or a
        :class:`~mtorlogic.outcomes.Status`); nodes left out are drawn as unknown.
    :param highlight: ``(regulator, target)`` pairs drawn thick and blue (the rest faded),
        e.g. the steps of an explanation; pairs that are not drawn edges are ignored.
    :param groups: ``True`` boxes nodes by :func:`parts`; ``False`` draws no boxes; a mapping
        gives each node's part title.
    :param title: a title written at the top left.
    :param path: also write the picture there (``.svg`` or ``.png``; ``fmt`` overrides the
        suffix). A failed write leaves no file.
    :returns: the SVG document (also when ``path`` is a PNG).
    :raises InputError: unknown node names or values, an unknown format, an unwritable path.
    :raises LimitExceeded: more than ``limit`` nodes.

    Complexity: the interaction graph (one BDD per rule), then O(nodes log nodes + edges)
    per layering sweep; about 0.1 s for the 120-node bundled model.
    """
    chosen = _check_nodes(model, nodes)
    if len(chosen) > limit:
        raise LimitExceeded(f"{len(chosen)} nodes to draw", limit,
                            "draw a subset (--nodes, --depth) or raise the limit (--limit)")
    target_format = _format(path, fmt)
    classes = {name: value_class(value) for name, value in (values or {}).items()
               if name in model}
    graph = signed_graph(model, chosen)
    if groups is True:
        grouping: Mapping[str, str] | None = parts(model)
    elif groups is False:
        grouping = None
    else:
        grouping = groups
    pairs = {(u, v) for u, v in highlight}
    scene = _scene(model, graph, layout(graph, grouping), classes, pairs, title)
    svg = _svg(scene)
    if path is not None:
        _write(scene, svg, Path(path), target_format)
    return svg


def figure(model: Model, **options) -> Figure:
    """The same picture as :func:`draw` as a matplotlib Figure (for notebooks); takes
    :func:`draw`'s keyword options except ``path`` and ``fmt``."""
    chosen = _check_nodes(model, options.pop("nodes", None))
    values = options.pop("values", None) or {}
    grouping = options.pop("groups", True)
    graph = signed_graph(model, chosen)
    groups = parts(model) if grouping is True else (None if grouping is False else grouping)
    classes = {name: value_class(value) for name, value in values.items() if name in model}
    scene = _scene(model, graph, layout(graph, groups), classes,
                   set(options.pop("highlight", ())), options.pop("title", None))
    return _figure(scene)


def _format(path: str | Path | None, fmt: str | None) -> str:
    chosen = (fmt or (Path(path).suffix.lstrip(".") if path is not None else "svg")).lower()
    if chosen not in FORMATS:
        raise InputError(f"cannot draw in format {chosen or '(none)'!r}; use .svg or .png",
                         str(path) if path is not None else None)
    return chosen


def _write(scene: _Scene, svg: str, path: Path, fmt: str) -> None:
    import os

    temporary = path.with_name(f".{path.name}.partial")
    try:
        if fmt == "svg":
            temporary.write_text(svg, encoding="utf-8")
        else:
            try:
                picture = _figure(scene)
            except ImportError:
                raise InputError("PNG output needs matplotlib: pip install "
                                 "'mtorlogic[plot]' (or write .svg)") from None
            # light compression: encoding dominated the PNG's time, the file grows ~1.5x
            picture.savefig(temporary, format="png", dpi=100, facecolor="white",
                            pil_kwargs={"compress_level": 1})
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise InputError(f"cannot write the picture ({error.strerror or error})",
                         str(path)) from None
