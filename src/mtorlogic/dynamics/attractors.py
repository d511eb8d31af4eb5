"""Exact attractors under the asynchronous, synchronous and most-permissive semantics.

Asynchronous attractors (terminal strongly connected components of the state-transition
graph) are found without building that graph when it is large:

1. **Percolate** the constants (inputs, clamps): most real models collapse to a small core.
2. If at most ``Limits.explicit_nodes`` nodes stay free, enumerate the core's states and
   take the terminal SCCs directly.
3. Otherwise compute the **minimal trap spaces** with clingo. Each holds at least one
   attractor; each is percolated again and its attractors are found explicitly or, when
   still large, symbolically with biodivine-aeon.
4. Attractors outside every minimal trap space (*motif-avoidant* ones) are then ruled out
   or found exactly: every attractor contains a state in which all nodes but a negative
   feedback vertex set are stable; such **candidate** states outside the minimal trap spaces
   are enumerated with clingo, most are dismissed by a short seeded simulation that falls
   into a minimal trap space, and the rest are settled by symbolic forward reachability.
   With too many candidates the check falls back to a symbolic backward reachability from
   the minimal trap spaces, which is exact as well.

Synchronous attractors are the cycles of the successor map of the percolated core.
Most-permissive attractors are the minimal trap spaces (Paulevé et al. 2020).
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Callable, Iterable, Mapping, Sequence

from ..errors import InputError, LimitExceeded
from ..model import Model
from .explicit import (async_attractor_codes, check_size, decode, stationary_distribution,
                       sync_attractor_codes)
from .percolation import percolate, trap_space_closure
from .results import SEMANTICS, Attractor, Limits
from .simulation import walk
from .system import LogicalSystem, Space


@dataclass(frozen=True)
class _Context:
    model: Model
    system: LogicalSystem
    limits: Limits
    deadline: float | None
    progress: Callable[[str], None] | None = None

    def report(self, message: str) -> None:
        if self.progress is not None:
            self.progress(message)

    @property
    def functions(self) -> tuple:
        """Update functions on one state, for simulation (compiled only when needed)."""
        return self.system.scalar_functions

    def check_time(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise LimitExceeded("attractor search ran out of time", self.limits.seconds,
                                "raise it with --max-seconds (or Limits.seconds)")


@dataclass(frozen=True)
class _Found:
    """An attractor before presentation: enclosing subspace, size, and either its states
    (explicit) or a handle on its symbolic set."""

    values: dict[int, int]       # fixed nodes of the smallest enclosing subspace
    size: int
    states: tuple[tuple[int, ...], ...] | None = None
    symbolic: tuple | None = None  # (SubspaceGraph, ColoredVertexSet)
    coded: tuple | None = None     # (space, free, sorted codes) of an explicit search
    member: Callable[[Sequence[int]], bool] | None = None  # membership test, with symbolic

    def contains(self, state: Sequence[int]) -> bool:
        """Whether a full state (node-ordered) belongs to the attractor."""
        if any(state[i] != v for i, v in self.values.items()):
            return False
        if self.coded is not None:
            import numpy as np

            _, free, codes = self.coded
            code = sum(state[node] << j for j, node in enumerate(free))
            position = int(np.searchsorted(codes, code))
            return position < len(codes) and int(codes[position]) == code
        if self.states is not None:
            return tuple(state) in set(self.states)
        return self.member(state)

    def representative(self) -> dict[int, int]:
        if self.states is not None:
            return dict(enumerate(self.states[0]))
        graph, vertex_set = self.symbolic
        return graph.pick_state(vertex_set)


def find_attractors(model: Model, semantics: str = "asynchronous", *,
                    initial: Iterable[Mapping[str, int]] | None = None,
                    limits: Limits = Limits(),
                    activities: bool = True,
                    progress: Callable[[str], None] | None = None) -> tuple[Attractor, ...]:
    """All attractors of ``model`` under ``semantics``, or those reachable from ``initial``.

    Parameters:
        model: the (already clamped) network; inputs not clamped stay free.
        semantics: ``"asynchronous"`` (one node per step), ``"synchronous"`` (all at once)
            or ``"most-permissive"`` (minimal trap spaces).
        initial: states or subspaces (dicts node -> 0/1; nodes left out are free) to start
            from; only attractors reachable from them are returned. Starts are taken as
            given: a clamped node that starts at the other value moves to its clamp in the
            dynamics (scenario phases put their clamps into the start states themselves).
        limits: bounds on exponential work (:class:`Limits`).
        activities: compute node activities (skip them when only the attractors matter;
            ``Attractor.activities`` is then empty).
        progress: called with a one-line description of each stage of a long search.

    Returns: attractors sorted by their enclosing subspace, each with size, smallest
    enclosing subspace, states when small, and node activities (SPEC §3).
    Raises: :class:`LimitExceeded` when a bound is hit; :class:`InputError` on bad names.
    Complexity: exponential in the worst case; see the module notes for what keeps real
    models fast.
    """
    if semantics not in SEMANTICS:
        raise InputError(f"unknown semantics {semantics!r}; choose one of {', '.join(SEMANTICS)}")
    system = LogicalSystem.from_model(model)
    deadline = None if limits.seconds is None else time.monotonic() + limits.seconds
    context = _Context(model, system, limits, deadline, progress)
    starts = None if initial is None else [model.by_index(s, "initial state") for s in initial]
    root = percolate(system, {})
    if semantics == "most-permissive":
        found = _most_permissive(context, root, starts)
    elif semantics == "synchronous":
        found = _synchronous(context, root, starts)
    else:
        found = _asynchronous(context, root)
        if starts is not None:
            found = _reachable(context, found, starts)
    shared: dict[int, tuple[dict[str, float], bool]] = {}
    attractors = [_present(context, item, semantics, activities, shared) for item in found]
    return tuple(sorted(attractors, key=lambda a: tuple(str(v) for v in a.values.values())))


# ---------------------------------------------------------------------------------------
# asynchronous


def _explicit_async(context: _Context, space: Space) -> list[_Found]:
    system = context.system
    free = [i for i in range(len(system)) if i not in space]
    return [_coded_found(len(system), space, free, codes)
            for codes in async_attractor_codes(system, space, free)]


def _coded_found(size: int, space: Space, free: list[int], codes) -> _Found:
    """An attractor of an explicit search: the states of ``space`` whose free nodes spell
    one of ``codes`` (bit ``j`` = node ``free[j]``)."""
    import numpy as np

    states = np.zeros((len(codes), size), dtype=np.int8)
    for node, value in space.items():
        states[:, node] = value
    for j, node in enumerate(free):
        states[:, node] = (codes >> j) & 1
    low, high = states.min(axis=0), states.max(axis=0)
    values = {i: int(low[i]) for i in range(size) if low[i] == high[i]}
    return _Found(values, len(codes), tuple(map(tuple, states.tolist())),
                  coded=(dict(space), free, codes))


def _rebased(item: _Found, size: int, trap: Space) -> _Found:
    """``item``, found in a trap space with the same core as ``trap`` (same free nodes,
    same values on their regulators), moved into ``trap``: only the fixed values outside
    the core change, so the core's dynamics and its attractors are the same."""
    if item.coded is not None:
        _, free, codes = item.coded
        return _coded_found(size, trap, free, codes)
    graph, vertex_set = item.symbolic
    moved = replace(graph, space=dict(trap))
    return _Found({**item.values, **trap}, item.size, None, (moved, vertex_set),
                  member=item.member)


