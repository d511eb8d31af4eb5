"""State-by-state analysis of a subspace small enough to enumerate.

States of a subspace with free nodes ``free = [i0, i1, ...]`` are coded as integers whose
bit ``j`` is the value of node ``free[j]``. Every function is evaluated on all codes at once
with NumPy, and the transition graph's strongly connected components come from SciPy;
small subspaces are handled in plain Python throughout, because importing NumPy and SciPy
would take longer than the search.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from ..errors import LimitExceeded
from .results import SearchOptions
from .system import LogicalSystem, Space

if TYPE_CHECKING:  # pragma: no cover
    import numpy


def successor_bits(system: LogicalSystem, space: Space, free: Sequence[int],
                   codes: "numpy.ndarray") -> list["numpy.ndarray"]:
    """For each free node ``j``, the array of its next value in every coded state (its
    update function with ``space``'s values plugged in, by the kernel's evaluator)."""
    from .evaluation import CompiledFunction

    bit = {node: j for j, node in enumerate(free)}
    return [CompiledFunction.from_bdd(system.restricted(node, space)).on_codes(codes, bit)
            for node in free]


def check_size(free: Sequence[int], limit: int, what: str,
               option: str = "--max-synchronous-nodes (or Limits.synchronous_nodes)") -> None:
    if len(free) > limit:
        raise LimitExceeded(
            f"{what} would enumerate 2^{len(free)} states ({len(free)} free nodes after "
            "percolation)", limit, f"raise it with {option}")


def async_edges(system: LogicalSystem, space: Space, free: Sequence[int]
                ) -> tuple["numpy.ndarray", "numpy.ndarray"]:
    """All asynchronous transitions inside ``space`` as (sources, targets) code arrays."""
    import numpy as np

    codes = np.arange(1 << len(free), dtype=np.int64)
    sources, targets = [], []
    for j, next_value in enumerate(successor_bits(system, space, free, codes)):
        current = ((codes >> j) & 1).astype(bool)
        moving = codes[next_value != current]
        sources.append(moving)
        targets.append(moving ^ (1 << j))
    if not sources:
        return codes[:0], codes[:0]
    return np.concatenate(sources), np.concatenate(targets)


def async_attractor_codes(system: LogicalSystem, space: Space, free: Sequence[int], *,
                          python_scc_states: int = SearchOptions.python_scc_states
                          ) -> "list[Sequence[int] | numpy.ndarray]":
    """Asynchronous attractors (terminal SCCs) of the subspace, each a sorted sequence of
    codes. Up to ``python_scc_states`` states the graph is built and searched in plain
    Python (a list of ints per attractor; NumPy is not even imported, which is most of the
    time a small model takes), beyond with NumPy and SciPy (a code array per attractor;
    :class:`~mtorlogic.dynamics.results.SearchOptions`).

    Complexity: O(k 2^k) time and memory for k free nodes.
    """
    count = 1 << len(free)
    if count <= python_scc_states:
        return _python_attractor_codes(system, space, free)
    import numpy as np

    sources, targets = async_edges(system, space, free)
    if len(sources) == 0:
        return [np.array([c]) for c in range(count)]
    labels = _component_labels(count, sources, targets)
    leaving = labels[sources] != labels[targets]
    open_components = np.zeros(labels.max() + 1, dtype=bool)
    open_components[labels[sources[leaving]]] = True
    terminal = np.flatnonzero(~open_components)
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], terminal)
    ends = np.searchsorted(labels[order], terminal, side="right")
    return [np.sort(order[b:e]) for b, e in zip(bounds, ends)]


def _python_attractor_codes(system: LogicalSystem, space: Space, free: Sequence[int]
                            ) -> "list[Sequence[int] | numpy.ndarray]":
    """:func:`async_attractor_codes` for a small subspace: each state's asynchronous
    successors by walking the restricted functions' BDDs, then Tarjan's components, of
    which those no edge leaves are the attractors."""
    from .evaluation import CompiledFunction
    from .scc import strongly_connected_components

    functions = [CompiledFunction.from_bdd(system.restricted(node, space)) for node in free]
    state = [0] * len(system)
    successors: dict[int, list[int]] = {}
    for code in range(1 << len(free)):
        for j, node in enumerate(free):
            state[node] = (code >> j) & 1
        successors[code] = [code ^ (1 << j) for j, function in enumerate(functions)
                            if function.at(state) != state[free[j]]]
    attractors: "list[Sequence[int] | numpy.ndarray]" = []
    for component in strongly_connected_components(successors):
        members = set(component)
        if all(target in members for code in component for target in successors[code]):
            attractors.append(sorted(component))
    return attractors


def _component_labels(count: int, sources: "numpy.ndarray", targets: "numpy.ndarray"
                      ) -> "numpy.ndarray":
    """The strongly connected component of every state (an int array of labels)."""
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    graph = coo_matrix((np.ones(len(sources), dtype=np.int8), (sources, targets)),
                       shape=(count, count)).tocsr()
    return connected_components(graph, directed=True, connection="strong")[1]


def sync_attractor_codes(system: LogicalSystem, space: Space, free: Sequence[int]) -> list:
    """Synchronous attractors (cycles of the successor map), each as codes in cycle order."""
    import numpy as np

    codes = np.arange(1 << len(free), dtype=np.int64)
    successor = np.zeros_like(codes)
    for j, next_value in enumerate(successor_bits(system, space, free, codes)):
        successor |= next_value.astype(np.int64) << j
    # States on cycles are those that stay in the image of the map after enough rounds.
    alive = np.ones(len(codes), dtype=bool)
    while True:
        image = np.zeros(len(codes), dtype=bool)
        image[successor[alive]] = True
        image &= alive
        if image.sum() == alive.sum():
            break
        alive = image
    seen = np.zeros(len(codes), dtype=bool)
    cycles = []
    for start in np.flatnonzero(alive):
        if seen[start]:
            continue
        cycle = [int(start)]
        seen[start] = True
        current = int(successor[start])
        while current != start:
            cycle.append(current)
            seen[current] = True
            current = int(successor[current])
        cycles.append(np.array(cycle))
    return cycles


def stationary_distribution(system: LogicalSystem, space: Space, free: Sequence[int],
                            states: "numpy.ndarray", *, tolerance: float = 1e-12,
                            max_sweeps: int = 200_000) -> tuple["numpy.ndarray", bool]:
    """Stationary distribution of the asynchronous random walk on one attractor.

    Each step updates one uniformly chosen node; nodes that would not change loop in place,
    which scales time but not the distribution. ``states`` is the attractor's sorted code
    array. Small chains (up to 600 states) are solved directly; larger ones by power
    iteration of the uniformised chain until the largest change per sweep is below
    ``tolerance``.

    Returns: ``(probabilities in the order of states, exact)``; ``exact`` is False when the
    iteration had not converged after ``max_sweeps`` sweeps.
    """
    import numpy as np

    size = len(states)
    if size == 1:
        return np.ones(1), True
    moves, arrivals = [], []
    for j, next_value in enumerate(successor_bits(system, space, free, states)):
        current = ((states >> j) & 1).astype(bool)
        moving = np.flatnonzero(next_value != current)
        moves.append(moving)
        arrivals.append(np.searchsorted(states, states[moving] ^ (1 << j)))
    sources, targets = np.concatenate(moves), np.concatenate(arrivals)
    out_rate = np.bincount(sources, minlength=size).astype(float)
    if size <= 600:
        generator = np.zeros((size, size))
        np.add.at(generator, (sources, targets), 1.0)
        generator[np.arange(size), np.arange(size)] -= out_rate
        matrix = generator.T.copy()
        matrix[0, :] = 1.0  # replace one balance equation by normalisation
        rhs = np.zeros(size)
        rhs[0] = 1.0
        distribution = np.clip(np.linalg.solve(matrix, rhs), 0.0, None)
        return distribution / distribution.sum(), True
    step = 1.0 / (out_rate.max() + 1.0)  # lazy, aperiodic uniformisation
    distribution = np.full(size, 1.0 / size)
    for _ in range(max_sweeps):
        flow = distribution[sources] * step
        updated = distribution - out_rate * distribution * step + np.bincount(
            targets, weights=flow, minlength=size)
        change = np.abs(updated - distribution).max()
        distribution = updated
        if change < tolerance:
            return distribution / distribution.sum(), True
    return distribution / distribution.sum(), False


PYTHON_CHAIN_STATES = 64
"""Attractors of at most this many states get their stationary distribution in plain
Python (:func:`node_shares`): importing NumPy would take longer than the solve."""


def node_shares(system: LogicalSystem, space: Space, free: Sequence[int],
                codes: "Sequence[int] | numpy.ndarray") -> tuple[list[float], bool]:
    """Each free node's share of time at 1 on one attractor (sorted ``codes`` over
    ``free`` inside ``space``): its probability under :func:`stationary_distribution`.

    Up to :data:`PYTHON_CHAIN_STATES` states the balance equations are solved in plain
    Python (Gaussian elimination with partial pivoting, O(states^3)); beyond, with NumPy.
    Returns ``(shares in the order of free, exact)``, each share clipped to [0, 1].
    """
    if len(codes) <= PYTHON_CHAIN_STATES:
        listed = [int(c) for c in codes]
        probability = _python_stationary(system, space, free, listed)
        return [min(1.0, max(0.0, sum(p for p, c in zip(probability, listed) if c >> j & 1)))
                for j in range(len(free))], True
    import numpy as np

    array = np.asarray(codes, dtype=np.int64)
    distribution, exact = stationary_distribution(system, space, free, array)
    return [min(1.0, max(0.0, float(distribution[((array >> j) & 1).astype(bool)].sum())))
            for j in range(len(free))], exact


def _python_stationary(system: LogicalSystem, space: Space, free: Sequence[int],
                       codes: list[int]) -> list[float]:
    """:func:`stationary_distribution` of a small attractor, in plain Python: the balance
    equations of its asynchronous generator with one replaced by normalisation."""
    from .evaluation import CompiledFunction

    size = len(codes)
    if size == 1:
        return [1.0]
    index = {code: k for k, code in enumerate(codes)}
    functions = [CompiledFunction.from_bdd(system.restricted(node, space)) for node in free]
    state = [0] * len(system)
    for node, value in space.items():
        state[node] = value
    # matrix[k][l]: rate from state l into state k (the transposed generator)
    matrix = [[0.0] * size for _ in range(size)]
    for source, code in enumerate(codes):
        for j, node in enumerate(free):
            state[node] = (code >> j) & 1
        for j, function in enumerate(functions):
            if function.at(state) != state[free[j]]:
                matrix[index[code ^ (1 << j)]][source] += 1.0
                matrix[source][source] -= 1.0
    matrix[0] = [1.0] * size
    rhs = [1.0] + [0.0] * (size - 1)
    for column in range(size):
        pivot = max(range(column, size), key=lambda row: abs(matrix[row][column]))
        matrix[column], matrix[pivot] = matrix[pivot], matrix[column]
        rhs[column], rhs[pivot] = rhs[pivot], rhs[column]
        lead = matrix[column][column]
        for row in range(column + 1, size):
            factor = matrix[row][column] / lead
            if factor:
                for k in range(column, size):
                    matrix[row][k] -= factor * matrix[column][k]
                rhs[row] -= factor * rhs[column]
    solution = [0.0] * size
    for row in range(size - 1, -1, -1):
        rest = sum(matrix[row][k] * solution[k] for k in range(row + 1, size))
        solution[row] = max(0.0, (rhs[row] - rest) / matrix[row][row])
    total = sum(solution)
    return [p / total for p in solution]


def decode(code: int, free: Sequence[int], space: Space, size: int) -> tuple[int, ...]:
    """The full state (tuple in node order) of a code within ``space``."""
    state = [0] * size
    for node, value in space.items():
        state[node] = value
    for j, node in enumerate(free):
        state[node] = (code >> j) & 1
    return tuple(state)
