"""A heat map of a pair screen (``mtorlogic screen --plot FILE.png|svg``).

Subset screens: one row and one column per single perturbation; the cell of ``a`` and
``b`` shows the verdict of the pair, the diagonal that of the single. Grid screens: rows are
the mutation sets, columns the drug sets. Colours: always (dark), sometimes (mid), never
(light), not screened (white); a dot marks a synergistic pair. When there are many singles
only those that take part in some perturbation achieving the target are drawn (the title
says so). matplotlib is imported here only; the figure is a plain ``matplotlib.figure.Figure``
rendered by its own canvas, so no backend is selected and no global state changes.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..outcomes import Outcome, Verdict
from .report import ScreenReport
from .screen import label
from .spec import STRENGTH, Items
from .store import key_of

COLOURS = {Verdict.ALWAYS: "#1b5e20", Verdict.SOMETIMES: "#81c784", Verdict.NEVER: "#eceff1"}
MAX_AXIS = 80
"""More singles than this: keep those that take part in an achieving perturbation."""


def check_plot_target(path: str | Path) -> Path:
    """``path`` if a heat map can be written there: a .png or .svg name in a writable
    folder, with matplotlib installed. A screen checks this before it runs, so that a
    wrong name does not cost the whole screen's work.

    :raises InputError: naming the file and what is wrong.
    """
    import importlib.util
    import os

    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg"):
        raise InputError("the heat map is written as .png or .svg", str(path))
    folder = path.parent
    if not folder.is_dir():
        raise InputError("the folder of the heat map does not exist", str(path))
    if not os.access(folder, os.W_OK | os.X_OK) or (path.exists() and
                                                    not os.access(path, os.W_OK)):
        raise InputError("the heat map cannot be written here (permission denied)", str(path))
    if importlib.util.find_spec("matplotlib") is None:
        raise InputError("--plot needs matplotlib: pip install 'mtorlogic[plot]'")
    return path


def heat_map(report: ScreenReport, path: str | Path) -> Path:
    """Draw the screen's heat map into ``path`` (format from its suffix: .png or .svg).

    :raises InputError: for another suffix, or when matplotlib is missing.
    """
    path = check_plot_target(path)
    try:
        from matplotlib.colors import ListedColormap
        from matplotlib.figure import Figure
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch
    except ImportError:
        raise InputError("--plot needs matplotlib: pip install 'mtorlogic[plot]'") from None

    rows, columns, cells, title = _layout(report)
    # a Failure (a perturbation not judged) is no verdict: drawn like a cell not screened
    grid = [[_strength(cells[(r, c)]) if (r, c) in cells else -1
             for c in columns] for r in rows]
    synergistic = {key_of(hit.items) for hit in report.synergistic()}
    size = max(4.0, min(40.0, 0.22 * max(len(rows), len(columns)) + 3))
    figure = Figure(figsize=(size * max(1, len(columns)) / max(len(rows), len(columns), 1) + 2.5,
                             size))
    axes = figure.add_subplot()
    import numpy as np

    data = np.ma.masked_less(np.array(grid, dtype=float), 0)
    palette = ListedColormap([COLOURS[v] for v in sorted(STRENGTH, key=STRENGTH.__getitem__)]
                             ).with_extremes(bad="white")
    axes.imshow(data, cmap=palette, vmin=0, vmax=2, aspect="auto", interpolation="nearest")
    for i, r in enumerate(rows):
        for j, c in enumerate(columns):
            if r != c and key_of(r + c) in synergistic:
                axes.plot(j, i, marker="o", markersize=3, color="#ff6f00")
    font = max(4, min(9, int(600 / max(len(rows), len(columns), 1))))
    axes.set_xticks(range(len(columns)))
    axes.set_xticklabels([label(c) if c else "none" for c in columns], rotation=90, fontsize=font)
    axes.set_yticks(range(len(rows)))
    axes.set_yticklabels([label(r) if r else "none" for r in rows], fontsize=font)
    handles: list[Patch | Line2D] = [Patch(color=COLOURS[v], label=str(v)) for v in Verdict]
    handles.append(Line2D([], [], marker="o", color="#ff6f00", linestyle="",
                          label="synergistic"))
    axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
    axes.set_title(title, fontsize=9)
    figure.tight_layout()
    try:
        figure.savefig(path, dpi=150)
    except OSError as error:
        raise InputError(f"cannot write the heat map ({error.strerror or error})",
                         str(path)) from None
    return path


def _strength(outcome: Outcome) -> int:
    return STRENGTH[outcome] if isinstance(outcome, Verdict) else -1


Cells = dict[tuple[Items, Items], Outcome]


def _layout(report: ScreenReport) -> tuple[list[Items], list[Items], Cells, str]:
    """Row and column labels (perturbation item tuples) and the verdict of each cell."""
    if report.plan.is_grid:
        return (*report.grid(), f"{report.spec.target}: mutations x drugs")
    cells: Cells = {}
    singles: list[Items] = [p for p in report.perturbations if len(p) == 1]
    if not singles:
        raise InputError("--plot draws singles and pairs; this screen has none")
    for p in report.perturbations:
        if len(p) == 1:
            cells[(p, p)] = report.verdict(p)
        elif len(p) == 2:
            a: Items = (p[0],)
            b: Items = (p[1],)
            cells[(a, b)] = cells[(b, a)] = report.verdict(p)
    shown = singles
    note = ""
    if len(singles) > MAX_AXIS:
        involved = {item for p in report.perturbations if len(p) in (1, 2)
                    and report.achieves(report.verdict(p)) for item in p}
        shown = [s for s in singles if s[0] in involved] or singles[:MAX_AXIS]
        note = f" ({len(shown)} of {len(singles)} singles: those in an achieving set)"
    return shown, shown, cells, f"{report.spec.target}: pairs{note}"