def _core_key(system: LogicalSystem, trap: Space) -> tuple:
    """What determines the dynamics of a trap space's free nodes: which nodes are free and
    their functions with the trap space's values plugged in (aeon's BDDs are canonical, so
    equal functions compare and hash equal)."""
    free = tuple(i for i in range(len(system)) if i not in trap)
    return free, tuple(system.restricted(node, trap) for node in free)


def _from_states(states: Sequence[tuple[int, ...]]) -> _Found:
    first = states[0]
    varying = {i for state in states for i, v in enumerate(state) if v != first[i]}
    values = {i: v for i, v in enumerate(first) if i not in varying}
    return _Found(values, len(states), tuple(states))


def _symbolic_found(graph, vertex_set) -> _Found:
    size, values = graph.describe(vertex_set)
    return _Found(values, size, None, (graph, vertex_set), member=graph.membership(vertex_set))


def _asynchronous(context: _Context, space: dict[int, int]) -> list[_Found]:
    from .trapspaces import minimal_trap_spaces

    system, limits = context.system, context.limits
    free = [i for i in range(len(system)) if i not in space]
    if len(free) <= limits.explicit_nodes:
        return _explicit_async(context, space)
    context.report(f"{len(free)} free nodes after percolation: enumerating minimal trap spaces")
    traps = [percolate(system, t)
             for t in minimal_trap_spaces(system, space, limits.trap_spaces, context.deadline)]
    found: list[_Found] = []
    # Minimal trap spaces often differ only in nodes that do not feed their core (bbm004:
    # 352 trap spaces, 56 distinct cores): each core is searched once.
    cores: dict[tuple, tuple[Space, list[_Found]]] = {}
    for done, trap in enumerate(traps):
        context.check_time()
        context.report(f"attractors of {len(traps)} minimal trap spaces: {done} done, "
                       f"{len(cores)} distinct cores searched")
        key = _core_key(system, trap)
        if key not in cores:
            if len(key[0]) <= limits.explicit_nodes:
                cores[key] = (trap, _explicit_async(context, trap))
            else:
                cores[key] = (trap, _inside_minimal_trap_space(context, trap))
        solved_in, items = cores[key]
        found.extend(items if solved_in is trap else
                     [_rebased(item, len(system), trap) for item in items])
    context.report("looking for attractors outside the minimal trap spaces")
    avoidant: list[_Found] = []
    for item in _avoidant(context, space, traps, set()):
        if not any(_same(item, other) for other in avoidant):
            avoidant.append(item)
    return found + avoidant


