"""Time courses of a population of cells: stochastic asynchronous Boolean dynamics in
continuous time, simulated for many cells at once with NumPy.

Semantics (the same as MaBoSS's, Stoll et al. 2012, BMC Syst Biol 6:116; 2017,
Bioinformatics 33:2226). Each cell is an independent continuous-time Markov chain on the
states ``x`` of the network. In state ``x`` node ``i`` can change only when its update
function disagrees with it, ``f_i(x) != x_i``; it then switches on at rate ``up_i`` (when
``x_i = 0``) or off at rate ``down_i`` (when ``x_i = 1``), and each transition changes one
node. Rates are per unit of time, 1 unless given; the time unit is the mean waiting time of a
unit-rate change. A cell where no node can change (a fixed point) stays put.

The chains are simulated exactly with Gillespie's direct method: a cell in ``x`` with total
rate ``R = Σ_i rate_i(x)`` waits an exponential time of mean ``1/R``, then changes node ``i``
with probability ``rate_i(x)/R``. All cells advance together: one vectorised step applies one
transition to every cell still running (each with its own clock), evaluating the update
functions for all of them at once (:meth:`LogicalSystem.evaluate`). The result is, for every
node and time point ``t_k``, the fraction of cells with the node at 1 at time ``t_k`` (the
state held just before the first transition after ``t_k``), an unbiased estimate of the
probability ``P(x_i(t_k) = 1)`` with standard error ``sqrt(p(1-p)/cells)``.

Clamped nodes (a scenario's inputs, drugs and mutations) have constant update functions and
start at their clamp value, so they never change.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import InputError, LimitExceeded
from ..model import Model
from .results import Limits

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

    import numpy
    from matplotlib.figure import Figure

    from ..readouts import AttractorCache
    from ..scenarios import Scenario
    from .system import LogicalSystem


@dataclass(frozen=True)
class PopulationLimits:
    """Bounds on a population simulation; exceeding one raises :class:`LimitExceeded`.

    ``cells``: the most cells simulated. ``events``: the most transitions one cell may take
    before the end time (a network that keeps oscillating at high rates would otherwise run
    for ever). ``cell_points``: the most cells × time points × nodes kept in memory.
    """

    cells: int = 1_000_000
    events: int = 20_000
    cell_points: int = 200_000_000


@dataclass(frozen=True)
class Rates:
    """Per-node transition rates: ``up[name]`` for 0 -> 1, ``down[name]`` for 1 -> 0; nodes
    left out have rate 1 both ways."""

    up: Mapping[str, float] = field(default_factory=dict)
    down: Mapping[str, float] = field(default_factory=dict)

    def arrays(self, model: Model) -> tuple[numpy.ndarray, numpy.ndarray]:
        """``(up, down)`` as float arrays in model node order.

        :raises InputError: for an unknown node (with a suggestion) or a rate that is not a
            finite number >= 0.
        """
        import numpy as np

        up = np.ones(len(model))
        down = np.ones(len(model))
        for table, target in ((self.up, up), (self.down, down)):
            for name, rate in table.items():
                if name not in model:
                    raise InputError(f"rate given for unknown node {name!r}"
                                     f"{_suggest(name, model.names)}")
                if not isinstance(rate, (int, float)) or isinstance(rate, bool) or \
                        not math.isfinite(rate) or rate < 0:
                    raise InputError(f"rate of {name!r} must be a finite number >= 0, not "
                                     f"{rate!r}")
                target[model.index[name]] = float(rate)
        return up, down

    def to_json(self) -> dict[str, dict[str, float]]:
        return {"up": dict(self.up), "down": dict(self.down)}


def _suggest(word: str, choices: Sequence[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


@dataclass(frozen=True, eq=False)
class PopulationCourse:
    """The fraction of cells in which each node is active over time.

    ``times`` has the sample times (``points`` of them, from 0 to the end time);
    ``activity[k, i]`` is the fraction of cells with node ``names[i]`` at 1 at ``times[k]``.
    ``shown`` are the nodes reported by :meth:`to_csv`, :meth:`to_json`, :meth:`table` and
    :meth:`plot` (default all). ``stable`` is the fraction of cells that had reached a fixed
    point by the end time.
    """

    names: tuple[str, ...]
    times: numpy.ndarray
    activity: numpy.ndarray
    cells: int
    seed: int
    rates: Rates
    stable: float
    shown: tuple[str, ...] = ()
    title: str = ""

    def of(self, name: str) -> numpy.ndarray:
        """The fraction of cells with ``name`` at 1 at each time point."""
        if name not in self.names:
            raise InputError(f"unknown node {name!r}{_suggest(name, self.names)}")
        return self.activity[:, self.names.index(name)]

    @property
    def nodes(self) -> tuple[str, ...]:
        return self.shown or self.names

    def to_csv(self) -> str:
        """``time,NODE,...`` then one row per time point (fractions to 4 decimals)."""
        lines = [",".join(("time",) + self.nodes)]
        columns = [self.names.index(n) for n in self.nodes]
        for k, time in enumerate(self.times):
            lines.append(",".join([_short(time)] + [f"{self.activity[k, c]:.4f}"
                                                   for c in columns]))
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict[str, Any]:
        """``{"title", "cells", "seed", "rates": {"up", "down"}, "stable_fraction",
        "times": [...], "activity": {NODE: [...]}}``."""
        return {"title": self.title, "cells": self.cells, "seed": self.seed,
                "rates": self.rates.to_json(), "stable_fraction": round(self.stable, 6),
                "times": [float(_short(t)) for t in self.times],
                "activity": {n: [round(float(v), 6) for v in self.of(n)] for n in self.nodes}}

    def table(self, columns: int = 9) -> str:
        """Nodes as rows and about ``columns`` evenly spaced time points as columns (percent
        of cells active), for a terminal."""
        from ..presentation import format_table

        count = len(self.times)
        shown = max(2, min(columns, count))
        picks = sorted({round(j * (count - 1) / (shown - 1)) for j in range(shown)})
        header = ["node \\ time"] + [_short(self.times[k]) for k in picks]
        rows = [[n] + [f"{100 * self.of(n)[k]:.0f}%" for k in picks] for n in self.nodes]
        head = (f"{self.title}: " if self.title else "") + \
            f"% of {self.cells} cells active (seed {self.seed})"
        return head + "\n" + format_table(header, rows)

    def plot(self, nodes: Sequence[str] | None = None) -> Figure:
        """A matplotlib :class:`~matplotlib.figure.Figure` of the time course (one line per
        node, fraction of cells active against time); no pyplot, no backend switch."""
        from matplotlib.figure import Figure

        chosen = tuple(nodes) if nodes is not None else self.nodes
        figure = Figure(figsize=(7.0, 4.2), dpi=100)
        axes = figure.add_subplot()
        for name in chosen:
            axes.plot(self.times, self.of(name), label=name, linewidth=1.6)
        axes.set_xlabel("time (1 = mean waiting time of a unit-rate change)")
        axes.set_ylabel("fraction of cells active")
        axes.set_ylim(-0.02, 1.02)
        axes.set_xlim(float(self.times[0]), float(self.times[-1]))
        axes.grid(alpha=0.3)
        axes.set_title(self.title or "population time course", fontsize=10)
        if chosen:
            axes.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5),
                        frameon=False)
        figure.tight_layout()
        return figure

    def save_plot(self, path: str, nodes: Sequence[str] | None = None) -> None:
        """Write :meth:`plot` to ``path`` (.png or .svg). A failed write leaves no file.

        :raises InputError: another suffix, matplotlib missing, an unwritable path.
        """
        import os

        target = plot_target(path)
        suffix = target.suffix.lower().lstrip(".")
        try:
            figure = self.plot(nodes)
        except ImportError:
            raise InputError("--plot needs matplotlib: pip install 'mtorlogic[plot]'") from None
        temporary = target.with_name(f".{target.name}.partial")
        try:
            figure.savefig(temporary, format=suffix)
            os.replace(temporary, target)
        except OSError as error:
            temporary.unlink(missing_ok=True)
            raise InputError(f"cannot write the plot ({error.strerror or error})",
                             str(path)) from None

    def _repr_png_(self) -> bytes:  # pragma: no cover - notebooks
        from io import BytesIO

        buffer = BytesIO()
        self.plot().savefig(buffer, format="png")
        return buffer.getvalue()

    def __repr__(self) -> str:
        return (f"PopulationCourse({len(self.nodes)} nodes, {self.cells} cells, "
                f"t = 0..{_short(self.times[-1])}, seed {self.seed})")


def plot_target(path: str) -> Path:
    """``path`` as the file a plot goes to, checked before any work is done.

    :raises InputError: a suffix other than .png/.svg, or a folder that does not exist.
    """
    from pathlib import Path

    target = Path(path)
    if target.suffix.lower() not in (".png", ".svg"):
        raise InputError("the plot is written as .png or .svg", str(path))
    if not target.parent.is_dir():
        raise InputError(f"cannot write the plot: no folder {str(target.parent)!r}", str(path))
    return target


def _short(value: float) -> str:
    return f"{float(value):.4f}".rstrip("0").rstrip(".") or "0"


def _evaluate(system: LogicalSystem, states: numpy.ndarray) -> numpy.ndarray:
    """Every update function on every row of ``states`` (cells × nodes, boolean)."""
    return system.evaluate(states)


def _refresh(system: LogicalSystem, states: numpy.ndarray, values: numpy.ndarray,
             cells: numpy.ndarray, readers: numpy.ndarray) -> None:
    """Re-evaluate, in place in ``values``, the functions that may have changed: for each
    ``cells[k]``, those of the nodes ``readers[k]`` (-1 = none). One vectorised call per
    node concerned."""
    import numpy as np

    flat = readers.ravel()
    keep = flat >= 0
    columns = flat[keep]
    if not len(columns):
        return
    rows = np.repeat(cells, readers.shape[1])[keep]
    order = np.argsort(columns, kind="stable")
    columns, rows = columns[order], rows[order]
    bounds = np.flatnonzero(np.diff(columns)) + 1
    for first, last in zip(np.r_[0, bounds], np.r_[bounds, len(columns)]):
        node, affected = int(columns[first]), rows[first:last]
        values[affected, node] = system.evaluate_node(node, states[affected])


def simulate_population(model: Model, starts: Sequence[Mapping[str, int]] = ({},), *,
                        cells: int = 1000, time: float = 20.0, points: int = 101,
                        rates: Rates = Rates(), seed: int = 0,
                        limits: PopulationLimits = PopulationLimits(),
                        title: str = "", shown: Sequence[str] = ()) -> PopulationCourse:
    """Simulate ``cells`` independent cells of ``model`` from ``starts`` up to ``time``.

    :param starts: partial initial states; each is given to the same number of cells (to
        within one; with fewer cells than starts, to a random subset of the cells), every
        node a start leaves out drawn 0 or 1 with probability 1/2 (independently per cell).
    :param time: the end time (> 0); ``points`` evenly spaced samples from 0 to ``time``.
    :param rates: per-node up/down rates (default 1).
    :param seed: the same seed (and arguments) gives the same result.
    :param shown: the nodes a report shows (default all).
    :returns: the fraction of cells with each node at 1 at each sample time.
    :raises InputError: bad arguments, unknown nodes in ``starts``, ``rates`` or ``shown``.
    :raises LimitExceeded: more cells than ``limits.cells``, too much memory, or a cell
        taking more than ``limits.events`` transitions before ``time``.

    Complexity: O(E × cells × Σ_i regulators_i) where E is the largest number of transitions
    a cell takes (cells that stop early drop out of later steps).
    """
    import numpy as np

    from .system import LogicalSystem

    if cells < 1:
        raise InputError(f"cells must be at least 1, not {cells}")
    if not (isinstance(time, (int, float)) and math.isfinite(time) and time > 0):
        raise InputError(f"the end time must be a positive number, not {time!r}")
    if points < 2:
        raise InputError(f"need at least 2 time points, not {points}")
    if cells > limits.cells:
        raise LimitExceeded(f"{cells} cells", limits.cells, "simulate fewer cells")
    if cells * len(model) > limits.cell_points or points * len(model) > limits.cell_points:
        raise LimitExceeded(f"{cells} cells × {points} points × {len(model)} nodes",
                            limits.cell_points, "simulate fewer cells or time points")
    for name in shown:
        if name not in model:
            raise InputError(f"unknown node {name!r}{_suggest(name, model.names)} in model "
                             f"{model.name}")  # its name: a path would vary
    if not starts:
        raise InputError("no starting state given")
    for start in starts:
        model.by_index(start, "initial state")
    up, down = rates.arrays(model)
    size = len(model)
    rng = np.random.default_rng(seed)
    # initial states: random, then each cell's start values on top
    states = rng.random((cells, size)) < 0.5
    known = np.zeros((len(starts), size), dtype=bool)
    given = np.zeros((len(starts), size), dtype=bool)
    for s, start in enumerate(starts):
        for name, value in start.items():
            known[s, model.index[name]] = True
            given[s, model.index[name]] = bool(value)
    # every start used equally often (to within one); fewer cells than starts: a random
    # subset, since a listing of attractor states is ordered
    which = (np.arange(cells) % len(starts) if cells >= len(starts)
             else rng.choice(len(starts), size=cells, replace=False))
    states = np.where(known[which], given[which], states)

    system = LogicalSystem.from_model(model)
    step = time / (points - 1)
    base = states.sum(axis=0).astype(np.int64)
    changes = np.zeros((points + 1, size), dtype=np.int64)

    def record(clock: numpy.ndarray, chosen: numpy.ndarray, new: numpy.ndarray) -> None:
        sample = np.ceil(clock / step - 1e-12).astype(np.int64)
        np.add.at(changes, (sample, chosen), np.where(new, 1, -1))

    stable = advance_cells(system, states, time, up, down, rng, limits, record)
    counts = base[None, :] + np.cumsum(changes[:points], axis=0)
    return PopulationCourse(model.names, np.linspace(0.0, time, points), counts / cells,
                            cells, seed, rates, stable / cells, tuple(shown), title)


def advance_cells(system: LogicalSystem, states: numpy.ndarray, time: float,
                  up: numpy.ndarray, down: numpy.ndarray, rng: numpy.random.Generator,
                  limits: PopulationLimits = PopulationLimits(),
                  record: Callable[[numpy.ndarray, numpy.ndarray, numpy.ndarray], None]
                  | None = None) -> int:
    """Run every cell (row of the boolean ``states``, changed in place) from time 0 to
    ``time`` by Gillespie's direct method (the module notes), all cells one transition per
    vectorised step. ``up``/``down``: per-node rates. ``record(clocks, nodes, values)`` is
    told each step's transitions (the firing cells' clocks, changed nodes, new values).
    Returns how many cells reached a fixed point before ``time``.

    :raises LimitExceeded: a cell taking more than ``limits.events`` transitions.

    Complexity: O(E × cells × Σ_i regulators_i), E the most transitions a cell takes."""
    import numpy as np

    cells, size = states.shape
    # targets[j] lists the nodes whose functions read node j (padded with -1): after node j
    # changes in a cell, only those functions can change value there
    width = max([len(t) for t in system.targets] + [1])
    targets = np.full((size, width), -1, dtype=np.int64)
    for node, readers in enumerate(system.targets):
        targets[node, :len(readers)] = sorted(readers)
    values = _evaluate(system, states)  # every update function in every cell, kept current
    clock = np.zeros(cells)
    running = np.arange(cells)
    stable = 0
    events = 0
    while len(running):
        current = states[running]
        rows, nodes = np.nonzero(values[running] != current)  # row-major order
        weights = np.where(current[rows, nodes], down[nodes], up[nodes])
        total = np.bincount(rows, weights=weights, minlength=len(running))
        still = total > 0
        stable += int((~still).sum())
        clock[running[still]] += rng.standard_exponential(int(still.sum())) / total[still]
        fire = still & (clock[running] <= time)
        if not fire.any():
            break
        events += 1
        if events > limits.events:
            raise LimitExceeded(f"a cell took more than {limits.events} transitions before "
                                f"time {_short(time)}", limits.events,
                                "shorten the time, lower the rates, or raise --max-events")
        # choose each firing cell's transition with probability rate / total: one global
        # cumulative sum over the enabled transitions, searched at each row's threshold
        ends = np.cumsum(weights)
        starts_of_rows = np.concatenate(([0.0], np.cumsum(total)[:-1]))
        firing = np.flatnonzero(fire)
        threshold = starts_of_rows[firing] + rng.random(len(firing)) * total[firing]
        pick = np.searchsorted(ends, threshold, side="right")
        last = np.searchsorted(rows, firing, side="right") - 1  # rounding at a row's end
        pick = np.minimum(pick, last)
        cells_fired, chosen = running[firing], nodes[pick]
        new = ~states[cells_fired, chosen]
        states[cells_fired, chosen] = new
        if record is not None:
            record(clock[cells_fired], chosen, new)
        _refresh(system, states, values, cells_fired, targets[chosen])
        running = cells_fired
    return stable


def scenario_starts(scenario: Scenario, *, after: Scenario | None = None,
                    cache: AttractorCache | None = None,
                    search_limits: Limits | None = None
                    ) -> tuple[Model, list[dict[str, int]]]:
    """The clamped model a scenario runs on, and where its cells start.

    The earlier phase is ``after`` when given, else the scenario's ``initial``. Without
    either: one partial start holding only the clamps, so every other node starts at random.
    With one: the states of the attractors the earlier phase reaches (each listed state
    once, cells spread evenly over them), this scenario's clamps applied at time 0; an
    attractor too large to list contributes its subspace, its free nodes drawn at random.

    ``search_limits`` bound the earlier phase's attractor search (default :class:`Limits`).

    :raises InputError: when ``after`` runs on a model with other nodes.
    :raises LimitExceeded: when the earlier phase's search hits ``search_limits``.
    """
    from ..readouts import reached_attractors, starting_states

    clamps = scenario.clamps
    model = scenario.model.clamp(clamps, reason=f"scenario {scenario.label}")
    earlier = after if after is not None else scenario.initial
    if earlier is None:
        return model, [dict(clamps)]
    if set(earlier.model.names) != set(scenario.model.names):
        raise InputError(f"the earlier scenario runs on {earlier.model_path}, whose nodes "
                         f"differ from those of {scenario.model_path}", str(earlier.path))
    before = reached_attractors(earlier, {} if cache is None else cache,
                                limits=Limits() if search_limits is None else search_limits)
    return model, starting_states(before, earlier.model.names, clamps)


def simulate_scenario(scenario: Scenario, *, after: Scenario | None = None,
                      search_limits: Limits | None = None,
                      **options: Any) -> PopulationCourse:
    """:func:`simulate_population` of a scenario's clamped model from
    :func:`scenario_starts` (``search_limits`` bound the earlier phase's attractor
    search); takes the same keyword options (``title`` defaults to the scenario's name,
    with the earlier phase's)."""
    model, starts = scenario_starts(scenario, after=after, search_limits=search_limits)
    earlier = after if after is not None else scenario.initial
    options.setdefault("title", scenario.name if earlier is None
                       else f"{earlier.label} → {scenario.label}")
    return simulate_population(model, starts, **options)
