"""What the dynamics compute (attractors), the limits that bound the work, and the knobs
that tune the search without changing its answers."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

SEMANTICS = ("asynchronous", "synchronous", "most-permissive")


@dataclass(frozen=True)
class Limits:
    """Bounds on exponential work; exceeding one raises :class:`LimitExceeded`.

    ``explicit_nodes``: the most free nodes (after percolation) whose asynchronous dynamics
    is explored state by state (beyond it, trap spaces and symbolic search take over).
    ``synchronous_nodes``: the most free nodes the synchronous search enumerates.
    ``stg_states``: the most states a state-transition graph may have.
    ``candidates``: the most attractor candidate states examined in one trap space.
    ``trap_spaces``: the most minimal trap spaces enumerated; each holds at least one
    attractor, so this also bounds the attractors listed (bbm004 with inputs off has
    more than 460,000).
    ``exact_activity_states``: the largest attractor whose stationary distribution is solved
    exactly; larger ones are estimated by seeded simulation (and say so).
    ``seconds``: wall-clock budget of one attractor search (``None`` = unbounded); in a
    screen, of the work on one perturbation.
    ``memory_mb``: the most resident memory (megabytes) the process may hold during a
    search (``None`` = unbounded); checked ten times a second, so a search that grows past
    it stops with a message instead of exhausting the machine.
    """

    explicit_nodes: int = 18
    synchronous_nodes: int = 22
    stg_states: int = 2 ** 16
    candidates: int = 5000
    trap_spaces: int = 100_000
    exact_activity_states: int = 2 ** 14
    seconds: float | None = 600.0
    memory_mb: float | None = None

    def __post_init__(self) -> None:
        import math

        from ..errors import InputError

        for name in ("explicit_nodes", "synchronous_nodes", "stg_states", "candidates",
                     "trap_spaces", "exact_activity_states"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise InputError(f"Limits.{name} must be an integer >= 0, got {value!r}")
        for name in ("seconds", "memory_mb"):
            value = getattr(self, name)
            if value is None:
                continue
            if (isinstance(value, bool) or not isinstance(value, (int, float))
                    or not math.isfinite(value) or value <= 0):
                raise InputError(f"Limits.{name} must be a positive finite number or None, "
                                 f"got {value!r}")


@dataclass(frozen=True)
class SearchOptions:
    """How the attractor search goes about its work. None of these changes which attractors
    are found (every shortcut they tune is exact); only estimated activities of attractors
    past ``Limits.exact_activity_states`` depend on ``activity_sweeps`` and ``seed``.

    ``symbolic_candidate_nodes``: cores with at most this many free nodes get their
    attractor candidates from aeon's symbolic fixed points (bbm004's 56 cores of 38-85
    nodes: ~10 ms each, clingo ~40 ms); larger ones from clingo, which stays fast where BDDs
    do not (bbm211's 183-node core: 0.02 s vs 1.1 s).
    ``basin_share``: share of the remaining time budget the symbolic basin check may take
    before the search refines along the succession diagram instead (``0`` refines at once).
    ``candidate_walk_sweeps``: sweeps of the walk that tries to show a candidate reaches an
    attractor already found, inside a minimal trap space.
    ``trap_walk_sweeps``: sweeps of the batched walks that dismiss candidates reaching a
    minimal trap space (slow-mixing networks need hundreds: bbm151 ~340).
    ``reach_walks``, ``reach_walk_sweeps``: walks per start (and their length) that show
    cheaply which attractors a start reaches, before symbolic reachability settles the rest.
    ``activity_sweeps``: length of the walk estimating a large attractor's activities.
    ``python_scc_states``: up to this many states, plain Python finds strongly connected
    components faster than importing SciPy.
    ``list_symbolic``: a core with more states than that (and at most
    ``Limits.explicit_nodes`` free nodes) is searched by aeon and its attractors' states
    listed; ``False`` enumerates every state with NumPy and SciPy instead.
    ``seed``: seed of every random walk (results are reproducible).
    """

    symbolic_candidate_nodes: int = 100
    basin_share: float = 0.5
    candidate_walk_sweeps: int = 200
    trap_walk_sweeps: int = 1000
    reach_walks: int = 8
    reach_walk_sweeps: int = 500
    activity_sweeps: int = 2000
    python_scc_states: int = 1 << 12
    list_symbolic: bool = True
    seed: int = 0


@dataclass(frozen=True)
class Attractor:
    """One attractor.

    ``values`` is the smallest subspace containing it (SPEC §5): node -> 0, 1 or ``"*"``.
    ``size`` is its number of states. ``states`` lists them (node -> 0/1 dicts are too big,
    so each state is a tuple of 0/1 in model node order) when the attractor is small enough
    to enumerate, else ``None``. ``activities`` is each node's share of time at 1 (SPEC §3);
    ``activity_exact`` says whether it was solved exactly or estimated by simulation.
    """

    values: Mapping[str, int | str]
    size: int
    states: tuple[tuple[int, ...], ...] | None = None
    activities: Mapping[str, float] = field(default_factory=dict)
    activity_exact: bool = True

    @property
    def fixed_point(self) -> bool:
        return self.size == 1

    def value(self, node: str) -> int | str:
        return self.values[node]

    def to_json(self) -> dict[str, object]:
        return {"size": self.size, "fixed_point": self.fixed_point, "values": dict(self.values)}

    def __repr__(self) -> str:
        # Short on purpose: the states and activities of a large attractor run to
        # hundreds of thousands of characters; `values`, `states`, `activities` hold them.
        changing = [name for name, value in self.values.items() if value == "*"]
        on = sum(1 for value in self.values.values() if value == 1)
        off = sum(1 for value in self.values.values() if value == 0)
        kind = "fixed point" if self.fixed_point else f"{self.size:,} states"
        names = (" (" + ", ".join(changing[:5]) + (", …" if len(changing) > 5 else "") + ")"
                 if changing else "")
        return f"<Attractor, {kind}: {on} on, {off} off, {len(changing)} changing{names}>"


@dataclass(frozen=True)
class TrapSpaceCount:
    """How many minimal trap spaces a model has, grouped by the values of chosen nodes,
    without listing them (:func:`~mtorlogic.dynamics.attractors.count_minimal_trap_spaces`).

    ``total`` minimal trap spaces were found, ``fixed_points`` of them single states.
    Under the most-permissive semantics each is one attractor; under the asynchronous one
    each holds at least one, and a fixed point exactly one. ``groups`` maps the values of
    the ``by`` nodes (0, 1, or ``"*"`` when a node is free in the trap space) to
    ``(trap spaces, fixed points)``. ``complete`` is false when the time budget ran out
    first: the counts are then lower bounds.
    """

    by: tuple[str, ...]
    total: int
    fixed_points: int
    groups: Mapping[tuple[int | str, ...], tuple[int, int]]
    complete: bool
    seconds: float

    def to_json(self) -> dict:
        return {"minimal_trap_spaces": self.total, "fixed_points": self.fixed_points,
                "complete": self.complete, "seconds": round(self.seconds, 3),
                "by": list(self.by),
                "groups": [{"values": dict(zip(self.by, key)), "minimal_trap_spaces": n,
                            "fixed_points": f}
                           for key, (n, f) in sorted(self.groups.items(), key=lambda kv: (
                               -kv[1][0], [str(v) for v in kv[0]]))]}
