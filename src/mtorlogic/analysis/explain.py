"""Explanations: why a node is on, off, oscillating or mixed in the attractors a scenario
reaches, and why a change of scenario changes it (SPEC §5, ``mtorlogic explain``).

An explanation is derived, then checked by the engine:

- **on/off forced by the clamps.** Percolating the scenario's clamps (inputs, drugs,
  mutations, perturbation) fixes the node. The *roots* are a subset-minimal set of those
  clamps that still does, with every other input free (SPEC §5); the *steps* follow the
  percolation rounds from the roots to the node, each naming a prime implicant of the rule
  that holds (an AND gate that is on needs every input, one that is off a single one).
  The roots must also be *faithful*: their percolation never contradicts the values of the
  attractors explained on the nodes the value depends on (paths stop at the clamps among the
  roots; held values depend on their own regulators). That only bites when a mutation
  clamps a node against its rule (in GATOR1-null cells, "no arginine" alone would turn
  mTORC1 off through GATOR1, a route the mutation cuts); otherwise percolating fewer clamps
  cannot contradict more, and the roots are SPEC §5's plain minimal sufficient cause.
- **on/off held by a loop.** When no set of clamps forces the value (a bistable switch, a
  multi-phase scenario), the roots add a self-sustaining set of node values common to the
  attractors reached: percolating clamps and held values fixes the node and gives every held
  value back to itself. The cycle of the derivation through them is the loop that holds it.
  Minimality is then for "forces the node and sustains itself".
- **oscillates.** The shortest negative feedback loop of the attractor's free nodes through
  the node (or the nearest upstream of it, with the path down to the node), and what keeps
  it running: the fixed regulators without which a loop edge would be cut, traced back to
  the clamps that force them.
- **mixed.** One case per value the attractors reached give the node, each explained as
  above: the held values that tell the attractors apart name the loop they come from.
  Attractors of one value without a common cause each join the first cause that holds in
  them too, up to :data:`MOST_CASES` distinct causes.

Contrast (``against``): the clamps that differ, and the path along the derivation from a
changed clamp to the node; when the node does not change, where the change stops.
"""
from __future__ import annotations

import difflib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..levels import expand_levels
from ..outcomes import Status

if TYPE_CHECKING:  # pragma: no cover
    from ..dynamics.results import Attractor, Limits
    from ..dynamics.system import LogicalSystem
    from ..model import Model
    from ..scenarios import Scenario

Value = int | str
"""A node's value in an explanation: 0, 1, or ``"*"`` (changes inside the attractor)."""

__all__ = [
    "Case",
    "Contrast",
    "ExplainCache",
    "Explanation",
    "Loop",
    "Step",
    "explain",
    "resolve_node",
]


# ---------------------------------------------------------------------------------------
# the values an explanation is made of


@dataclass(frozen=True)
class Step:
    """One link of the causal chain: ``node`` has ``value`` because its rule gives that
    value from the values ``given`` to the regulators named in ``because`` (in the order the
    chain reaches them). For a step with value ``"*"`` (oscillation), ``because`` names the
    oscillating regulator that drives it and the fixed regulators that keep that edge
    working. ``signs`` gives each of them the sign of its edge in the model's interaction
    graph (+1, -1, 0). ``rule`` is the node's rule in the model, ``description`` and
    ``citation`` its annotations from the model file; ``held`` marks a value held by a
    loop."""

    node: str
    value: Value
    rule: str
    because: tuple[str, ...]
    given: Mapping[str, Value]
    signs: Mapping[str, int] = field(default_factory=dict)
    description: str = ""
    citation: str = ""
    held: bool = False

    def to_json(self) -> dict:
        return {"node": self.node, "value": self.value, "rule": self.rule,
                "because": list(self.because), "given": dict(self.given),
                "signs": dict(self.signs), "held": self.held}


@dataclass(frozen=True)
class Loop:
    """A cycle of the model's signed interaction graph: ``nodes[i]`` regulates
    ``nodes[i + 1]`` (the last one the first) with ``signs[i]`` (+1 activation,
    -1 inhibition, 0 either, as in :meth:`Model.interaction_graph`). ``kind`` is
    ``"self-sustaining"`` (a positive loop holding values), ``"negative feedback"``
    (driving an oscillation) or ``"synchronous cycle"`` (a cycle of any sign around which
    synchronous updating carries an oscillation); ``values`` are the nodes' values in the
    attractors reached."""

    kind: str
    nodes: tuple[str, ...]
    signs: tuple[int, ...]
    values: Mapping[str, Value]

    @property
    def sign(self) -> int:
        """+1 for a positive loop, -1 for a negative one, 0 when a dual edge makes it
        depend on context."""
        if 0 in self.signs:
            return 0
        return -1 if sum(1 for s in self.signs if s < 0) % 2 else 1

    def text(self) -> str:
        """``A -> B -| C -> A``: ``->`` activates, ``-|`` inhibits, ``-?`` both."""
        arrows = {1: "->", -1: "-|", 0: "-?"}
        parts = [self.nodes[0]]
        for i, sign in enumerate(self.signs):
            parts += [arrows[sign], self.nodes[(i + 1) % len(self.nodes)]]
        return " ".join(parts)

    def to_json(self) -> dict:
        return {"kind": self.kind, "nodes": list(self.nodes), "signs": list(self.signs),
                "sign": self.sign, "values": dict(self.values)}


