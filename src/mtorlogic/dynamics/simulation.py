"""Stochastic asynchronous simulation with seeded randomness.

Each step picks one node uniformly at random and applies its update function (the random
walk whose stationary distribution defines node activity, SPEC §3). Results are
reproducible: the same seed gives the same trajectories.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

from ..errors import InputError
from ..expressions import to_python
from ..model import Model

Evaluator = Callable[[Sequence[int]], bool]


def compile_functions(model: Model) -> tuple[Evaluator, ...]:
    """One Python function per node, evaluating its update function on a state sequence."""
    source = ",\n".join(f"lambda s: {to_python(node.function, model.index)}"
                        for node in model.nodes)
    return tuple(eval(f"({source},)", {}))  # noqa: S307 - source built from parsed expressions


def walk(functions: Sequence[Evaluator], state: list[int], steps: int, rng: random.Random,
         nodes: Sequence[int] | None = None) -> list[int]:
    """Advance ``state`` in place by ``steps`` asynchronous updates of uniformly chosen
    ``nodes`` (default all); returns it."""
    choices = list(range(len(functions))) if nodes is None else list(nodes)
    if not choices:
        return state
    for _ in range(steps):
        node = rng.choice(choices)
        state[node] = int(functions[node](state))
    return state


@dataclass(frozen=True)
class TimeCourse:
    """Share of runs in which each node is 1, sampled every ``interval`` steps.

    ``times[k]`` is the step count of sample ``k``; ``activity[name][k]`` the share of runs
    with the node at 1 then. ``final_states`` holds each run's last state.
    """

    nodes: tuple[str, ...]
    times: tuple[int, ...]
    activity: Mapping[str, tuple[float, ...]]
    final_states: tuple[tuple[int, ...], ...]
    seed: int


def simulate(model: Model, initial: Mapping[str, int], *, steps: int = 1000, runs: int = 100,
             interval: int | None = None, seed: int = 0) -> TimeCourse:
    """Run ``runs`` seeded asynchronous random walks of ``steps`` updates each.

    ``initial`` gives node values; nodes left out start at 0. Step counts count single-node
    updates; ``interval`` (default ``len(model)``, one "sweep") sets the sampling grid.
    Complexity: O(runs × steps) function evaluations.
    """
    unknown = sorted(set(initial) - set(model.names))
    if unknown:
        raise InputError(f"initial state names unknown node(s) {', '.join(unknown)}", model.source)
    functions = compile_functions(model)
    interval = interval or max(1, len(model))
    rng = random.Random(seed)
    times = list(range(0, steps + 1, interval))
    counts = [[0] * len(times) for _ in model.names]
    finals = []
    for _ in range(runs):
        state = [int(initial.get(name, 0)) for name in model.names]
        done = 0
        for k, time in enumerate(times):
            walk(functions, state, time - done, rng)
            done = time
            for node, value in enumerate(state):
                counts[node][k] += value
        finals.append(tuple(state))
    activity = {name: tuple(c / runs for c in counts[node]) for node, name in enumerate(model.names)}
    return TimeCourse(model.names, tuple(times), activity, tuple(finals), seed)


def trajectory(model: Model, initial: Mapping[str, int], *, steps: int = 100,
               seed: int = 0) -> list[tuple[int, ...]]:
    """One seeded asynchronous trajectory: the state after each of ``steps`` updates."""
    functions = compile_functions(model)
    rng = random.Random(seed)
    state = [int(initial.get(name, 0)) for name in model.names]
    states = [tuple(state)]
    for _ in range(steps):
        walk(functions, state, 1, rng)
        states.append(tuple(state))
    return states
