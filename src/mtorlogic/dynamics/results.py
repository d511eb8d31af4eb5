"""What the dynamics compute: attractors and the limits that bound the work."""
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
    ``seconds``: wall-clock budget of one attractor search (``None`` = unbounded).
    """

    explicit_nodes: int = 18
    synchronous_nodes: int = 22
    stg_states: int = 2 ** 16
    candidates: int = 5000
    trap_spaces: int = 100_000
    exact_activity_states: int = 2 ** 14
    seconds: float | None = 600.0


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

    def to_json(self) -> dict:
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