@dataclass(frozen=True)
class Case:
    """The explanation of the node's ``value`` in some of the attractors reached
    (``attractors``: their indices). ``mechanism`` is ``"clamps"`` (forced by percolating
    the roots, all clamps), ``"loop"`` (roots include values held by a loop),
    ``"oscillation"`` (a negative feedback loop) or ``"unexplained"`` (none found; ``note``
    says why). ``roots``: for clamps and loop, the sufficient cause; for oscillation, the
    clamps that keep the loop running. ``path`` is the story told first: the shortest
    chain of the steps from the most telling root (a mutation or perturbation, then a drug,
    then an input present, then a held value; the nearest of that kind) to the node; for
    an oscillation, the path from the loop to the node."""

    value: Value
    attractors: tuple[int, ...]
    mechanism: str
    roots: Mapping[str, int]
    steps: tuple[Step, ...]
    loops: tuple[Loop, ...] = ()
    note: str = ""
    path: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"value": self.value, "attractors": list(self.attractors),
                "mechanism": self.mechanism, "roots": dict(self.roots),
                "path": list(self.path),
                "steps": [step.to_json() for step in self.steps],
                "loops": [loop.to_json() for loop in self.loops], "note": self.note or None}


@dataclass(frozen=True)
class Contrast:
    """Why the node differs (or not) between this scenario and ``other``: the clamps that
    differ (``changed``: node -> (value in other, value here); ``None`` when a scenario
    does not set it), the ``path`` from a changed clamp to the node along a derivation
    (empty when the change does not reach it), ``reached``: nodes whose status differs,
    and ``other``: the other scenario's own explanation."""

    other: Explanation
    changed: Mapping[str, tuple[int | None, int | None]]
    path: tuple[str, ...]
    path_in: str
    reached: tuple[str, ...]

    def to_json(self) -> dict:
        return {"scenario": self.other.scenario, "status": str(self.other.status),
                "changed": {n: list(v) for n, v in self.changed.items()},
                "path": list(self.path), "path_in": self.path_in or None,
                "reached": list(self.reached), "roots": dict(self.other.roots),
                "steps": [step.to_json() for step in self.other.steps]}


@dataclass(frozen=True)
class Explanation:
    """Why ``node`` has ``status`` in the attractors ``scenario`` reaches.

    ``roots``, ``steps`` and ``loops`` are SPEC §5's (for "on"/"off" the sufficient cause
    and its chain; for "oscillates" the driving loop and what keeps it running; for
    "mixed" empty roots and steps, with one :class:`Case` per value in ``cases``).
    ``perturbation`` is what was set on top of the scenario's clamps; ``against`` the
    contrast with another scenario, when asked for.
    """

    scenario: str
    scenario_name: str
    node: str
    description: str
    status: Status
    attractors: int
    roots: Mapping[str, int]
    steps: tuple[Step, ...]
    loops: tuple[Loop, ...]
    cases: tuple[Case, ...]
    clamps: Mapping[str, int] = field(repr=False, default_factory=dict)
    perturbation: Mapping[str, int] = field(default_factory=dict)
    against: Contrast | None = field(default=None, repr=False)
    semantics: str = "asynchronous"
    model: str = ""
    network: Model | None = field(default=None, repr=False, compare=False)

    def __repr__(self) -> str:
        roots = ", ".join(f"{n}={v}" for n, v in self.roots.items()) or "-"
        extra = f" against {self.against.other.scenario}" if self.against else ""
        return (f"<Explanation {self.node} {self.status} in {self.scenario}{extra}: "
                f"roots {roots}; {len(self.steps)} steps, {len(self.loops)} loops>")

    def text(self, *, full: bool = False) -> str:
        """The readable explanation (what ``mtorlogic explain`` prints); ``full`` lists
        every step of the chain, not only the path to the node."""
        from ._explain.render import text

        return text(self, full=full)

    def brief(self) -> str:
        """A few lines: the cause, the path from it to the node, the node's rule and, for a
        contrast, how the change reaches the node (what an exercise shows after a wrong
        prediction)."""
        from ._explain.render import brief

        return brief(self)

    def to_json(self) -> dict:
        """SPEC §5's object, extended (documented in docs/explain.md)."""
        data: dict[str, Any] = {
            "scenario": self.scenario, "node": self.node, "status": str(self.status),
            "roots": dict(self.roots), "steps": [step.to_json() for step in self.steps],
            "loops": [loop.to_json() for loop in self.loops],
            "cases": [case.to_json() for case in self.cases],
            "attractors": self.attractors, "semantics": self.semantics,
            "perturbation": dict(self.perturbation)}
        if self.against is not None:
            data["against"] = self.against.to_json()
        return data

    def _repr_html_(self) -> str:
        from ._explain.render import html

        return html(self)

    def subgraph(self, *, full: bool = False) -> tuple[dict[str, Value],
                                                        list[tuple[str, str]]]:
        """The causal subgraph: the nodes of each case's path and loops, the steps along
        them and their regulators (with ``full``, every step and root), each with its value
        (``"mixed"`` where the cases disagree), and the ``(regulator, node)`` edges of those
        steps."""
        values: dict[str, Value] = {}

        def note(name: str, value: Value) -> None:
            values[name] = value if values.get(name, value) == value else "mixed"

        edges: list[tuple[str, str]] = []
        for case in self.cases:
            story = set(case.path) | {n for loop in case.loops for n in loop.nodes}
            story.add(self.node)
            if full:
                for root, fixed in case.roots.items():
                    note(root, fixed)
            for step in case.steps:
                if not full and step.node not in story and step.value != "*":
                    continue
                note(step.node, step.value)
                for regulator in step.because:
                    note(regulator, step.given[regulator])
                    edges.append((regulator, step.node))
            for loop in case.loops:
                for member, held in loop.values.items():
                    note(member, held)
        status: dict[str, Value] = {"on": 1, "off": 0, "oscillates": "*"}
        values[self.node] = status.get(str(self.status), "mixed")
        return values, edges

    def picture(self, path: str | os.PathLike | None = None, *, full: bool = False) -> str:
        """Draw the causal subgraph (:meth:`subgraph`) with :func:`mtorlogic.drawing.draw`:
        nodes coloured by value, the steps' edges highlighted, AND-gates shown. Writes
        ``path`` (``.svg`` or ``.png``) when given; returns the SVG text."""
        from ..drawing import draw

        if self.network is None:
            raise ValueError("this explanation carries no model to draw")
        values, edges = self.subgraph(full=full)
        title = f"{self.node} {self.status} in {self.scenario}" + "".join(
            f" + {n}={v}" for n, v in self.perturbation.items())
        return draw(self.network, nodes=list(values), values=values, highlight=edges,
                    title=title, path=None if path is None else os.fspath(path))


