"""Exact asynchronous attractors of a trap space, without building the state-transition
graph when it is large.

1. If at most ``Limits.explicit_nodes`` nodes are free, list the attractors' states
   (:func:`explicit_attractors`): small cores by enumerating every state in plain Python,
   larger ones by aeon's symbolic search.
2. Otherwise compute the **minimal trap spaces** with clingo. Each holds at least one
   attractor; each is percolated again and its attractors are found explicitly or, when
   still large, symbolically with biodivine-aeon. Trap spaces with the same core network
   (:func:`core_key`) share one search.
3. Attractors outside every minimal trap space (*motif-avoidant* ones) are then ruled out
   or found exactly: every attractor contains a state in which all nodes but a negative
   feedback vertex set are stable; such **candidate** states outside the minimal trap spaces
   are enumerated, most are dismissed by a short seeded simulation that falls into a
   minimal trap space, and the rest are settled by symbolic forward reachability. With too
   many candidates the check falls back to a symbolic backward reachability from the
   minimal trap spaces, which is exact as well.

Why dismissing a candidate by a walk is exact: if the candidate lies in an attractor
``A``, every state it reaches is in ``A``, so a walk that enters a trap space ``T`` shows
that ``A`` meets ``T``; ``T`` is closed under the dynamics and ``A`` strongly connected, so
all of ``A`` lies in ``T``. No attractor outside the trap spaces contains a dismissed
candidate, and every attractor contains some candidate. What made the
published instances in ``tests/data/bench/hard`` slow (too many candidates from a
redundant feedback vertex set; attractors of millions of states built as tuples) is in
docs/engine.md, "Where it stops being fast".

:func:`reachable` keeps the attractors reachable from given start subspaces.
"""
from __future__ import annotations

import random
import time
from typing import Any, Callable, Hashable, Sequence

from ..errors import LimitExceeded, OutOfMemory, OutOfTime
from .context import SearchContext, cancellable
from .explicit import async_attractor_codes
from .percolation import percolate
from .sets import AttractorSet, ExplicitAttractor, SymbolicAttractor, inside
from .simulation import walk
from .system import LogicalSystem, Space


def explicit_attractors(context: SearchContext, space: Space,
                        core: Hashable | None = None) -> list[ExplicitAttractor]:
    """The asynchronous attractors of ``space`` with their states listed (at most
    ``Limits.explicit_nodes`` free nodes); ``core`` tags them for sharing activities.

    Up to ``SearchOptions.python_scc_states`` states the transition graph is searched in
    plain Python. Beyond, aeon's symbolic search on the sub-network of the free nodes finds
    the attractors and only their states are listed (``SearchOptions.list_symbolic``): on a
    core of 13 to 18 nodes that takes milliseconds, where enumerating every state needs
    NumPy and SciPy, whose import alone took longer than biodivine-aeon's whole process
    (bench/results/startup.md). Both are exact; they list the same attractors."""
    system = context.system
    free = system.free(space)
    options = context.options
    found: "list[Sequence[int] | Any]"
    if options.list_symbolic and 1 << len(free) > options.python_scc_states:
        from .symbolic import SubspaceGraph

        with cancellable():
            graph = SubspaceGraph.build(system, space, context.check_time)
            found = sorted((graph.codes(s) for s in graph.attractors()), key=lambda c: int(c[0]))
    else:
        found = async_attractor_codes(system, space, free,
                                      python_scc_states=options.python_scc_states)
    return [ExplicitAttractor.from_codes(len(system), space, free, codes,
                                         None if core is None else (core, k))
            for k, codes in enumerate(found)]


def symbolic_attractors(context: SearchContext, space: Space) -> list[SymbolicAttractor]:
    """Every asynchronous attractor of ``space`` by aeon's symbolic search alone (Xie &
    Beerel on the sub-network of the free nodes): no enumeration and no trap spaces, the
    fastest way for the small core networks of a screen, whose attractors may still be
    too large to list."""
    from .symbolic import SubspaceGraph

    with cancellable():
        graph = SubspaceGraph.build(context.system, space, context.check_time)
        return [SymbolicAttractor.of(graph, s) for s in graph.attractors()]


def core_key(system: LogicalSystem, trap: Space) -> tuple[Any, ...]:
    """What determines the dynamics of a trap space's free nodes: which nodes are free and
    their functions with the trap space's values plugged in (aeon's BDDs are canonical, so
    equal functions compare and hash equal)."""
    free = tuple(system.free(trap))
    return free, tuple(system.restricted(node, trap) for node in free)


