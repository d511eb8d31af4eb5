"""Readable text tables for results."""
from __future__ import annotations

from typing import Sequence

from .dynamics.results import Attractor
from .model import Model

WIDTH = 100
"""Tables are laid out to fit this many columns."""


def format_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain aligned text table. A heading holding a newline takes two lines (the
    second aligned under the first), so long node names need not widen their column."""
    parts = [str(c).split("\n") for c in header]
    depth = max((len(p) for p in parts), default=1)
    headings = [[p[i] if i < len(p) else "" for p in parts] for i in range(depth)]
    body = [[str(c) for c in row] for row in rows]
    cells = headings + body
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(depth, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def shorten(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, ending in ``…`` when cut."""
    return text if len(text) <= width else text[:max(1, width - 1)] + "…"


def attractor_table(model: Model, attractors: Sequence[Attractor], semantics: str) -> str:
    """Nodes as rows, attractors as columns; constant nodes summarised on one line."""
    count = len(attractors)
    title = (f"{model.name}: {count:,} {semantics} attractor{'s' if count != 1 else ''} "
             f"({len(model)} nodes)")
    if not attractors:
        return title
    header = ["node"] + [f"A{i + 1}" for i in range(count)]
    sizes = ["size"] + [str(a.size) + (" (fixed point)" if a.fixed_point else "")
                        for a in attractors]
    varying = [name for name in model.names
               if len({str(a.values[name]) for a in attractors}) > 1
               or any(a.values[name] == "*" for a in attractors)]
    rows = [sizes] + [[name] + [_cell(a, name) for a in attractors] for name in varying]
    same = [name for name in model.names if name not in varying]
    lines = [title, format_table(header, rows)]
    if same:
        on = [n for n in same if attractors[0].values[n] == 1]
        off = [n for n in same if attractors[0].values[n] == 0]
        lines.append(f"on in every attractor: {', '.join(on) or '-'}")
        lines.append(f"off in every attractor: {', '.join(off) or '-'}")
    return "\n".join(lines)


def attractor_summary(model: Model, attractors: Sequence[Attractor], semantics: str,
                      by: Sequence[str]) -> str:
    """Many attractors in a few lines: one row per combination of values that the ``by``
    nodes take (``*`` when a node changes inside the attractor), with how many attractors
    show it, how many of them are fixed points, and their sizes."""
    from collections import Counter

    count = len(attractors)
    title = (f"{model.name}: {count:,} {semantics} attractor{'s' if count != 1 else ''} "
             f"({len(model)} nodes), grouped by {', '.join(by)}")
    if len(title) > WIDTH:
        title = title[:title.index(", grouped by")] + f", grouped by {len(by)} nodes"
    groups: dict[tuple, list[Attractor]] = {}
    for attractor in attractors:
        groups.setdefault(tuple(str(attractor.values[n]) for n in by), []).append(attractor)
    rows = []
    for key in sorted(groups, key=lambda k: (-len(groups[k]), k)):
        members = groups[key]
        fixed = sum(a.fixed_point for a in members)
        sizes = Counter(a.size for a in members)
        shown = ", ".join(f"{size}" + (f" ×{n}" if n > 1 else "")
                          for size, n in sorted(sizes.items())[:4])
        more = " …" if len(sizes) > 4 else ""
        rows.append([*key, str(len(members)), str(fixed), shown + more])
    header = [*by, "attractors", "fixed points", "sizes"]
    return "\n".join([title, format_table(header, rows)])


def _cell(attractor: Attractor, name: str) -> str:
    value = attractor.values[name]
    if value == "*":
        return f"* {attractor.activities.get(name, 0.5):.2f}" if attractor.activities else "*"
    return str(value)