# Cores with at most this many free nodes get their candidates from aeon's symbolic fixed
# points (bbm004's 56 cores of 38-85 nodes: ~10 ms each, clingo ~40 ms); larger ones from
# clingo, which stays fast where BDDs do not (bbm211's 183-node core: 0.02 s vs 1.1 s).
_SYMBOLIC_CANDIDATE_NODES = 100


def _inside_minimal_trap_space(context: _Context, trap: dict[int, int]) -> list[_Found]:
    """All attractors of a minimal trap space too large to enumerate.

    Every attractor contains a retained-set candidate state. Taking the candidates one at
    a time, each is either shown by a walk to reach an attractor already found (then it
    lies in no other), or the start of a pivot search that yields the attractor it
    reaches; the candidates inside that attractor are then done. Past
    ``Limits.candidates`` candidates aeon's own attractor search runs instead.
    """
    from .feedback import negative_feedback_vertex_set, retained_values
    from .symbolic import SubspaceGraph
    from .trapspaces import candidate_states

    system = context.system
    graph = SubspaceGraph.build(system, trap, context.check_time)
    free = graph.free
    feedback = negative_feedback_vertex_set(system, trap)
    retained = retained_values(system, trap, feedback, [])
    if len(free) <= _SYMBOLIC_CANDIDATE_NODES:
        remaining = graph.candidates(feedback, retained)
    else:
        try:
            remaining = graph.union(candidate_states(
                system, trap, [i for i in free if i not in feedback], [],
                context.limits.candidates, retained, context.deadline))
        except LimitExceeded:
            remaining = None
    context.check_time()  # a spent time budget is final; too many candidates is not
    count = None if remaining is None else int(remaining.cardinality())
    if count is None or count > context.limits.candidates:
        return [_symbolic_found(graph, s) for s in graph.attractors()]
    if count == 1:
        # A minimal trap space holds at least one attractor and each contains a candidate:
        # the only candidate lies in the only attractor, which is its forward set.
        return [_symbolic_found(graph, graph.forward(remaining))]
    rng = random.Random(0)
    found: list[_Found] = []
    while not remaining.is_empty():
        context.check_time()
        start = graph.pick_state(remaining)
        remaining = remaining.minus(graph.vertices(start))
        state = [start[i] for i in range(len(system))]
        # Walks can only show that the candidate reaches an attractor already found.
        for _ in range(200 if found else 0):
            walk(context.functions, state, len(free), rng, free)
            if any(item.contains(state) for item in found):
                break
        else:
            attractor = graph.attractor_from(start)
            # the walks may have missed an attractor already found: attractors are disjoint
            if all(attractor.intersect(item.symbolic[1]).is_empty() for item in found):
                found.append(_symbolic_found(graph, attractor))
            remaining = remaining.minus(attractor)
    return found


def _inside(inner: Space, outer: Space) -> bool:
    """Whether subspace ``inner`` lies in subspace ``outer``."""
    return all(inner.get(node) == value for node, value in outer.items())