def asynchronous_attractors(context: SearchContext, space: dict[int, int]) -> list[AttractorSet]:
    """Every asynchronous attractor inside the (percolated) trap space ``space``, exactly
    (the module notes describe the stages)."""
    from .trapspaces import minimal_trap_spaces

    system, limits = context.system, context.limits
    free = system.free(space)
    if len(free) <= limits.explicit_nodes:
        return list(explicit_attractors(context, space))
    context.report(f"{len(free)} free nodes after percolation: enumerating minimal trap spaces")
    traps = [percolate(system, t)
             for t in minimal_trap_spaces(system, space, limits.trap_spaces, context.deadline)]
    found: list[AttractorSet] = []
    # Minimal trap spaces often differ only in nodes that do not feed their core (bbm004:
    # 352 trap spaces, 56 distinct cores): each core is searched once.
    cores: dict[tuple[Any, ...], tuple[Space, Sequence[AttractorSet]]] = {}
    for done, trap in enumerate(traps):
        context.check_time()
        context.report(f"attractors of {len(traps)} minimal trap spaces: {done} done, "
                       f"{len(cores)} distinct cores searched")
        key = core_key(system, trap)
        if key not in cores:
            if len(key[0]) <= limits.explicit_nodes:
                cores[key] = (trap, explicit_attractors(context, trap, key))
            else:
                cores[key] = (trap, _inside_minimal_trap_space(context, trap, key))
        solved_in, items = cores[key]
        found.extend(items if solved_in is trap else
                     [item.moved(trap, len(system)) for item in items])
    context.report("looking for attractors outside the minimal trap spaces")
    avoidant: list[AttractorSet] = []
    for item in _avoidant(context, space, traps, set()):
        if not any(item.same_as(other) for other in avoidant):
            avoidant.append(item)
    return found + avoidant


def _inside_minimal_trap_space(context: SearchContext, trap: dict[int, int],
                               core: Hashable) -> list[SymbolicAttractor]:
    """All attractors of a minimal trap space too large to enumerate.

    Every attractor contains a retained-set candidate state. Taking the candidates one at
    a time, each is either shown by a walk to reach an attractor already found (then it
    lies in no other), or the start of a pivot search that yields the attractor it
    reaches; the candidates inside that attractor are then done. Past
    ``Limits.candidates`` candidates aeon's own attractor search runs instead. ``core``
    tags the attractors (see :class:`~mtorlogic.dynamics.sets.AttractorSet`).
    """
    from .feedback import negative_feedback_vertex_set, retained_values
    from .symbolic import SubspaceGraph
    from .trapspaces import candidate_states

    system = context.system
    graph = SubspaceGraph.build(system, trap, context.check_time)
    free = graph.free
    feedback = negative_feedback_vertex_set(system, trap)
    retained = retained_values(system, trap, feedback, [])
    if len(free) <= context.options.symbolic_candidate_nodes:
        remaining = graph.candidates(feedback, retained)
    else:
        try:
            remaining = graph.union(candidate_states(
                system, trap, [i for i in free if i not in feedback], [],
                context.limits.candidates, retained, context.deadline))
        except (OutOfTime, OutOfMemory):
            raise
        except LimitExceeded:
            remaining = None
    context.check_time()  # a spent time budget is final; too many candidates is not
    count = None if remaining is None else int(remaining.cardinality())
    if remaining is None or count is None or count > context.limits.candidates:
        return [SymbolicAttractor.of(graph, s, (core, k)) for k, s in enumerate(graph.attractors())]
    if count == 1:
        # A minimal trap space holds at least one attractor and each contains a candidate:
        # the only candidate lies in the only attractor, which is its forward set.
        return [SymbolicAttractor.of(graph, graph.forward(remaining), (core, 0))]
    rng = random.Random(context.options.seed)
    found: list[SymbolicAttractor] = []
    while not remaining.is_empty():
        context.check_time()
        start = graph.pick_state(remaining)
        remaining = remaining.minus(graph.vertices(start))
        state = [start[i] for i in range(len(system))]
        # Walks can only show that the candidate reaches an attractor already found.
        for _ in range(context.options.candidate_walk_sweeps if found else 0):
            walk(context.functions, state, len(free), rng, free)
            if any(item.contains(state) for item in found):
                break
        else:
            attractor = graph.attractor_from(start)
            # the walks may have missed an attractor already found: attractors are disjoint
            if all(attractor.intersect(item.vertex_set).is_empty() for item in found):
                found.append(SymbolicAttractor.of(graph, attractor, (core, len(found))))
            remaining = remaining.minus(attractor)
    return found