@dataclass
class ExplainCache:
    """What explanations of several nodes and scenarios share: the attractors reached (as
    :func:`mtorlogic.readouts.run_scenario` memoizes them), each model's compiled system
    and each clamp set's percolation. Pass one to :func:`explain` when explaining many."""

    attractors: dict = field(default_factory=dict)
    systems: dict = field(default_factory=dict)
    closures: dict = field(default_factory=dict)

    def system(self, model: Model) -> LogicalSystem:
        entry = self.systems.get(id(model))
        if entry is None or entry[0] is not model:
            from ..dynamics.system import LogicalSystem

            entry = (model, LogicalSystem.from_model(model))
            self.systems[id(model)] = entry
        return entry[1]

    def closure(self, model: Model, system: LogicalSystem,
                space: Mapping[int, int]) -> dict[int, int]:
        key = (id(model), tuple(sorted(space.items())))
        if key not in self.closures:
            from ..dynamics.percolation import percolate

            self.closures[key] = percolate(system, space)
        return self.closures[key]

    def ranked(self, model: Model, system: LogicalSystem,
               space: Mapping[int, int]) -> tuple[dict[int, int], dict[int, int]]:
        """:func:`~mtorlogic.dynamics.percolation.ranked_percolation` of ``space``,
        memoized."""
        key = ("ranked", id(model), tuple(sorted(space.items())))
        if key not in self.closures:
            from ..dynamics.percolation import ranked_percolation

            self.closures[key] = ranked_percolation(system, space)
        return self.closures[key]


# ---------------------------------------------------------------------------------------
# input handling