def _same(left: _Found, right: _Found) -> bool:
    """Whether two found attractors are one (attractors are disjoint or equal)."""
    if left.size != right.size or left.values != right.values:
        return False
    state = left.representative()
    return right.contains([state[i] for i in range(len(state))])


def _avoidant(context: _Context, space: dict[int, int], targets: list[dict[int, int]],
              visited: set) -> list[_Found]:
    """Attractors inside trap space ``space`` that lie in none of the trap spaces
    ``targets`` (which include every minimal trap space inside ``space``).

    Candidates (see :func:`candidate_states`) outside the targets that a short simulation
    does not lead into a target are settled by refining along the succession diagram: the
    maximal trap spaces inside ``space`` are searched recursively, then the candidates
    outside all of them are settled symbolically. Past ``Limits.candidates`` candidates the
    states that cannot reach a target are computed symbolically instead: refining would
    visit every node of the succession diagram, and independent switches make it
    exponential (bbm004: over 10,000 nodes; its symbolic basin takes about 30 s).
    """
    from .feedback import negative_feedback_vertex_set
    from .trapspaces import maximal_trap_spaces

    system, limits = context.system, context.limits
    context.check_time()
    free = [i for i in range(len(system)) if i not in space]
    if len(free) <= limits.explicit_nodes:
        return [item for item in _explicit_async(context, space)
                if not any(_inside(item.values, t) for t in targets)]
    feedback = negative_feedback_vertex_set(system, space)
    stable = [i for i in free if i not in feedback]
    rng = random.Random(0)
    survivors = _surviving_candidates(context, space, stable, feedback, targets, free, rng)
    if survivors == []:
        return []
    if survivors is None:
        try:
            return _outside_basin(context, space, targets, _BASIN_SHARE)
        except _BudgetSpent:
            context.report("the symbolic check is slow: refining along the succession diagram")
    children = []
    for child in maximal_trap_spaces(system, space, deadline=context.deadline):
        child = percolate(system, child)
        if child not in children:
            children.append(child)
    found: list[_Found] = []
    for child in children:
        key = frozenset(child.items())
        if key in visited:
            continue
        visited.add(key)
        found.extend(_avoidant(context, child, [t for t in targets if _inside(t, child)], visited))
    survivors = _surviving_candidates(context, space, stable, feedback, children, free, rng)
    if survivors is None:
        found.extend(_outside_basin(context, space, children, None))
    elif survivors:
        found.extend(_settle(context, space, children, survivors))
    return found


def _surviving_candidates(context: _Context, space: Space, stable: Sequence[int],
                          feedback: set[int], targets: Sequence[Space], free: Sequence[int],
                          rng: random.Random) -> list[dict[int, int]] | None:
    """Candidate states outside ``targets`` that a seeded simulation does not bring into a
    target; ``None`` when there are more than ``Limits.candidates``."""
    from .feedback import retained_values
    from .simulation import batch_reaches
    from .trapspaces import candidate_states

    retained = retained_values(context.system, space, feedback, list(targets))
    try:
        candidates = candidate_states(context.system, space, stable, targets,
                                      context.limits.candidates, retained, context.deadline)
    except LimitExceeded:
        context.check_time()  # a spent time budget is final; too many candidates is not
        return None
    if not candidates:
        return []
    # Slow-mixing networks need hundreds of sweeps to reach a trap space (bbm151: ~340);
    # the walks run side by side, so the effort grows slowly with the candidate count.
    reached = batch_reaches(context.system, space, candidates, targets, sweeps=1000,
                            seed=rng.randrange(2 ** 32))
    return [c for c, hit in zip(candidates, reached) if not hit]


# Share of the remaining time budget the symbolic basin may take before the search
# refines along the succession diagram instead.
_BASIN_SHARE = 0.5


class _BudgetSpent(Exception):
    """The symbolic basin used up its share of the time budget."""