def _avoidant(context: SearchContext, space: dict[int, int], targets: list[dict[int, int]],
              visited: set[frozenset[tuple[int, int]]]) -> list[AttractorSet]:
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
    free = system.free(space)
    if len(free) <= limits.explicit_nodes:
        return [item for item in explicit_attractors(context, space)
                if not any(inside(item.values, t) for t in targets)]
    feedback = negative_feedback_vertex_set(system, space)
    stable = [i for i in free if i not in feedback]
    rng = random.Random(context.options.seed)
    survivors = _surviving_candidates(context, space, stable, feedback, targets, free, rng)
    if survivors == []:
        return []
    if survivors is None:
        try:
            return _outside_basin(context, space, targets, context.options.basin_share)
        except _BudgetSpent:
            context.report("the symbolic check is slow: refining along the succession diagram")
    children = []
    for child in maximal_trap_spaces(system, space, deadline=context.deadline):
        child = percolate(system, child)
        if child not in children:
            children.append(child)
    found: list[AttractorSet] = []
    for child in children:
        key = frozenset(child.items())
        if key in visited:
            continue
        visited.add(key)
        found.extend(_avoidant(context, child, [t for t in targets if inside(t, child)], visited))
    survivors = _surviving_candidates(context, space, stable, feedback, children, free, rng)
    if survivors is None:
        found.extend(_outside_basin(context, space, children, None))
    elif survivors:
        found.extend(_settle(context, space, children, survivors))
    return found


def _surviving_candidates(context: SearchContext, space: Space, stable: Sequence[int],
                          feedback: set[int], targets: Sequence[Space], free: Sequence[int],
                          rng: random.Random) -> list[dict[int, int]] | None:
    """Candidate states outside ``targets`` that a seeded simulation does not bring into a
    target; ``None`` when there are more than ``Limits.candidates``."""
    from .feedback import retained_values
    from .simulation import batch_reaches
    from .trapspaces import candidate_states

    retained = retained_values(context.system, space, feedback, [dict(t) for t in targets])
    try:
        candidates = candidate_states(context.system, space, stable, targets,
                                      context.limits.candidates, retained, context.deadline)
    except (OutOfTime, OutOfMemory):
        raise
    except LimitExceeded:
        context.check_time()  # a spent time budget is final; too many candidates is not
        return None
    if not candidates:
        return []
    sweeps = context.options.trap_walk_sweeps
    if len(candidates) <= PYTHON_WALK_CANDIDATES:
        return [c for c in candidates if not _walk_reaches(context, c, targets, free, sweeps, rng)]
    # Slow-mixing networks need hundreds of sweeps to reach a trap space (bbm151: ~340);
    # the walks run side by side, so the effort grows slowly with the candidate count.
    reached = batch_reaches(context.system, space, candidates, targets,
                            sweeps=sweeps, seed=rng.randrange(2 ** 32))
    return [c for c, hit in zip(candidates, reached) if not hit]


PYTHON_WALK_CANDIDATES = 16
"""Up to this many candidates are walked one at a time in plain Python: importing NumPy
for the batched walks took longer than aeon's whole process on small models."""


def _walk_reaches(context: SearchContext, candidate: Space, targets: Sequence[Space],
                  free: Sequence[int], sweeps: int, rng: random.Random) -> bool:
    """Whether a seeded walk of at most ``sweeps`` sweeps from ``candidate`` enters one of
    ``targets`` (True proves that it reaches it; False proves nothing)."""
    state = [candidate[i] for i in range(len(context.system))]
    for _ in range(sweeps):
        if any(all(state[n] == v for n, v in t.items()) for t in targets):
            return True
        walk(context.functions, state, len(free), rng, free)
    return any(all(state[n] == v for n, v in t.items()) for t in targets)


class _BudgetSpent(Exception):
    """The symbolic basin used up its share of the time budget."""


def _outside_basin(context: SearchContext, space: dict[int, int], targets: list[dict[int, int]],
                   share: float | None) -> list[AttractorSet]:
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
    return [SymbolicAttractor.of(graph, s) for s in graph.attractors(outside)]


