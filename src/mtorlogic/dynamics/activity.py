"""Node activities of an attractor (SPEC §3) and the :class:`~.results.Attractor` a search
reports: exact stationary distributions for attractors small enough, seeded time averages
for larger ones."""
from __future__ import annotations

import random
from typing import Any, Callable, Hashable, Mapping, Sequence

from .context import SearchContext
from .explicit import node_shares, stationary_distribution
from .results import Attractor
from .sets import AttractorSet, ExplicitAttractor
from .simulation import walk
from .system import LogicalSystem

Activities = tuple[dict[str, float], bool]
"""Each node's activity by name, and whether they were solved exactly."""


def present(context: SearchContext, item: AttractorSet, semantics: str, with_activity: bool,
            shared: dict[Hashable, Activities]) -> Attractor:
    """The attractor as reported, with its activities unless ``with_activity`` is false.

    ``shared`` keeps the activities of attractors found in a core, by their ``core`` tag,
    for the copies moved into other trap spaces with the same core: the nodes that vary
    are the core's and move the same way, so only the fixed values differ (bbm004: 352
    attractors from 56 cores, each activity a 2,000-sweep walk)."""
    system, limits = context.system, context.limits
    names = system.names
    values: dict[str, int | str] = {name: item.values.get(i, "*") for i, name in enumerate(names)}
    states = item.listed(limits.exact_activity_states)
    exact = True
    activity: dict[str, float]
    if not with_activity:
        activity = {}
    elif semantics == "most-permissive":
        activity = {name: float(item.values[i]) if i in item.values else 0.5
                    for i, name in enumerate(names)}
    elif states is not None and semantics == "synchronous":
        activity = {name: sum(s[i] for s in states) / len(states) for i, name in enumerate(names)}
    elif (isinstance(item, ExplicitAttractor) and item.coded is not None
          and item.size <= limits.exact_activity_states):
        coded = item.coded
        activity, exact = _core_activity(names, item, shared,
                                         lambda: _coded_activity(system, coded))
    elif states is not None:
        activity, exact = _exact_activity(system, item.values, states)
    else:
        activity, exact = _core_activity(names, item, shared,
                                         lambda: (_estimated_activity(context, item), False))
    if states is not None and len(states) > limits.exact_activity_states:
        states = None
    return Attractor(values, item.size, states, activity, exact)


def _core_activity(names: Sequence[str], item: AttractorSet, shared: dict[Hashable, Activities],
                   compute: Callable[[], Activities]) -> Activities:
    """``compute()``, or the activities already computed for the attractor with the same
    ``core`` tag (in another trap space of the same core) with ``item``'s fixed values."""
    key = item.core
    if key is None:
        return compute()
    if key not in shared:
        shared[key] = compute()
        return shared[key]
    activity, exact = shared[key]
    return {name: float(item.values[i]) if i in item.values else activity[name]
            for i, name in enumerate(names)}, exact


def _exact_activity(system: LogicalSystem, fixed: Mapping[int, int],
                    states: Sequence[tuple[int, ...]]) -> Activities:
    import numpy as np

    varying = system.free(fixed)
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


def _coded_activity(system: LogicalSystem, coded: tuple[dict[int, int], list[int], Any]
                    ) -> Activities:
    """Exact activities of an attractor found by explicit search, from its codes."""
    space, free, listed = coded
    shares, exact = node_shares(system, space, free, listed)
    activity = {system.names[i]: float(v) for i, v in space.items()}
    activity.update((system.names[node], share) for node, share in zip(free, shares))
    return {name: activity[name] for name in system.names}, exact


def _estimated_activity(context: SearchContext, item: AttractorSet) -> dict[str, float]:
    """Time-average of a seeded random walk of ``SearchOptions.activity_sweeps`` sweeps
    inside a large attractor."""
    system, sweeps = context.system, context.options.activity_sweeps
    state = item.representative()
    current = [state[i] for i in range(len(system))]
    varying = system.free(item.values)
    rng = random.Random(context.options.seed)
    totals = dict.fromkeys(varying, 0)
    for _ in range(sweeps):
        walk(context.functions, current, len(varying), rng, varying)
        for i in varying:  # the other nodes stay at their values
            totals[i] += current[i]
    return {name: totals[i] / sweeps if i in totals else float(current[i])
            for i, name in enumerate(system.names)}
