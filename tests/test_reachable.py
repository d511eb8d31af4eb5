"""``dynamics.asynchronous.reachable``: the attractors reachable from start subspaces, exact
against brute force on random networks with clamps and start subspaces, with the walks on and
off (off, every attractor goes through the symbolic search on the starts' trap space), and
with labels (one reachable attractor of each label is enough)."""
from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from brute_force import Oracle, random_network  # noqa: E402
from mtorlogic.dynamics.asynchronous import (  # noqa: E402
    _start_trap,
    asynchronous_attractors,
    reachable,  # noqa: E402
)
from mtorlogic.dynamics.context import SearchContext  # noqa: E402
from mtorlogic.dynamics.percolation import is_trap_space, percolate  # noqa: E402
from mtorlogic.dynamics.results import SearchOptions  # noqa: E402
from mtorlogic.dynamics.system import LogicalSystem  # noqa: E402
from mtorlogic.formats.bnet import parse_bnet  # noqa: E402

WALKS = {"walks": SearchOptions(), "symbolic only": SearchOptions(reach_walks=0)}


def cases(seed: int):
    """A random network with 0-2 nodes clamped, and start lists: subspaces that agree on
    most nodes (as a screen's starts do), a full state, several states."""
    rng = random.Random(seed)
    net = random_network(seed)
    model = parse_bnet(net.text, source=f"random-{seed}.bnet")
    names = list(model.names)
    clamps = {name: rng.randint(0, 1) for name in rng.sample(names, rng.randint(0, 2))}
    model = model.clamp(clamps)
    oracle = Oracle.from_model(model)
    n = len(names)

    def state() -> dict[int, int]:
        return {i: rng.randint(0, 1) for i in range(n)}

    base = state()
    free = rng.sample(range(n), min(n, 2))
    shared = {i: v for i, v in base.items() if i not in free}
    flipped = {**base, free[0]: 1 - base[free[0]]}
    return model, oracle, [[shared], [base, flipped], [state()], [state(), state()], [{}]]


def reached_indices(oracle: Oracle, found, starts) -> set[int]:
    states = set()
    for start in starts:
        states.update(oracle.states_of(start))
    expected = oracle.reachable_attractors("asynchronous", sorted(states))
    indices = set()
    for k, item in enumerate(found):
        if any(item.contains(next(iter(attractor))) for attractor in expected):
            indices.add(k)
    assert len(indices) == len(expected)  # each reachable attractor is one found
    return indices


@pytest.mark.parametrize("mode", list(WALKS))
@pytest.mark.parametrize("seed", range(0, 60, 3))
def test_reachable_agrees_with_brute_force(seed: int, mode: str) -> None:
    model, oracle, start_lists = cases(seed)
    system = LogicalSystem.from_model(model)
    context = SearchContext.start(system, options=WALKS[mode])
    found = asynchronous_attractors(context, percolate(system, {}))
    rng = random.Random(seed)
    for starts in start_lists:
        expected = reached_indices(oracle, found, starts)
        got = reachable(context, found, starts)
        assert [found.index(item) for item in got] == sorted(expected), (seed, starts)
        labels = [rng.randint(0, 2) for _ in found]
        some = reachable(context, found, starts, labels)
        indices = {found.index(item) for item in some}
        assert indices <= expected, (seed, starts)
        assert {labels[k] for k in indices} == {labels[k] for k in expected}, (seed, starts)


@pytest.mark.parametrize("seed", range(0, 60, 5))
def test_start_trap_holds_the_starts_and_is_a_trap_space(seed: int) -> None:
    model, oracle, start_lists = cases(seed)
    system = LogicalSystem.from_model(model)
    for starts in start_lists:
        trap = _start_trap(system, starts)
        assert is_trap_space(system, trap)
        assert all(start.get(node) == value for start in starts for node, value in trap.items())


# the first 8 seeds in the fast loop (pytest -m "not slow"), all 40 in CI
@pytest.mark.parametrize("seed", [seed if i < 8 else pytest.param(seed, marks=pytest.mark.slow)
                                  for i, seed in enumerate(range(1, 80, 2))])
def test_screen_verdict_from_starts_agrees_with_brute_force(seed: int, tmp_path: Path) -> None:
    """A screen from ``[start]`` states (every attractor judged first, reachability asked
    only for the verdicts that differ) gives the verdict of the attractors brute force
    reaches, for every single perturbation of a random network."""
    from mtorlogic.analysis.screen import build_spec
    from mtorlogic.analysis.verdicts import BaseEngine
    from mtorlogic.scenarios import load_scenario

    rng = random.Random(seed)
    net = random_network(seed)
    (tmp_path / "r.bnet").write_text(net.text)
    model = parse_bnet(net.text, source="r.bnet")
    names = list(model.names)
    target = rng.choice(names)
    choices = ["0", "1", "0", "1", '"*"']  # mostly fixed: starts that miss some attractors
    start = "".join(f"{name} = {rng.choice(choices)}\n"
                    for name in names if name not in model.inputs)
    inputs = "".join(f"{name} = {rng.randint(0, 1)}\n" for name in model.inputs)
    path = tmp_path / "s.toml"
    path.write_text(f'name = "s"\nmodel = "r.bnet"\n[inputs]\n{inputs}[start]\n{start}')
    scenario = load_scenario(path)
    spec = build_spec([scenario], target)
    engine = BaseEngine(spec.bases[0], spec.target)
    t = names.index(target)
    for perturbation in [()] + [((name, v),) for name in names for v in (0, 1)]:
        clamps = {**scenario.clamps, **dict(perturbation)}
        clamped = model.clamp(clamps)
        oracle = Oracle.from_model(clamped)
        states = set()
        for subspace in scenario.start or ():
            space = {names.index(n): v for n, v in {**subspace, **clamps}.items()}
            states.update(oracle.states_of(space))
        reached = oracle.reachable_attractors("asynchronous", sorted(states))
        values = {state[t] for attractor in reached for state in attractor}
        expected = "always" if values == {1} else "never" if values == {0} else "sometimes"
        assert engine.verdict(perturbation, "asynchronous") == expected, (seed, perturbation)