def _outside_basin(context: _Context, space: dict[int, int], targets: list[dict[int, int]],
                   share: float | None) -> list[_Found]:
    """Exactly the attractors of ``space`` outside ``targets``: those among the states
    that cannot reach a target (symbolic backward reachability on aeon's sub-network of
    ``space``). Raises :class:`_BudgetSpent` after ``share`` of the remaining time budget
    (with ``share=None``, or no time budget, only the budget itself bounds it), so that the
    caller can try another way."""
    from .symbolic import SubspaceGraph

    stop = None if context.deadline is None or share is None else \
        time.monotonic() + share * max(0.0, context.deadline - time.monotonic())

    def check() -> None:
        context.check_time()
        if stop is not None and time.monotonic() > stop:
            raise _BudgetSpent

    check()
    if _tail_free(context, space, targets, check):
        return []
    graph = SubspaceGraph.build(context.system, space, check)
    context.report(f"too many candidates: computing which of the states of {len(graph.free)}"
                   f" free nodes reach one of {len(targets)} trap spaces (symbolic)")
    outside = graph.graph.mk_unit_colored_vertices().minus(graph.backward(graph.union(targets)))
    if outside.is_empty():
        return []
    return [_symbolic_found(graph, s) for s in graph.attractors(outside)]


def _tail_free(context: _Context, space: dict[int, int], targets: list[dict[int, int]],
               check: Callable[[], None]) -> bool:
    """Whether every attractor of ``space`` lies in one of ``targets`` (trap spaces of
    ``space`` closed under percolation: its minimal trap spaces, or its maximal ones),
    proven on the nodes upstream of cycles alone; ``False`` when that does not prove it or
    there is no acyclic tail to leave out.

    The nodes ``U`` on or upstream of a cycle evolve on their own; the rest, ``D``, is an
    acyclic tail they drive. A target ``T`` fixes some node of ``U`` (the first node of
    ``D`` it fixed would have a constant function in ``space`` already), and its
    ``U``-part ``T_U`` is a trap space of ``U``. Because ``D`` is acyclic, the only trap
    space of ``space`` inside ``space & T_U`` whose ``U``-part is ``T_U`` is the
    percolation of ``space & T_U``, that is ``T``. An attractor of ``space`` projects onto
    an attractor of ``U``; if every state of ``U`` can reach some ``T_U``, that projection
    lies in one, so the attractor lies in ``space & T_U`` and hence in ``T``.
    """
    from .feedback import upstream_of_cycles
    from .symbolic import SubspaceGraph

    system = context.system
    upstream = upstream_of_cycles(system, space)
    tail = {node: 0 for node in range(len(system)) if node not in space and node not in upstream}
    if not tail:
        return False
    context.report(f"too many candidates: computing which of the states of the {len(upstream)}"
                   f" nodes upstream of cycles reach one of {len(targets)} trap spaces"
                   " (symbolic)")
    # The tail's values are placeholders: the upstream nodes' functions do not read them.
    graph = SubspaceGraph.build(system, {**space, **tail}, check)
    basin = graph.backward(graph.union(targets))
    return graph.graph.mk_unit_colored_vertices().minus(basin).is_empty()


def _settle(context: _Context, space: dict[int, int], targets: list[dict[int, int]],
            survivors: list[dict[int, int]]) -> list[_Found]:
    """Exactly the attractors of ``space`` outside ``targets`` that contain one of the
    ``survivors`` (candidate states): the attractors of each survivor's forward set, when
    it reaches no target. Runs on aeon's sub-network of ``space``."""
    from .symbolic import SubspaceGraph

    graph = SubspaceGraph.build(context.system, space, context.check_time)
    in_targets = graph.union(targets)
    found: list[_Found] = []
    avoidant = graph.graph.mk_empty_colored_vertices()
    for candidate in survivors:
        context.check_time()
        start = graph.vertices(candidate)
        if not start.intersect(avoidant).is_empty():
            continue
        reach = graph.forward(start)
        if not reach.intersect(in_targets).is_empty():
            continue
        for attractor in graph.attractors(reach):
            if attractor.intersect(avoidant).is_empty():
                avoidant = avoidant.union(attractor)
                found.append(_symbolic_found(graph, attractor))
    return found


def _falls_into(context: _Context, state: Mapping[int, int], free: Sequence[int],
                traps: Sequence[Mapping[int, int]], rng: random.Random, sweeps: int) -> bool:
    """Whether a seeded random walk of at most ``sweeps`` sweeps from ``state`` enters one
    of ``traps`` (then the state lies in no attractor outside them)."""
    current = [state[i] for i in range(len(context.system))]
    sweep = max(1, len(free))
    for _ in range(sweeps):
        walk(context.functions, current, sweep, rng, free)
        for trap in traps:
            if all(current[i] == v for i, v in trap.items()):
                return True
    return False