def resolve_node(name: str, model: Model, where: str) -> str:
    """``name`` when it is a node of ``model``; otherwise an :class:`InputError` naming
    ``where`` and suggesting the node it probably means (case-insensitive first)."""
    if name in model:
        return name
    folded = [n for n in model.names if n.casefold() == name.casefold()]
    close = folded or difflib.get_close_matches(name, list(model.names), n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    from pathlib import Path

    label = Path(model.source).name if model.source else model.name
    raise InputError(f"unknown node {name!r}{hint} in model {label}", where)


def _load(scenario: Scenario | str | os.PathLike, model: str | os.PathLike | None,
          semantics: str | None) -> Scenario:
    from ..scenarios import Scenario, load_scenario, resolve_scenario_argument

    if isinstance(scenario, Scenario):
        if model is None and semantics is None:
            return scenario
        return load_scenario(scenario.path, model=model, semantics=semantics)
    return load_scenario(resolve_scenario_argument(os.fspath(scenario)), model=model,
                         semantics=semantics)


MOST_CASES = 24
"""At most this many attractors of one value are explained one by one (models with
thousands of attractors would otherwise give thousands of cases); the rest are named."""

TARGET = "target"
"""The name an explained target expression gets (``target_`` etc. if the model has one)."""

_OPERATORS = set("!~&|() ")


def _with_target(scenario: Scenario, node: str) -> tuple[str, Scenario]:
    """``node`` resolved in the scenario's model; or, when it is a Boolean expression over
    nodes (as a screen's ``--target``), a node standing for it added to the model, so the
    expression is explained like any node: on = the screen's "always", off = "never"."""
    model = scenario.model
    if node in model or not (_OPERATORS & set(node.strip())):
        return resolve_node(node, model, str(scenario.path)), scenario
    from ..expressions import parse, variables
    from ..model import Node, make_model

    try:
        expression = parse(node)
    except InputError as error:
        raise InputError(error.message, "NODE") from None
    for name in sorted(variables(expression)):
        resolve_node(name, model, f"{scenario.path}: target")
    name = TARGET
    while name in model:
        name += "_"
    extended = make_model([*model.nodes, Node(name, expression,
                                             description=f"the target {node.strip()}")],
                          name=model.name, source=model.source)
    return name, replace(scenario, model=extended,
                         model_path=f"{scenario.model_path}#{name}={node.strip()}")


def _perturbed(scenario: Scenario, perturbation: Mapping[str, int]) -> Scenario:
    """``scenario`` with ``perturbation`` set on top of its clamps (as a screen does)."""
    if not perturbation:
        return scenario
    for name, value in perturbation.items():
        resolve_node(name, scenario.model, "--set")
        if value not in (0, 1) or isinstance(value, bool):
            raise InputError(f"{name} can only be set to 0 or 1, not {value!r}", "--set")

    def keep(section: Mapping[str, int]) -> dict[str, int]:
        return {n: v for n, v in section.items() if n not in perturbation}

    return replace(scenario, inputs=keep(scenario.inputs), drugs=keep(scenario.drugs),
                   mutations={**keep(scenario.mutations), **perturbation})


# ---------------------------------------------------------------------------------------
# the explanation


def explain(scenario: Scenario | str | os.PathLike, node: str, *,
            model: str | os.PathLike | None = None, semantics: str | None = None,
            against: Scenario | str | os.PathLike | None = None,
            perturbation: Mapping[str, int] | None = None,
            cache: ExplainCache | None = None,
            limits: Limits | None = None) -> Explanation:
    """Why ``node`` has its status in the attractors ``scenario`` reaches.

    :param scenario: a :class:`~mtorlogic.scenarios.Scenario`, a path to a scenario file,
        or the name of a bundled one (``"01_fed"``).
    :param node: a node of the scenario's model, or a Boolean expression over its nodes
        (``"!mTORC1 & !AKT_S473"``, as a screen's target), explained as a node named
        :data:`TARGET` standing for it: on means the screen's "always", off "never".
    :param model: run on this model instead (a path or ``"mtor"``), as ``--model``.
    :param semantics: use this semantics instead of the scenario's.
    :param against: a second scenario (same forms) to contrast with: why ``node`` differs.
        Loaded with the same ``model``/``semantics``, without the perturbation.
    :param perturbation: node -> 0/1 set on top of the scenario's clamps (a screen's hit);
        ``X*`` sets ``X`` and all its levels (:func:`mtorlogic.levels.expand_levels`).
    :param cache: shared work when explaining many nodes or scenarios.
    :param limits: bounds on the attractor search (default :class:`Limits`).
    :returns: the :class:`Explanation`, every part of which was checked by percolation.
    :raises InputError: unknown node (with a suggestion), bad scenario, bad perturbation.
    :raises LimitExceeded: when the attractor search hits a bound.

    Complexity: one attractor search per scenario (memoized in ``cache``), then
    O(c^2) percolations for c clamps near the node, each O(E) BDD restrictions.
    """
    from ..dynamics.results import Limits

    cache = ExplainCache() if cache is None else cache
    limits = Limits() if limits is None else limits
    loaded = _load(scenario, model, semantics)
    name, loaded = _with_target(loaded, node)
    perturbation = expand_levels(perturbation or {}, loaded.model, "--set")
    loaded = _perturbed(loaded, perturbation)
    explanation = _explain(loaded, name, cache, limits, perturbation)
    if against is None:
        return explanation
    other = _load(against, model, semantics)
    if name != node:  # a target expression: the other scenario gets its node too
        name, other = _with_target(other, node)
    if name not in other.model:
        raise InputError(f"node {name!r} is not in the model of the scenario to contrast "
                         f"with ({other.model_path})", str(other.path))
    return replace(explanation, against=_contrast(explanation, loaded,
                                                  _explain(other, name, cache, limits, {}),
                                                  other, cache, limits))


def _explain(scenario: Scenario, node: str, cache: ExplainCache, limits: Limits,
             perturbation: Mapping[str, int]) -> Explanation:
    from ..readouts import run_scenario

    result = run_scenario(scenario, cache.attractors, limits=limits)
    status = Status(result.status[node])
    model = scenario.model
    work = _Work(scenario, cache.system(model), cache, node)
    groups: dict[Value, list[int]] = {}
    for i, attractor in enumerate(result.attractors):
        groups.setdefault(attractor.values[node], []).append(i)
    cases: list[Case] = []
    for value in sorted(groups, key=lambda v: (isinstance(v, str), v)):
        members = groups[value]
        if value == "*":
            cases.extend(work.oscillating(result.attractors, members))
        else:
            cases.extend(work.fixed(result.attractors, members, int(value)))
    single = cases[0] if len(cases) == 1 else None
    return Explanation(
        scenario=scenario.label, scenario_name=scenario.name, node=node,
        description=model.node(node).description, status=status,
        attractors=len(result.attractors),
        roots=dict(single.roots) if single else {},
        steps=single.steps if single else (),
        loops=single.loops if single else tuple(loop for case in cases for loop in case.loops),
        cases=tuple(cases), clamps=scenario.clamps, perturbation=dict(perturbation),
        semantics=scenario.semantics, model=scenario.model_path, network=model)


class _Work:
    """The derivations of one explanation: the scenario's clamps as a space of the
    unclamped model's compiled system, and the percolation of them."""

    def __init__(self, scenario: Scenario, system: LogicalSystem, cache: ExplainCache,
                 node: str):
        self.scenario, self.system, self.cache = scenario, system, cache
        self.model = scenario.model
        self.index = self.model.index
        self.target = self.index[node]
        self.clamps = {self.index[n]: v for n, v in scenario.clamps.items()}
        self.closure = cache.closure(self.model, system, self.clamps)

    # -- building blocks -----------------------------------------------------------------

    def names(self, space: Mapping[int, int]) -> dict[str, int]:
        return {self.system.names[i]: v for i, v in sorted(space.items(),
                                                          key=lambda kv: self.system.names[kv[0]])}

    def steps(self, roots: Mapping[int, int], held: Sequence[int],
              extra_targets: Sequence[int] = ()) -> tuple[tuple[Step, ...], dict, tuple]:
        """The chain from ``roots`` to the target (and ``extra_targets``), by the rounds of
        percolation; ``held`` roots are explained by the loop that holds them."""
        from ..dynamics.percolation import ranked_percolation
        from ._explain.derive import ancestors, justification, upstream

        cone = ancestors(self.system, [self.target, *extra_targets])
        fixed, rank = ranked_percolation(self.system, {i: v for i, v in roots.items()
                                                       if i in cone}, within=cone)
        targets = [t for t in [self.target, *extra_targets] if t in fixed]
        reasons = justification(self.system, fixed, rank, targets, held)
        used: set[int] = set()
        for t in targets:
            used |= upstream(reasons, t)
        order = sorted((n for n in used if n in reasons),
                       key=lambda n: (n not in held, rank[n], n == self.target,
                                      self.system.names[n]))
        if self.target in reasons:  # the chain ends at the node explained
            order.remove(self.target)
            order.append(self.target)
        steps = tuple(self.step(n, fixed[n], reasons[n], fixed, held=n in set(held))
                      for n in order)
        return steps, reasons, self.story(reasons, rank, roots, set(held))

    def story(self, reasons: Mapping[int, Sequence[int]], rank: Mapping[int, int],
              roots: Mapping[int, int], held: set[int]) -> tuple[str, ...]:
        """The chain told first (:attr:`Case.path`): the shortest path along ``reasons``
        (edges into held values left out) from a root of the most telling kind to the
        target; among roots of that kind, the nearest (the shortest story)."""
        from collections import deque

        scenario, names = self.scenario, self.system.names

        def telling(i: int) -> int:
            name = names[i]
            if i in held:
                return 3
            if name in scenario.mutations:
                return 0
            if name in scenario.drugs and roots[i] == 1:
                return 1
            return 2 if roots[i] == 1 else 4

        successors: dict[int, list[int]] = {}
        for node, because in reasons.items():
            if node not in held:
                for regulator in because:
                    successors.setdefault(regulator, []).append(node)
        best: tuple | None = None
        for root in sorted(roots, key=lambda i: (telling(i), names[i])):
            if best is not None and telling(root) > best[0]:
                break
            previous = {root: root}
            queue = deque([root])
            while queue and self.target not in previous:
                node = queue.popleft()
                for successor in sorted(successors.get(node, ()), key=lambda n: names[n]):
                    if successor not in previous:
                        previous[successor] = node
                        queue.append(successor)
            if self.target not in previous or root == self.target:
                continue
            chain = [self.target]
            while chain[-1] != root:
                chain.append(previous[chain[-1]])
            if best is None or len(chain) < len(best[1]):
                best = (telling(root), chain)
        if best is None:
            return (names[self.target],)
        return tuple(names[i] for i in reversed(best[1]))

    def step(self, node: int, value: Value, because: Sequence[int],
             values: Mapping[int, Value], *, held: bool = False) -> Step:
        from ..expressions import to_text

        definition = self.model.nodes[node]
        names = self.system.names
        return Step(node=names[node], value=value, rule=to_text(definition.function),
                    because=tuple(names[r] for r in because),
                    given={names[r]: values[r] for r in because},
                    signs={names[r]: self.sign(r, node) for r in because},
                    description=definition.description, citation=definition.citation,
                    held=held)

    def minimal_roots(self, candidates: Mapping[int, int], wanted: Mapping[int, int],
                      truth: Mapping[int, int], held: Sequence[int] = ()) -> dict[int, int]:
        """A 1-minimal subset of ``candidates`` whose percolation gives ``wanted`` without
        contradicting ``truth`` (the values the attractors explained share), and in which
        every remaining ``held`` value sustains itself.

        Faithfulness matters when the scenario clamps a node against its rule (a
        mutation): a cause that would go through the mutated node is not the cause in this
        scenario. Without such clamps, percolation from a subset of the clamps never
        contradicts them, and the roots are SPEC §5's plain minimal sufficient cause.

        Held values go first, so the loop shrinks to what is needed before clamps are
        dropped. The search percolates inside the ancestors of ``wanted`` only; the result
        is then checked by the engine's percolation of the whole model (:meth:`check`)."""
        from ..dynamics.percolation import ranked_percolation
        from ._explain.derive import ancestors, minimal_subset, sustains

        cone = ancestors(self.system, wanted)
        held_set = set(held) & cone
        candidates = {i: v for i, v in candidates.items() if i in cone}

        # Fixing inputs is monotone and never contradicts the clamps; a clamp against a
        # rule (a mutation) or a held value can, so only then is faithfulness checked.
        inputs = {self.index[n] for n in self.model.inputs}
        monotone = not held_set and all(i in inputs for i in candidates)

        def works(items: Sequence[int]) -> bool:
            space = {i: candidates[i] for i in items}
            closure = ranked_percolation(self.system, space, within=cone).fixed
            if not all(closure.get(n) == v for n, v in wanted.items()):
                return False
            if monotone:
                return True
            held_here = held_set & space.keys()
            if not sustains(self.system, closure, held_here):
                return False
            wrong = [n for n, v in closure.items() if truth.get(n) != v]
            if not wrong:
                return True
            relevant = ancestors(self.system, [*wanted, *held_here], space.keys() - held_here)
            return not relevant.intersection(wrong)

        names = self.system.names
        order = sorted(candidates, key=lambda i: (i not in held_set, names[i]))
        if not works(order):
            raise AssertionError(f"explain: no faithful cause of {self.names(dict(wanted))} "
                                 "among the candidates (please report this bug)")
        roots = {i: candidates[i] for i in minimal_subset(order, works, monotone=monotone)}
        self.check(roots, wanted, truth, held_set & roots.keys())
        return roots

    def check(self, roots: Mapping[int, int], wanted: Mapping[int, int],
              truth: Mapping[int, int], held: set[int]) -> None:
        """The engine's word on a cause: percolating ``roots`` in the whole model gives
        ``wanted``, agrees with ``truth`` on every node ``wanted`` can depend on (paths
        stop at the roots), and ``held`` values sustain themselves. A failure is a bug
        here."""
        from ..dynamics.percolation import percolate
        from ._explain.derive import ancestors, sustains

        cone = ancestors(self.system, [*wanted, *held], roots.keys() - held)
        closure = percolate(self.system, roots)
        if (any(closure.get(n) != v for n, v in wanted.items())
                or any(truth.get(n) != v for n, v in closure.items() if n in cone)
                or not sustains(self.system, closure, held)):
            raise AssertionError(f"explain: roots {self.names(roots)} do not force "
                                 f"{self.names(dict(wanted))} (please report this bug)")

    def clamp_candidates(self, wanted: Mapping[int, int]) -> dict[int, int]:
        """The clamps a derivation of ``wanted`` from all clamps uses, and every clamp of a
        non-input node upstream of ``wanted``: a faithful sufficient set, usually far
        smaller than all clamps. (Leaving an input free only fixes fewer nodes; leaving a
        mutated node to its rule could fix it otherwise, hence the second part.)"""
        from ._explain.derive import ancestors, justification, upstream

        fixed, rank = self.cache.ranked(self.model, self.system, self.clamps)
        reasons = justification(self.system, fixed, rank, list(wanted))
        used: set[int] = set()
        for t in wanted:
            used |= upstream(reasons, t)
        inputs = {self.index[n] for n in self.model.inputs}
        used |= {i for i in ancestors(self.system, wanted) & self.clamps.keys()
                 if i not in inputs}
        return {i: self.clamps[i] for i in used if i in self.clamps}

    # -- the cases -----------------------------------------------------------------------

    def fixed(self, attractors: Sequence[Attractor], members: list[int],
              value: int) -> list[Case]:
        """Cases for attractors where the target is fixed at ``value``."""
        wanted = {self.target: value}
        if self.closure.get(self.target) == value:
            truth = self.truth(attractors, members)
            roots = self.minimal_roots(self.clamp_candidates(wanted), wanted, truth)
            steps, _, path = self.steps(roots, ())
            return [Case(value, tuple(members), "clamps", self.names(roots), steps,
                         path=path)]
        case = self.held(attractors, members, value)
        if case is not None:
            return [case]
        if len(members) == 1:
            return [self.unexplained(members, value)]
        # No loop common to all: attractor by attractor, each joining the first case whose
        # cause also holds in it, up to a bound on distinct cases.
        cases: list[Case] = []
        rest: list[int] = []
        for member in members:
            fitting = next((i for i, case in enumerate(cases)
                            if self.fits(case, attractors[member])), None)
            if fitting is not None:
                case = cases[fitting]
                cases[fitting] = replace(case, attractors=case.attractors + (member,))
            elif len(cases) < MOST_CASES:
                cases.append(self.held(attractors, [member], value)
                             or self.unexplained([member], value))
            else:
                rest.append(member)
        if rest:
            cases.append(self.unexplained(
                rest, value, note=f"{len(rest)} more attractors with this value are not "
                                  f"explained (at most {MOST_CASES} distinct causes are)"))
        return cases

    def fits(self, case: Case, attractor: Attractor) -> bool:
        """Whether ``case``'s cause holds in ``attractor`` too: its held values are the
        attractor's, and percolating its roots agrees with the attractor on every node the
        target and the held values depend on (so every step is true there as well)."""
        from ..dynamics.percolation import percolate
        from ._explain.derive import ancestors

        if case.mechanism != "loop":
            return False
        roots = {self.index[n]: v for n, v in case.roots.items()}
        held = {i for i in roots if self.clamps.get(i) != roots[i]}
        relevant = ancestors(self.system, [self.target, *held], roots.keys() - held)
        closure = percolate(self.system, roots)
        names = self.system.names
        return all(attractor.values[names[n]] == v for n, v in closure.items()
                   if n in relevant)

    def truth(self, attractors: Sequence[Attractor], members: list[int]) -> dict[int, int]:
        """The values every attractor of ``members`` shares, by node index."""
        return {self.index[n]: v for n, v in _common_values(attractors, members).items()}

    def unexplained(self, members: list[int], value: Value, note: str = "") -> Case:
        return Case(value, tuple(members), "unexplained", {}, (),
                    note=note or "no self-sustaining set of values common to the attractor "
                                 "forces it; the value comes from the dynamics inside the "
                                 "attractor")

    def held(self, attractors: Sequence[Attractor], members: list[int],
             value: int) -> Case | None:
        """The loop case: clamps plus values held in common by ``members`` that force the
        target and sustain themselves; ``None`` when no such set exists among them."""
        from ..dynamics.percolation import percolate
        from ._explain.derive import sustains
        from ._explain.loops import cycle_through

        index = self.index
        common = _common_values(attractors, members)
        held_values = {index[n]: v for n, v in common.items()
                       if index[n] not in self.clamps and index[n] not in self.closure}
        candidates = {**self.clamps, **held_values}
        closure = percolate(self.system, candidates)
        if closure.get(self.target) != value or not sustains(self.system, closure,
                                                             held_values):
            space = self.trap_space(attractors, members)
            if space is None:
                return None
            held_values = {i: v for i, v in space.items()
                           if i not in self.clamps and i not in self.closure}
            candidates = {**self.clamps, **held_values}
        candidates = self.used_candidates(candidates, held_values)
        roots = self.minimal_roots(candidates, {self.target: value},
                                   self.truth(attractors, members), list(held_values))
        held = [i for i in roots if i in held_values]
        steps, reasons, path = self.steps(roots, held)
        loops = []
        seen: set[frozenset] = set()
        for start in held:
            cycle = cycle_through(reasons, start)
            if cycle is not None and frozenset(cycle) not in seen:
                seen.add(frozenset(cycle))
                loops.append(self.loop("self-sustaining", cycle,
                                       {n: common.get(self.system.names[n], "*")
                                        for n in cycle}))
        return Case(value, tuple(members), "loop", self.names(roots), steps, tuple(loops),
                    path=path)

    def used_candidates(self, candidates: Mapping[int, int],
                        held: Mapping[int, int]) -> dict[int, int]:
        """The clamps and held values one derivation of the target from ``candidates``
        uses, held values justified inside the closure (so the set still sustains itself),
        plus every clamp of a non-input node upstream of the target (see
        :meth:`clamp_candidates`): a sufficient start, far smaller than all common values,
        for the quadratic deletion filter."""
        from ..dynamics.percolation import ranked_percolation
        from ._explain.derive import ancestors, justification, upstream

        fixed, rank = ranked_percolation(self.system, candidates)
        reasons = justification(self.system, fixed, rank, [self.target], held)
        used = upstream(reasons, self.target)
        inputs = {self.index[n] for n in self.model.inputs}
        used |= {i for i in ancestors(self.system, [self.target]) & self.clamps.keys()
                 if i not in inputs}
        return {i: v for i, v in candidates.items() if i in used}

    def trap_space(self, attractors: Sequence[Attractor],
                   members: list[int]) -> dict[int, int] | None:
        """A trap space of the clamped model holding the members' common values that still
        fixes the target (so its values sustain themselves), or ``None``."""
        from ..dynamics.percolation import trap_space_closure
        from ..dynamics.system import LogicalSystem

        clamped = self.scenario.model.clamp(self.scenario.clamps)
        system = LogicalSystem.from_model(clamped)
        common = _common_values(attractors, members)
        space = trap_space_closure(system, {self.index[n]: v for n, v in common.items()})
        return space if self.target in space else None

    def loop(self, kind: str, cycle: Sequence[int], values: Mapping[int, Value]) -> Loop:
        signs = tuple(self.sign(cycle[i], cycle[(i + 1) % len(cycle)])
                      for i in range(len(cycle)))
        names = self.system.names
        return Loop(kind, tuple(names[n] for n in cycle), signs,
                    {names[n]: v for n, v in values.items()})

    def sign(self, regulator: int, target: int) -> int:
        """The sign of ``regulator -> target`` in the model's interaction graph."""
        variable = self.system.bdd_variables[regulator]
        bdd = self.system.functions[target]
        low, high = bdd.r_restrict({variable: False}), bdd.r_restrict({variable: True})
        if low.l_and_not(high).is_false():
            return 1
        return -1 if high.l_and_not(low).is_false() else 0

    def oscillating(self, attractors: Sequence[Attractor], members: list[int]) -> list[Case]:
        """Cases for attractors where the target oscillates: each attractor its own loop
        (:meth:`oscillation`), equal explanations merged, at most :data:`MOST_CASES`
        attractors examined and the rest named."""
        merged: dict[str, Case] = {}
        for member in members[:MOST_CASES]:
            case = self.oscillation(attractors, [member])
            same = json.dumps({**case.to_json(), "attractors": None}, sort_keys=True)
            if same in merged:
                earlier = merged[same]
                merged[same] = replace(earlier, attractors=earlier.attractors + (member,))
            else:
                merged[same] = case
        cases = list(merged.values())
        if members[MOST_CASES:]:
            cases.append(self.unexplained(
                members[MOST_CASES:], "*",
                note=f"{len(members) - MOST_CASES} more oscillating attractors are not "
                     f"explained one by one (at most {MOST_CASES} are)"))
        return cases

    def oscillation(self, attractors: Sequence[Attractor], members: list[int]) -> Case:
        """The negative feedback loop that drives the target in the first of ``members``
        (:meth:`oscillating` calls it once per attractor and merges equal cases). Under
        synchronous updating, when no negative loop reaches the target, the positive
        cycle that carries the oscillation round."""
        from ..dynamics.feedback import signed_edges
        from ._explain.loops import driving_cycle

        names, index = self.system.names, self.index
        attractor = attractors[members[0]]
        space = {index[n]: int(v) for n, v in attractor.values.items() if v != "*"}
        values: dict[int, Value] = {index[n]: v for n, v in attractor.values.items()}
        edges = signed_edges(self.system, space)
        kind = "negative feedback"
        found = driving_cycle(edges, self.target)
        if found is None and self.scenario.semantics == "synchronous":
            kind = "synchronous cycle"
            found = driving_cycle(edges, self.target, negative=False)
        if found is None:
            return Case("*", tuple(members), "unexplained", {}, (),
                        note="no negative feedback loop among the oscillating nodes reaches "
                             "it")
        cycle, path = found
        chain: list[tuple[int, int]] = [(cycle[i], cycle[(i + 1) % len(cycle)])
                                        for i in range(len(cycle))]
        chain += [(path[i], path[i + 1]) for i in range(len(path) - 1)]
        enablers: dict[tuple[int, int], list[int]] = {e: self.enablers(e, space)
                                                      for e in chain}
        needed = {i: space[i] for edge in chain for i in enablers[edge]}
        forced = {i: v for i, v in needed.items() if self.closure.get(i) == v}
        roots = (self.minimal_roots(self.clamp_candidates(forced), forced,
                                    self.truth(attractors, members)) if forced else {})
        forced_steps: tuple[Step, ...] = ()
        if forced:
            forced_steps, _, _ = self.steps(roots, (), [i for i in forced if i not in roots])
            forced_steps = tuple(s for s in forced_steps if s.node != names[self.target])
        loop_steps: list[Step] = []
        for regulator, target in chain:
            if any(s.node == names[target] for s in loop_steps):
                continue
            because = [regulator] + enablers[(regulator, target)]
            loop_steps.append(self.step(target, "*", because, values))
        loop = self.loop(kind, cycle, {n: values[n] for n in cycle})
        note = ""
        unforced = sorted(names[i] for i in needed if i not in forced)
        if unforced:
            note = ("kept running also by values the clamps do not force: "
                    + ", ".join(f"{n}={values[index[n]]}" for n in unforced))
        return Case("*", tuple(members), "oscillation", self.names(roots),
                    forced_steps + tuple(loop_steps), (loop,), note,
                    path=tuple(names[i] for i in path))

    def enablers(self, edge: tuple[int, int], space: Mapping[int, int]) -> list[int]:
        """The fixed regulators of ``edge``'s target without whose values the target would
        stop following the edge's source (flipping one cuts the edge)."""
        regulator, target = edge
        variable = self.system.bdd_variables[regulator]
        found = []
        for other in sorted(self.system.regulators[target], key=lambda i: self.system.names[i]):
            if other not in space or other == regulator:
                continue
            flipped = {**space, other: 1 - space[other]}
            if variable not in self.system.restricted(target, flipped).support_set():
                found.append(other)
        return found


def _common_values(attractors: Sequence[Attractor], members: Sequence[int]) -> dict[str, int]:
    """The node values fixed, and equal, in every attractor of ``members``."""
    first = attractors[members[0]].values
    return {n: int(v) for n, v in first.items() if v != "*"
            and all(attractors[m].values[n] == v for m in members[1:])}


# ---------------------------------------------------------------------------------------
# contrast


def _contrast(mine: Explanation, scenario: Scenario, theirs: Explanation,
              other: Scenario, cache: ExplainCache, limits: Limits) -> Contrast:
    from ..readouts import run_scenario

    here, there = scenario.clamps, other.clamps
    changed = {n: (there.get(n), here.get(n)) for n in sorted(set(here) | set(there))
               if here.get(n) != there.get(n)}
    path: tuple[str, ...] = ()
    path_in = ""
    for explanation in (mine, theirs):
        found = _path_to(explanation, set(changed))
        if found:
            path, path_in = tuple(found), explanation.scenario
            break
    status_here = run_scenario(scenario, cache.attractors, limits=limits).status
    status_there = run_scenario(other, cache.attractors, limits=limits).status
    distance = _distances(cache.system(scenario.model), scenario.model.index[mine.node])
    names = scenario.model.names
    reached = tuple(sorted((n for n in names if n in status_there
                            and status_here[n] != status_there[n] and n not in changed),
                           key=lambda n: (distance.get(scenario.model.index[n], len(names)),
                                          scenario.model.index[n])))
    return Contrast(theirs, changed, path, path_in, reached)


def _distances(system: LogicalSystem, target: int) -> dict[int, int]:
    """How many edges of the interaction graph separate each node from ``target``, in
    either direction (regulators upstream, targets downstream): breadth-first."""
    from collections import deque

    distance = {target: 0}
    queue = deque([target])
    while queue:
        node = queue.popleft()
        for other in sorted(system.regulators[node] | system.targets[node]):
            if other not in distance:
                distance[other] = distance[node] + 1
                queue.append(other)
    return distance


def _path_to(explanation: Explanation, sources: set[str]) -> list[str] | None:
    """The shortest path along ``explanation``'s steps (regulator -> node) from a node of
    ``sources`` to the node explained."""
    from collections import deque

    reasons = {step.node: step.because for step in explanation.steps}
    target = explanation.node
    if target in sources:
        return [target]
    successor: dict[str, str] = {}
    queue = deque([target])
    seen = {target}
    while queue:
        node = queue.popleft()
        for regulator in reasons.get(node, ()):
            if regulator in seen:
                continue
            seen.add(regulator)
            successor[regulator] = node
            if regulator in sources:
                path = [regulator]
                while path[-1] != target:
                    path.append(successor[path[-1]])
                return path
            queue.append(regulator)
    return None
