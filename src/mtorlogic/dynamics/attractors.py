"""Exact attractors under the asynchronous, synchronous and most-permissive semantics.

:func:`find_attractors` is the one entry point. Every semantics starts by **percolating**
the constants (inputs, clamps): most real models collapse to a small core. Then:

- asynchronous: terminal strongly connected components of the state-transition graph,
  found without building that graph when it is large (:mod:`.asynchronous`);
- synchronous: the cycles of the successor map of the percolated core;
- most-permissive: the minimal trap spaces (Paulevé et al. 2020).

Attractors come back with their activities (:mod:`.activity`).
"""
from __future__ import annotations

from typing import Callable, Hashable, Iterable, Mapping, Sequence

from ..errors import InputError
from ..model import Model
from .activity import Activities, present
from .asynchronous import asynchronous_attractors, reachable
from .context import SearchContext, time_budget
from .explicit import check_size, decode, sync_attractor_codes
from .percolation import percolate, trap_space_closure
from .results import SEMANTICS, Attractor, Limits, SearchOptions, TrapSpaceCount
from .sets import AttractorSet, ExplicitAttractor, TrapSpaceAttractor, inside
from .system import LogicalSystem


def find_attractors(model: Model, semantics: str = "asynchronous", *,
                    initial: Iterable[Mapping[str, int]] | None = None,
                    limits: Limits = Limits(),
                    activities: bool = True,
                    progress: Callable[[str], None] | None = None,
                    options: SearchOptions = SearchOptions()) -> tuple[Attractor, ...]:
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
        options: how the search goes about it (:class:`SearchOptions`; never changes which
            attractors are found).

    Returns: attractors sorted by their enclosing subspace, each with size, smallest
    enclosing subspace, states when small, and node activities (SPEC §3).
    Raises: :class:`LimitExceeded` when a bound is hit; :class:`InputError` on bad names.
    Complexity: exponential in the worst case; see :mod:`.asynchronous` for what keeps real
    models fast.
    """
    if not isinstance(model, Model):
        raise InputError(f"find_attractors needs a Model (load_model('mtor'), say), not "
                         f"{type(model).__name__}")
    if not isinstance(limits, Limits):
        raise InputError(f"limits must be a Limits, not {type(limits).__name__}")
    if not isinstance(options, SearchOptions):
        raise InputError(f"options must be a SearchOptions, not {type(options).__name__}")
    if isinstance(initial, (Mapping, str)):
        raise InputError("initial must be a list of states or subspaces (node -> 0/1 "
                         "dicts): wrap one in a list, initial=[{...}]")
    if not isinstance(semantics, str) or semantics not in SEMANTICS:
        raise InputError(f"unknown semantics {semantics!r}; choose one of {', '.join(SEMANTICS)}")
    starts = None if initial is None else [model.by_index(s, "initial state") for s in initial]
    with time_budget(limits.seconds, limits.memory_mb):
        context = SearchContext.start(LogicalSystem.from_model(model), limits, options,
                                      progress)
        found = attractor_sets(context, semantics, starts)
        shared: dict[Hashable, Activities] = {}
        attractors = [present(context, item, semantics, activities, shared) for item in found]
    return tuple(sorted(attractors, key=lambda a: tuple(str(v) for v in a.values.values())))


def attractor_sets(context: SearchContext, semantics: str,
                   starts: list[dict[int, int]] | None = None) -> list[AttractorSet]:
    """The attractors of ``context.system`` under ``semantics`` (reachable from ``starts``
    when given), before presentation: the kernel :func:`find_attractors` reports."""
    root = percolate(context.system, {})
    if semantics == "most-permissive":
        return _most_permissive(context, root, starts)
    if semantics == "synchronous":
        return _synchronous(context, root, starts)
    found = asynchronous_attractors(context, root)
    return found if starts is None else reachable(context, found, starts)


def count_minimal_trap_spaces(model: Model, by: Sequence[str] = (), *,
                              limits: Limits = Limits(),
                              progress: Callable[[str], None] | None = None) -> TrapSpaceCount:
    """Count the minimal trap spaces of ``model`` (after percolating its constants),
    grouped by the values of the nodes ``by``, streaming clingo's answers without keeping
    them: the answer when there are too many attractors to list (bbm004 with every input
    off has more than 460,000 minimal trap spaces, each a fixed point).

    Each minimal trap space is one most-permissive attractor and holds at least one
    asynchronous attractor (exactly one when it is a single state); asynchronous
    attractors outside every minimal trap space are not counted. ``Limits.trap_spaces``
    does not apply (nothing is kept); ``Limits.seconds`` bounds the time, after which the
    counts so far come back with ``complete=False``.

    Complexity: one clingo enumeration, constant memory; time linear in the count.
    Raises: :class:`InputError` for unknown nodes in ``by``.
    """
    import time

    from ..errors import OutOfTime
    from .trapspaces import minimal_trap_space_profiles

    if isinstance(by, str):
        raise InputError("by must be a list of node names, not a string")
    unknown = [name for name in by if name not in model.index]
    if unknown:
        raise InputError(f"unknown node(s) {', '.join(unknown)} in by")
    system = LogicalSystem.from_model(model)
    columns = [model.index[name] for name in by]
    groups: dict[tuple[int | str, ...], list[int]] = {}
    total = fixed = 0
    complete = True
    started = time.monotonic()
    try:
        with time_budget(limits.seconds, limits.memory_mb):
            root = percolate(system, {})
            for key, point in minimal_trap_space_profiles(system, root, columns):
                total += 1
                fixed += point
                entry = groups.setdefault(key, [0, 0])
                entry[0] += 1
                entry[1] += point
                if progress is not None and total % 1000 == 0:
                    progress(f"{total:,} minimal trap spaces counted")
    except OutOfTime:
        complete = False
    return TrapSpaceCount(tuple(by), total, fixed,
                          {key: (n, f) for key, (n, f) in groups.items()}, complete,
                          time.monotonic() - started)


# ---------------------------------------------------------------------------------------
# synchronous


def _synchronous(context: SearchContext, root: dict[int, int],
                 starts: list[dict[int, int]] | None) -> list[AttractorSet]:
    system = context.system
    if starts is not None:
        return _sync_from(context, starts)
    free = system.free(root)
    check_size(free, context.limits.synchronous_nodes, "synchronous attractor search")
    return [ExplicitAttractor.from_states([decode(int(c), free, root, len(system)) for c in cycle])
            for cycle in sync_attractor_codes(system, root, free)]


def _sync_from(context: SearchContext, starts: list[dict[int, int]]) -> list[AttractorSet]:
    """Synchronous attractors reached from every state of the start subspaces."""
    system = context.system
    size = len(system)
    cycles: dict[frozenset[tuple[int, ...]], list[tuple[int, ...]]] = {}
    for start in starts:
        open_nodes = system.free(start)
        check_size(open_nodes, context.limits.synchronous_nodes, "synchronous start subspace")
        for code in range(1 << len(open_nodes)):
            state = decode(code, open_nodes, start, size)
            seen: dict[tuple[int, ...], int] = {}
            path: list[tuple[int, ...]] = []
            while state not in seen:
                seen[state] = len(path)
                path.append(state)
                state = tuple(int(f(state)) for f in context.functions)
            cycle = path[seen[state]:]
            cycles.setdefault(frozenset(cycle), cycle)
            context.check_time()
    return [ExplicitAttractor.from_states(cycle) for cycle in cycles.values()]


# ---------------------------------------------------------------------------------------
# most permissive


def _most_permissive(context: SearchContext, root: dict[int, int],
                     starts: list[dict[int, int]] | None) -> list[AttractorSet]:
    from .trapspaces import minimal_trap_spaces

    system = context.system
    traps = minimal_trap_spaces(system, root, context.limits.trap_spaces, context.deadline)
    if starts is not None:
        # Over-approximation documented in the README: the minimal trap spaces inside the
        # smallest trap space that contains the start subspaces.
        keep: list[dict[int, int]] = []
        for start in starts:
            common = trap_space_closure(system, start)
            keep.extend(t for t in traps if inside(t, common))
        traps = [t for t in traps if any(t is k for k in keep)]
    return [TrapSpaceAttractor(dict(t), 2 ** (len(system) - len(t))) for t in traps]