def _reachable(context: _Context, found: list[_Found], starts: list[dict[int, int]]) -> list[_Found]:
    """The attractors reachable from any of the start subspaces, exactly.

    Seeded random walks from the starts give cheap proof that an attractor is reachable;
    only attractors no walk reached are decided by symbolic forward reachability.
    """
    system = context.system
    reached = _reached_by_walks(context, found, starts)
    if len(reached) == len(found):
        return found
    from .symbolic import SubspaceGraph

    # Nodes with a constant function never move off it: when every start already has that
    # value they stay fixed, and the symbolic search can leave them out.
    settled = {node: int(bdd.is_true()) for node, bdd in enumerate(system.functions)
               if (bdd.is_true() or bdd.is_false())
               and all(start.get(node) == int(bdd.is_true()) for start in starts)}
    graph = SubspaceGraph.build(system, settled, context.check_time)
    reach = graph.forward(graph.union(starts))
    return [item for k, item in enumerate(found) if k in reached
            or not graph.vertices(item.representative()).intersect(reach).is_empty()]


def _reached_by_walks(context: _Context, found: list[_Found], starts: list[dict[int, int]],
                      walks: int = 8, sweeps: int = 500) -> set[int]:
    """Indices of attractors that seeded random walks from the starts (free nodes of a
    start subspace drawn at random) enter."""
    rng = random.Random(0)
    size = len(context.system)
    reached: set[int] = set()
    for start in starts:
        for _ in range(walks):
            state = [start[i] if i in start else rng.randint(0, 1) for i in range(size)]
            for _ in range(sweeps):
                walk(context.functions, state, size, rng)
                hit = next((k for k, item in enumerate(found) if item.contains(state)), None)
                if hit is not None:
                    reached.add(hit)
                    break
            if len(reached) == len(found):
                return reached
    return reached


# ---------------------------------------------------------------------------------------
# synchronous


def _synchronous(context: _Context, root: dict[int, int],
                 starts: list[dict[int, int]] | None) -> list[_Found]:
    system = context.system
    if starts is not None:
        return _sync_from(context, starts)
    free = [i for i in range(len(system)) if i not in root]
    check_size(free, context.limits.synchronous_nodes, "synchronous attractor search")
    return [_Found(*_cycle_summary([decode(int(c), free, root, len(system)) for c in cycle]))
            for cycle in sync_attractor_codes(system, root, free)]


def _cycle_summary(states: list[tuple[int, ...]]):
    found = _from_states(states)
    return found.values, found.size, found.states


def _sync_from(context: _Context, starts: list[dict[int, int]]) -> list[_Found]:
    """Synchronous attractors reached from every state of the start subspaces."""
    system = context.system
    size = len(system)
    cycles: dict[frozenset, list[tuple[int, ...]]] = {}
    for start in starts:
        open_nodes = [i for i in range(size) if i not in start]
        check_size(open_nodes, context.limits.synchronous_nodes, "synchronous start subspace")
        for code in range(1 << len(open_nodes)):
            state = decode(code, open_nodes, start, size)
            seen: dict[tuple[int, ...], int] = {}
            path = []
            while state not in seen:
                seen[state] = len(path)
                path.append(state)
                state = tuple(int(f(state)) for f in context.functions)
            cycle = path[seen[state]:]
            cycles.setdefault(frozenset(cycle), cycle)
            context.check_time()
    return [_Found(*_cycle_summary(cycle)) for cycle in cycles.values()]


# ---------------------------------------------------------------------------------------
# most permissive


def _most_permissive(context: _Context, root: dict[int, int],
                     starts: list[dict[int, int]] | None) -> list[_Found]:
    from .trapspaces import minimal_trap_spaces

    system = context.system
    traps = minimal_trap_spaces(system, root, context.limits.trap_spaces, context.deadline)
    if starts is not None:
        # Over-approximation documented in the README: the minimal trap spaces inside the
        # smallest trap space that contains the start subspaces.
        keep = []
        for start in starts:
            common = trap_space_closure(system, start)
            keep.extend(t for t in traps if all(t.get(i) == v for i, v in common.items()))
        traps = [t for i, t in enumerate(traps) if any(t is k for k in keep)]
    return [_Found(dict(t), 2 ** (len(system) - len(t))) for t in traps]


# ---------------------------------------------------------------------------------------
# presentation


