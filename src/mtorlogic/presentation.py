"""Readable text tables for results."""
from __future__ import annotations

from typing import Sequence

from .dynamics.results import Attractor
from .model import Model


def format_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain aligned text table."""
    cells = [[str(c) for c in header]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def attractor_table(model: Model, attractors: Sequence[Attractor], semantics: str) -> str:
    """Nodes as rows, attractors as columns; constant nodes summarised on one line."""
    count = len(attractors)
    title = (f"{model.name}: {count} {semantics} attractor{'s' if count != 1 else ''} "
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


def _cell(attractor: Attractor, name: str) -> str:
    value = attractor.values[name]
    if value == "*":
        return f"* {attractor.activities.get(name, 0.5):.2f}" if attractor.activities else "*"
    return str(value)
