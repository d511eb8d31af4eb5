"""Stochastic asynchronous simulation with seeded randomness.

Each step picks one node uniformly at random and applies its update function (the random
walk whose stationary distribution defines node activity, SPEC §3). Results are
reproducible: the same seed gives the same trajectories.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping, Sequence

from ..model import Model
from .evaluation import ScalarFunction
from .system import LogicalSystem

if TYPE_CHECKING:  # pragma: no cover
    import numpy


def walk(functions: Sequence[ScalarFunction], state: list[int], steps: int, rng: random.Random,
         nodes: Sequence[int] | None = None) -> list[int]:
    """Advance ``state`` in place by ``steps`` asynchronous updates of uniformly chosen
    ``nodes`` (default all); returns it."""
    choices = list(range(len(functions))) if nodes is None else list(nodes)
    if not choices:
        return state
    count, uniform = len(choices), rng.random  # random() is much cheaper than choice()
    for _ in range(steps):
        node = choices[int(uniform() * count)]
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
    model.by_index(initial, "initial state")
    functions = LogicalSystem.from_model(model).scalar_functions
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
    activity = {name: tuple(c / runs for c in counts[node])
                for node, name in enumerate(model.names)}
    return TimeCourse(model.names, tuple(times), activity, tuple(finals), seed)


def trajectory(model: Model, initial: Mapping[str, int], *, steps: int = 100,
               seed: int = 0) -> list[tuple[int, ...]]:
    """One seeded asynchronous trajectory: the state after each of ``steps`` updates."""
    model.by_index(initial, "initial state")
    functions = LogicalSystem.from_model(model).scalar_functions
    rng = random.Random(seed)
    state = [int(initial.get(name, 0)) for name in model.names]
    states = [tuple(state)]
    for _ in range(steps):
        walk(functions, state, 1, rng)
        states.append(tuple(state))
    return states


def batch_reaches(system: LogicalSystem, space: Mapping[int, int],
                  starts: Sequence[Mapping[int, int]], targets: Sequence[Mapping[int, int]], *,
                  sweeps: int, seed: int = 0) -> "numpy.ndarray":
    """Which of many start states a seeded asynchronous walk brings into one of ``targets``.

    All walks advance together with NumPy: each step updates one uniformly chosen free node
    in every walk (the walks share the node sequence, each is still a valid asynchronous
    trajectory). ``space`` is the trap space the states live in (only its free nodes
    move). Returns a boolean array, True where the walk entered a target within ``sweeps``
    sweeps of the free nodes.
    Complexity: O(sweeps × free nodes × regulators × len(starts)).
    """
    import numpy as np

    size = len(system)
    free = system.free(space)
    states = np.array([[start[i] for i in range(size)] for start in starts], dtype=bool)
    reached = np.zeros(len(starts), dtype=bool)
    if not len(starts) or not free:
        return reached
    target_columns = [(np.array(list(t), dtype=int), np.array(list(t.values()), dtype=bool))
                      for t in targets]
    rng = np.random.default_rng(seed)
    active = np.arange(len(starts))
    for _ in range(sweeps):
        rows = states[active]
        for node in rng.choice(free, size=len(free)):
            rows[:, node] = system.evaluate_node(int(node), rows)
        states[active] = rows
        inside = np.zeros(len(active), dtype=bool)
        for columns, values in target_columns:
            inside |= (rows[:, columns] == values).all(axis=1)
        reached[active[inside]] = True
        active = active[~inside]
        if not len(active):
            break
    return reached
