"""How often a target holds in the long run of the random asynchronous update, from given
start states: exact absorption probabilities when the reachable part of the state space is
small enough, else a seeded simulation estimate with a confidence interval (and which one
is said).

The random asynchronous update picks one of the ``n`` nodes uniformly at each step and
applies its function (the walk of :mod:`.simulation`). Started uniformly from the states of
the start subspaces (a start's free nodes take every value with equal probability; each
start subspace weighs its share of the states), the walk ends in one attractor; the
*probability of the target* is the long-run probability that the target holds:
``sum_A P(absorbed in A) * pi_A(target)``, where ``pi_A`` is the stationary distribution of
the walk inside attractor ``A`` (for a fixed point, 1 or 0). This is what a population of
stochastic simulations read at a late time measures (Zanudo et al. 2017 report such
fractions).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import product
from typing import Any, Callable, Mapping, Sequence

from .evaluation import CompiledFunction
from .system import LogicalSystem

Target = CompiledFunction | Callable[[Sequence[int]], Any]
"""The target: compiled (evaluated on many states at once) or a function of one state."""


@dataclass(frozen=True)
class Probability:
    """A probability with its method: ``exact`` (absorption probabilities; ``low`` =
    ``high`` = ``value``) or ``estimated`` (``runs`` seeded walks of ``steps`` updates;
    ``low``/``high`` the 95% Wilson interval)."""

    value: float
    low: float
    high: float
    method: str
    runs: int = 0
    steps: int = 0
    states: int = 0

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"value": round(self.value, 6), "low": round(self.low, 6),
                                  "high": round(self.high, 6), "method": self.method}
        if self.method == "estimated":
            out.update(runs=self.runs, steps=self.steps)
        else:
            out["reachable_states"] = self.states
        return out

    def __str__(self) -> str:
        if self.method == "exact":
            return f"{self.value:.3f}"
        return f"{self.value:.3f} [{self.low:.2f}-{self.high:.2f}]"


def wilson(successes: int, trials: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a binomial proportion (95% by default)."""
    if trials == 0:
        return 0.0, 1.0
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def start_states(system: LogicalSystem, starts: Sequence[Mapping[int, int]],
                 most: int) -> list[tuple[int, ...]] | None:
    """Every state of the start subspaces (each counted once per subspace it lies in), or
    ``None`` when there are more than ``most``."""
    size = len(system)
    out: list[tuple[int, ...]] = []
    for start in starts:
        free = system.free(start)
        if len(out) + (1 << len(free)) > most:
            return None
        for values in product((0, 1), repeat=len(free)):
            state = [0] * size
            for node, value in start.items():
                state[node] = value
            for node, value in zip(free, values):
                state[node] = value
            out.append(tuple(state))
    return out


def exact_probability(system: LogicalSystem, starts: list[tuple[int, ...]], target: Any,
                      most: int) -> Probability | None:
    """Exact long-run probability of ``target`` (a function of a state tuple -> bool) from
    the uniform distribution over ``starts``; ``None`` when more than ``most`` states are
    reachable.

    Builds the reachable state-transition graph by breadth-first search, finds its terminal
    strongly connected components (the attractors), solves the absorption equations
    ``(I - Q) B = R`` on the transient states and each attractor's stationary distribution
    (sparse LU, SciPy). Complexity: O(reachable states x n) to build, one sparse solve per
    attractor and one for the transient states."""
    import numpy as np
    from scipy.sparse import csr_matrix, identity
    from scipy.sparse.csgraph import connected_components
    from scipy.sparse.linalg import spsolve

    functions = system.scalar_functions
    n = len(functions)
    index: dict[tuple[int, ...], int] = {}
    order: list[tuple[int, ...]] = []
    for state in starts:
        if state not in index:
            index[state] = len(order)
            order.append(state)
    rows: list[int] = []
    cols: list[int] = []
    k = 0
    while k < len(order):
        state = order[k]
        for node in range(n):
            value = int(functions[node](state))
            if value != state[node]:
                following = state[:node] + (value,) + state[node + 1:]
                j = index.get(following)
                if j is None:
                    if len(order) >= most:
                        return None
                    j = index[following] = len(order)
                    order.append(following)
                rows.append(k)
                cols.append(j)
        k += 1
    size = len(order)
    moves = csr_matrix((np.full(len(rows), 1.0 / n), (rows, cols)), shape=(size, size))
    stay = 1.0 - np.asarray(moves.sum(axis=1)).ravel()
    transition = (moves + csr_matrix((stay, (range(size), range(size))),
                                     shape=(size, size))).tocsr()
    _, labels = connected_components(moves, directed=True, connection="strong")
    leaving = np.zeros(labels.max() + 1, dtype=bool)
    source, sink = labels[np.array(rows, dtype=int)], labels[np.array(cols, dtype=int)]
    leaving[source[source != sink]] = True
    terminal = [c for c in range(labels.max() + 1) if not leaving[c]]
    values = np.array([bool(target(state)) for state in order], dtype=float)
    # stationary share of the target inside each attractor
    share = {}
    for component in terminal:
        members = np.flatnonzero(labels == component)
        if len(members) == 1:
            share[component] = values[members[0]]
            continue
        share[component] = float(_stationary(transition[members][:, members]) @ values[members])
    in_terminal = np.isin(labels, terminal)
    reward = np.array([share[labels[i]] if in_terminal[i] else 0.0 for i in range(size)])
    transient = np.flatnonzero(~in_terminal)
    outcome = reward.copy()
    if len(transient):
        q = transition[transient][:, transient]
        to_terminal = transition[transient][:, np.flatnonzero(in_terminal)]
        b = to_terminal @ reward[in_terminal]
        solved = spsolve((identity(len(transient), format="csc") - q).tocsc(), b)
        outcome[transient] = np.atleast_1d(solved)
    mean = min(1.0, max(0.0, float(np.mean([outcome[index[s]] for s in starts]))))
    return Probability(mean, mean, mean, "exact", states=size)