def _tail_free(context: SearchContext, space: dict[int, int], targets: list[dict[int, int]],
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
    from .feedback import negative_feedback_vertex_set, retained_values, upstream_of_cycles
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
    # Every attractor of U contains a retained-set candidate of U (the feedback vertex set
    # lies on cycles, so in U): once every candidate can reach a target, so can every
    # attractor, and the backward search stops there (bbm002__r1: ~7 s for the whole basin).
    feedback = negative_feedback_vertex_set(system, space)
    candidates = graph.candidates(feedback, retained_values(system, space, feedback,
                                                            [dict(t) for t in targets]))
    basin = graph.backward(graph.union(targets), until=candidates)
    return candidates.minus(basin).is_empty()


def _settle(context: SearchContext, space: dict[int, int], targets: list[dict[int, int]],
            survivors: list[dict[int, int]]) -> list[AttractorSet]:
    """Exactly the attractors of ``space`` outside ``targets`` that contain one of the
    ``survivors`` (candidate states): the attractors of each survivor's forward set, when
    it reaches no target. Runs on aeon's sub-network of ``space``."""
    from .symbolic import SubspaceGraph

    graph = SubspaceGraph.build(context.system, space, context.check_time)
    in_targets = graph.union(targets)
    found: list[AttractorSet] = []
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
                found.append(SymbolicAttractor.of(graph, attractor))
    return found


def reachable(context: SearchContext, found: list[AttractorSet], starts: list[dict[int, int]],
              labels: Sequence[Hashable] | None = None) -> list[AttractorSet]:
    """The attractors reachable from any of the start subspaces, exactly.

    Seeded random walks from the starts give cheap proof that an attractor is reachable;
    only attractors no walk reached are decided by symbolic forward reachability, on the
    smallest trap space holding every start (:func:`_start_trap`: the nodes all starts fix
    alike that no update can move), which every state reached stays in.

    ``labels`` (one per attractor of ``found``; by default all distinct) says which
    attractors are alike for the caller, e.g. a screen target's verdict on each: then only
    one reachable attractor of each label is needed, and the result is a list of reachable
    attractors (in ``found``'s order) that has every label some reachable attractor has;
    once the walks have met every label, nothing symbolic is computed.

    Complexity: walks ``O(len(starts) x reach_walks x reach_walk_sweeps x n x |found|)``;
    the symbolic search is exponential in the worst case (bounded by the context's time and
    memory budget), run only when the walks leave a label unmet.
    """
    system = context.system
    if not starts:
        return []
    tags: Sequence[Hashable] = range(len(found)) if labels is None else labels
    if len(tags) != len(found):
        raise ValueError(f"{len(tags)} labels for {len(found)} attractors")
    reached = _reached_by_walks(context, found, starts, tags)
    met = {tags[k] for k in reached}
    pending = [k for k in range(len(found)) if k not in reached and tags[k] not in met]
    if pending:
        from .symbolic import SubspaceGraph

        trap = _start_trap(system, starts)
        graph = SubspaceGraph.build(system, trap, context.check_time)
        reach = graph.forward(graph.union(starts))
        for k in pending:
            if tags[k] in met:
                continue
            # An attractor lies inside the trap space or wholly outside it (it is closed
            # and the attractor strongly connected): one state tells which.
            state = found[k].representative()
            if all(state[node] == value for node, value in trap.items()) and not \
                    graph.vertices(state).intersect(reach).is_empty():
                reached.add(k)
                met.add(tags[k])
    return [item for k, item in enumerate(found) if k in reached]


def _start_trap(system: LogicalSystem, starts: Sequence[Space]) -> dict[int, int]:
    """The fixed values of the smallest trap space containing every start: the values all
    starts give alike, less those an update can change (repeated until none can). Every
    state reachable from a start lies in it, so a reachability search may leave these
    nodes out. O(n x regulators) BDD restrictions per round, at most n rounds."""
    from .percolation import trap_space_closure

    first, *others = starts
    common = {node: value for node, value in first.items()
              if all(other.get(node) == value for other in others)}
    return trap_space_closure(system, common)


def _reached_by_walks(context: SearchContext, found: list[AttractorSet],
                      starts: list[dict[int, int]], labels: Sequence[Hashable]) -> set[int]:
    """Indices of attractors that seeded random walks from the starts (free nodes of a
    start subspace drawn at random) enter; the walks stop once they have met an attractor
    of every label (see :func:`reachable`)."""
    walks, sweeps = context.options.reach_walks, context.options.reach_walk_sweeps
    rng = random.Random(context.options.seed)
    size = len(context.system)
    reached: set[int] = set()
    every = set(labels)
    met: set[Hashable] = set()
    for start in starts:
        for _ in range(walks):
            state = [start[i] if i in start else rng.randint(0, 1) for i in range(size)]
            for _ in range(sweeps):
                walk(context.functions, state, size, rng)
                hit = next((k for k, item in enumerate(found) if item.contains(state)), None)
                if hit is not None:
                    reached.add(hit)
                    met.add(labels[hit])
                    break
            if met == every:
                return reached
    return reached