def _present(context: _Context, item: _Found, semantics: str, with_activity: bool,
             shared: dict[int, tuple[dict[str, float], bool]]) -> Attractor:
    """The attractor as reported. ``shared`` keeps the activities of attractors found in
    a core, by the identity of their codes or symbolic set, for the copies moved into
    other trap spaces with the same core (:func:`_rebased`): the nodes that vary are the
    core's and move the same way, so only the fixed values differ (bbm004: 352 attractors
    from 56 cores, each activity a 2,000-sweep walk)."""
    system, limits = context.system, context.limits
    names = system.names
    values = {name: item.values.get(i, "*") for i, name in enumerate(names)}
    states = item.states
    if states is None and item.symbolic is not None and item.size <= limits.exact_activity_states:
        graph, vertex_set = item.symbolic
        states = tuple(tuple(s[i] for i in range(len(names))) for s in graph.states(vertex_set))
    exact = True
    if not with_activity:
        activity = {}
    elif semantics == "most-permissive":
        activity = {name: float(item.values[i]) if i in item.values else 0.5
                    for i, name in enumerate(names)}
    elif states is not None and semantics == "synchronous":
        activity = {name: sum(s[i] for s in states) / len(states) for i, name in enumerate(names)}
    elif item.coded is not None:
        activity, exact = _core_activity(names, item, item.coded[2], shared,
                                         lambda: _coded_activity(system, item.coded))
    elif states is not None:
        activity, exact = _exact_activity(system, item.values, states)
    else:
        activity, exact = _core_activity(names, item, item.symbolic[1], shared,
                                         lambda: (_estimated_activity(context, item), False))
    if states is not None and len(states) > limits.exact_activity_states:
        states = None
    return Attractor(values, item.size, states, activity, exact)


def _core_activity(names: Sequence[str], item: _Found, handle: object,
                   shared: dict[int, tuple[dict[str, float], bool]],
                   compute: Callable[[], tuple[dict[str, float], bool]]
                   ) -> tuple[dict[str, float], bool]:
    """``compute()``, or the activities already computed for the attractor with the same
    ``handle`` (in another trap space of the same core) with ``item``'s fixed values."""
    key = id(handle)  # the found attractors, alive until presented, keep ids unique
    if key not in shared:
        shared[key] = compute()
        return shared[key]
    activity, exact = shared[key]
    return {name: float(item.values[i]) if i in item.values else activity[name]
            for i, name in enumerate(names)}, exact


def _exact_activity(system: LogicalSystem, fixed: Mapping[int, int],
                    states: Sequence[tuple[int, ...]]) -> tuple[dict[str, float], bool]:
    import numpy as np

    varying = [i for i in range(len(system)) if i not in fixed]
    if not varying:
        return {name: float(states[0][i]) for i, name in enumerate(system.names)}, True
    codes = np.array(sorted(sum(s[i] << j for j, i in enumerate(varying)) for s in states),
                     dtype=np.int64)
    probability, exact = stationary_distribution(system, fixed, varying, codes)
    activity = {name: float(fixed[i]) for i, name in enumerate(system.names) if i in fixed}
    for j, i in enumerate(varying):
        share = float(probability[((codes >> j) & 1).astype(bool)].sum())
        activity[system.names[i]] = min(1.0, max(0.0, share))
    return {name: activity[name] for name in system.names}, exact


def _coded_activity(system: LogicalSystem, coded) -> tuple[dict[str, float], bool]:
    """Exact activities of an attractor found by explicit search, from its codes."""
    space, free, codes = coded
    probability, exact = stationary_distribution(system, space, free, codes)
    activity = {system.names[i]: float(v) for i, v in space.items()}
    for j, node in enumerate(free):
        share = float(probability[((codes >> j) & 1).astype(bool)].sum())
        activity[system.names[node]] = min(1.0, max(0.0, share))  # no rounding past [0, 1]
    return {name: activity[name] for name in system.names}, exact


def _estimated_activity(context: _Context, item: _Found, sweeps: int = 2000) -> dict[str, float]:
    """Time-average of a seeded random walk inside a large attractor."""
    system = context.system
    state = item.representative()
    current = [state[i] for i in range(len(system))]
    varying = [i for i in range(len(system)) if i not in item.values]
    rng = random.Random(0)
    totals = dict.fromkeys(varying, 0)
    for _ in range(sweeps):
        walk(context.functions, current, len(varying), rng, varying)
        for i in varying:  # the other nodes stay at their values
            totals[i] += current[i]
    return {name: totals[i] / sweeps if i in totals else float(current[i])
            for i, name in enumerate(system.names)}