def _stationary(block: Any) -> Any:
    """The stationary distribution of an irreducible stochastic matrix (sparse), by one
    sparse solve of ``pi (P - I) = 0`` with one equation replaced by ``sum(pi) = 1`` (an
    attractor may have hundreds of thousands of states: never dense)."""
    import numpy as np
    from scipy.sparse import identity
    from scipy.sparse.linalg import spsolve

    m = block.shape[0]
    equations = (block.T - identity(m, format="csr")).tolil()
    equations[m - 1, :] = np.ones(m)
    rhs = np.zeros(m)
    rhs[-1] = 1.0
    pi = np.atleast_1d(spsolve(equations.tocsc(), rhs))
    return np.clip(pi, 0.0, None) / max(float(np.clip(pi, 0.0, None).sum()), 1e-300)


def estimated_probability(system: LogicalSystem, starts: Sequence[Mapping[int, int]],
                          target: Target, *, runs: int, sweeps: int, seed: int) -> Probability:
    """Seeded estimate from ``runs`` cells simulated together (NumPy), each from a start
    state drawn uniformly (a start subspace with probability proportional to its number of
    states, then its free nodes at random); the target is read on each cell's last state.

    The cells follow the continuous-time form of the random asynchronous update
    (:func:`~.population.advance_cells`, every node that can change does so at rate 1):
    its jump chain is the walk's with the steps that change nothing left out, so both end in
    each attractor with the same probability and spend the same shares of time in its
    states; ``sweeps`` time units match ``sweeps * n`` steps of the walk (each node updated
    ``sweeps`` times on average). The 95% Wilson interval covers the sampling error only
    (a cell still transient at the end counts as where it is). Complexity: O(E × runs ×
    Σ regulators), E the most transitions a cell takes."""
    import numpy as np

    from .population import advance_cells

    rng = np.random.default_rng(seed)
    n = len(system)
    weights = np.array([float(2 ** len(system.free(s))) for s in starts])
    which = rng.choice(len(starts), size=runs, p=weights / weights.sum())
    known = np.zeros((len(starts), n), dtype=bool)
    given = np.zeros((len(starts), n), dtype=bool)
    for k, start in enumerate(starts):
        for node, value in start.items():
            known[k, node] = True
            given[k, node] = bool(value)
    states = np.where(known[which], given[which], rng.random((runs, n)) < 0.5)
    ones = np.ones(n)
    advance_cells(system, states, float(sweeps), ones, ones, rng)
    if isinstance(target, CompiledFunction):
        reached = target.on_states(states)
    else:
        reached = np.array([bool(target(tuple(int(v) for v in row))) for row in states])
    hits = int(np.count_nonzero(reached))
    low, high = wilson(hits, runs)
    return Probability(hits / runs, low, high, "estimated", runs=runs, steps=sweeps * n)


def target_probability(system: LogicalSystem, starts: Sequence[Mapping[int, int]],
                       target: Target, *, most_states: int = 20_000, runs: int = 1000,
                       sweeps: int = 200, seed: int = 0) -> Probability:
    """The long-run probability of ``target`` from ``starts``: exact when at most
    ``most_states`` states are reachable, else estimated (:func:`estimated_probability`).
    ``target``: a :class:`~.evaluation.CompiledFunction` (or a function of a state tuple
    -> bool, evaluated one state at a time)."""
    listed = start_states(system, starts, most_states)
    if listed is not None:
        scalar = target.scalar() if isinstance(target, CompiledFunction) else target
        found = exact_probability(system, listed, scalar, most_states)
        if found is not None:
            return found
    return estimated_probability(system, starts, target, runs=runs, sweeps=sweeps, seed=seed)
