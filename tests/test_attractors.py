"""find_attractors against a brute-force oracle (tests/brute_force.py).

Seeded random networks (3-9 nodes: truth tables, nested expressions, self-loops, inputs,
constants) and motif-avoidant examples, under the three semantics, on the explicit path
(default limits) and on the symbolic path (``Limits(explicit_nodes=0)`` and ``=2``: minimal
trap spaces, the succession-diagram motif-avoidance check, aeon). Also ``initial``: the
attractors reachable from given states or subspaces.
"""
from __future__ import annotations

import random
import sys
from functools import cache
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from brute_force import STAR, Oracle, key, network_from_rules, random_network  # noqa: E402
from mtorlogic import find_attractors  # noqa: E402
from mtorlogic.dynamics.results import Limits  # noqa: E402
from mtorlogic.errors import InputError  # noqa: E402
from mtorlogic.formats import load_model  # noqa: E402
from mtorlogic.formats.bnet import parse_bnet  # noqa: E402

BENCH = Path(__file__).resolve().parent / "data" / "bench"

# Seed 205 happens to have a motif-avoidant attractor (one in no minimal trap space).
SEEDS = list(range(60)) + [205]
PATHS = {
    "explicit": Limits(),
    "symbolic": Limits(explicit_nodes=0),
    "mixed": Limits(explicit_nodes=2),
}
# With a single candidate allowed, the motif-avoidance check falls back to symbolic
# backward reachability from the minimal trap spaces.
# (The mixed path is left to the random networks: it costs seconds on these.)
AVOIDANT_PATHS = {"explicit": PATHS["explicit"], "symbolic": PATHS["symbolic"],
                  "fallback": Limits(explicit_nodes=0, candidates=1)}


@cache
def network(seed: int):
    net = random_network(seed)
    return net, net.oracle(), parse_bnet(net.text, source=f"random-{seed}.bnet")


# ---------------------------------------------------------------------------------------
# comparison with the oracle


def check_dynamics(found, oracle: Oracle, semantics: str, expected=None, context=""):
    """``found`` (async or sync attractors) equals ``expected`` (frozensets of states)."""
    expected = oracle.attractors(semantics) if expected is None else expected
    want = sorted((key(oracle.enclosing(a)), len(a)) for a in expected)
    got = sorted((key(a.values), a.size) for a in found)
    assert got == want, f"{context}: attractors differ\n got  {got}\n want {want}"
    by_states = {a: a for a in expected}
    for attractor in found:
        assert set(attractor.values) == set(oracle.names)
        # Everything here is far below Limits.exact_activity_states: states are listed.
        assert attractor.states is not None, f"{context}: no states for {attractor.values}"
        assert len(set(attractor.states)) == len(attractor.states) == attractor.size
        states = frozenset(tuple(s) for s in attractor.states)
        assert states in by_states, f"{context}: states {sorted(states)} are no attractor"
        assert all(len(s) == oracle.n and set(s) <= {0, 1} for s in states)
        # activities
        assert set(attractor.activities) == set(oracle.names)
        assert attractor.activity_exact, f"{context}: small attractor, activity not exact"
        if semantics == "synchronous":
            want_activity = Oracle.cycle_activities(oracle.names, states)
        else:
            want_activity = oracle.stationary_activities(states)
        for name in oracle.names:
            assert attractor.activities[name] == pytest.approx(want_activity[name], abs=1e-6), \
                f"{context}: activity of {name} in {attractor.values}"
            assert -1e-9 <= attractor.activities[name] <= 1 + 1e-9
            if attractor.values[name] != STAR:
                assert attractor.activities[name] == pytest.approx(attractor.values[name],
                                                                   abs=1e-9)


def check_most_permissive(found, oracle: Oracle, traps=None, context=""):
    traps = oracle.minimal_trap_spaces() if traps is None else traps
    want = sorted(key(oracle.subspace_values(t)) for t in traps)
    got = sorted(key(a.values) for a in found)
    assert got == want, f"{context}: minimal trap spaces differ\n got  {got}\n want {want}"
    for attractor in found:
        free = sum(v == STAR for v in attractor.values.values())
        assert attractor.size == 2 ** free
        for name, value in attractor.values.items():
            activity = attractor.activities[name]
            assert 0.0 <= activity <= 1.0
            if value != STAR:
                assert activity == value


# ---------------------------------------------------------------------------------------
# 1. random networks, all semantics, both paths


@pytest.mark.slow
def test_random_networks_are_varied():
    """The generator gives what the comparisons below are meant to cover."""
    kinds = [k for seed in SEEDS for k in network(seed)[0].kinds]
    for kind in ("constant", "input", "table", "expression"):
        assert kind in kinds
    sizes = {network(seed)[1].n for seed in SEEDS}
    assert sizes == set(range(3, 10))
    cyclic = sum(any(len(a) > 1 for a in network(seed)[1].attractors("asynchronous"))
                 for seed in SEEDS)
    multistable = sum(len(network(seed)[1].attractors("asynchronous")) > 1 for seed in SEEDS)
    assert cyclic >= 10 and multistable >= 10
    # self-loops
    assert any(f"x{i}" in line.split(",", 1)[1] for seed in SEEDS
               for i, line in enumerate(network(seed)[0].text.splitlines()[1:])
               if network(seed)[0].kinds[i] in ("table", "expression"))


@pytest.mark.parametrize("path", list(PATHS))
@pytest.mark.parametrize("seed", SEEDS)
def test_random_asynchronous(seed, path):
    _, oracle, model = network(seed)
    found = find_attractors(model, "asynchronous", limits=PATHS[path])
    check_dynamics(found, oracle, "asynchronous", context=f"seed {seed} {path}")


@pytest.mark.parametrize("seed", SEEDS)
def test_random_synchronous(seed):
    _, oracle, model = network(seed)
    for limits in (Limits(), Limits(explicit_nodes=0)):
        found = find_attractors(model, "synchronous", limits=limits)
        check_dynamics(found, oracle, "synchronous", context=f"seed {seed}")


@pytest.mark.parametrize("seed", SEEDS)
def test_random_most_permissive(seed):
    _, oracle, model = network(seed)
    for limits in (Limits(), Limits(explicit_nodes=0)):
        found = find_attractors(model, "most-permissive", limits=limits)
        check_most_permissive(found, oracle, context=f"seed {seed}")


def test_default_semantics_is_asynchronous():
    _, oracle, model = network(3)
    assert [a.values for a in find_attractors(model)] == \
        [a.values for a in find_attractors(model, "asynchronous")]


@pytest.mark.slow
@pytest.mark.parametrize("path", ["explicit", "symbolic"])
def test_large_attractors_beyond_exact_activity_limit(path):
    """Attractors over Limits.exact_activity_states list no states; their activities are
    either exact (and then equal the stationary distribution) or estimated by a seeded
    simulation (activity_exact False) and close to it."""
    limits = Limits(exact_activity_states=2, explicit_nodes=PATHS[path].explicit_nodes)
    large = 0
    for seed in SEEDS:
        _, oracle, model = network(seed)
        found = find_attractors(model, limits=limits)
        expected = {(key(oracle.enclosing(a)), len(a)): a
                    for a in oracle.attractors("asynchronous")}
        assert sorted((key(a.values), a.size) for a in found) == sorted(expected)
        for attractor in found:
            if attractor.size <= 2:
                continue
            large += 1
            assert attractor.states is None
            want = oracle.stationary_activities(expected[(key(attractor.values), attractor.size)])
            tolerance = 1e-6 if attractor.activity_exact else 0.1
            for name in oracle.names:
                assert attractor.activities[name] == pytest.approx(want[name], abs=tolerance)
    assert large >= 10


@pytest.mark.parametrize("seed", [2, 29, 205])
def test_activities_can_be_skipped(seed):
    _, oracle, model = network(seed)
    for semantics in ("asynchronous", "synchronous", "most-permissive"):
        full = find_attractors(model, semantics)
        bare = find_attractors(model, semantics, activities=False)
        assert [(a.values, a.size) for a in bare] == [(a.values, a.size) for a in full]
        assert all(not a.activities for a in bare)


def test_unknown_semantics_is_an_input_error():
    _, _, model = network(3)
    with pytest.raises(InputError, match="semantics"):
        find_attractors(model, "general")


# ---------------------------------------------------------------------------------------
# motif-avoidant attractors


def is_motif_avoidant(oracle: Oracle) -> bool:
    traps = oracle.minimal_trap_spaces()
    for attractor in oracle.attractors("asynchronous"):
        values = oracle.enclosing(attractor)
        subspace = tuple(values[name] for name in oracle.names)
        if not any(Oracle.inside(subspace, t) for t in traps):
            return True
    return False


# Input u switches the core on (u = 1) or freezes it (u = 0). In the core a' = a xor b,
# b' = !(a xor b): a fixed point a=1,b=0 (the only minimal trap space) and the cycle
# 00 -> 01 -> 11 -> 00 that lies in no minimal trap space. f reads a & !b and g latches it,
# so the motif-avoidant cycle comes twice (g = 0 and g = 1); e oscillates on its own.
CONSTRUCTED_AVOIDANT = """\
u, u
a, (u & a & !b) | (u & !a & b) | (!u & a)
b, (u & a & b) | (u & !a & !b) | (!u & b)
e, !e
f, a & !b
g, g | f
h, !g & h
"""


def constructed_avoidant():
    rules = {
        "u": lambda s: s["u"],
        "a": lambda s: (s["a"] ^ s["b"]) if s["u"] else s["a"],
        "b": (lambda s: 1 - (s["a"] ^ s["b"]) if s["u"] else s["b"]),
        "e": lambda s: 1 - s["e"],
        "f": lambda s: s["a"] and not s["b"],
        "g": lambda s: s["g"] or s["f"],
        "h": lambda s: (not s["g"]) and s["h"],
    }
    names, functions = network_from_rules(rules)
    return Oracle(names, functions), parse_bnet(CONSTRUCTED_AVOIDANT, source="constructed.bnet")


def avoidant_cases():
    cases = [pytest.param("constructed", id="constructed")]
    cases += [pytest.param("seed-205", id="seed-205")]
    for path in sorted((BENCH / "random").glob("motifavoid_*.bnet")):
        cases.append(pytest.param(str(path), id=path.stem))
    return cases


def avoidant_case(name: str):
    if name == "constructed":
        return constructed_avoidant()
    if name == "seed-205":
        _, oracle, model = network(205)
        return oracle, model
    model = load_model(name)
    return Oracle.from_model(model), model


def avoidant_combinations():
    """Every case on every path; the constructed case's symbolic path takes seconds."""
    for case in avoidant_cases():
        for path in AVOIDANT_PATHS:
            name = case.values[0]
            marks = [pytest.mark.slow] if (name, path) == ("constructed", "symbolic") else []
            yield pytest.param(name, path, id=f"{case.id}-{path}", marks=marks)


@pytest.mark.slow
@pytest.mark.parametrize("case, path", list(avoidant_combinations()))
def test_motif_avoidant_attractors(case, path):
    oracle, model = avoidant_case(case)
    assert is_motif_avoidant(oracle), "the example must have a motif-avoidant attractor"
    limits = AVOIDANT_PATHS[path]
    found = find_attractors(model, "asynchronous", limits=limits)
    check_dynamics(found, oracle, "asynchronous", context=f"{case} {path}")
    if path in ("explicit", "symbolic"):
        check_dynamics(find_attractors(model, "synchronous", limits=limits), oracle,
                       "synchronous", context=f"{case} {path}")
        check_most_permissive(find_attractors(model, "most-permissive", limits=limits),
                              oracle, context=f"{case} {path}")


def test_constructed_example_has_the_intended_attractors():
    """The oracle agrees with the comment above CONSTRUCTED_AVOIDANT (the engine is checked
    on it by test_motif_avoidant_attractors)."""
    oracle, _ = constructed_avoidant()
    traps = oracle.minimal_trap_spaces()
    avoidant = []
    for attractor in oracle.attractors("asynchronous"):
        values = oracle.enclosing(attractor)
        if not any(Oracle.inside(tuple(values[n] for n in oracle.names), t) for t in traps):
            avoidant.append((values, len(attractor)))
    # g latches f; h latches itself while g = 0: (g, h) in 00, 01, 10.
    assert sorted((v["g"], v["h"]) for v, _ in avoidant) == [(0, 0), (0, 1), (1, 0)]
    for values, size in avoidant:
        assert size == 3 * 2  # the 3-cycle of (a, b) times e
        assert (values["u"], values["a"], values["b"], values["f"]) == (1, STAR, STAR, 0)


@pytest.mark.slow
def test_motif_avoidance_check_on_a_larger_network():
    """The constructed example next to a ring of 12 latches (z_i = z_i | z_i+1, whose
    attractors are all-0 and all-1), so that under default limits the root has more than
    18 free nodes and the symbolic path with the motif-avoidance check runs."""
    ring = 12
    extra = "\n".join(f"z{i}, z{i} | z{(i + 1) % ring}" for i in range(ring))
    model = parse_bnet(CONSTRUCTED_AVOIDANT + extra + "\n", source="larger.bnet")
    oracle, _ = constructed_avoidant()
    want = sorted((key(oracle.enclosing(a)), len(a)) for a in oracle.attractors("asynchronous"))
    expected = sorted(
        (tuple(sorted(values + tuple((f"z{i}", str(bit)) for i in range(ring)))), size)
        for values, size in want for bit in (0, 1))
    found = find_attractors(model, "asynchronous")
    assert sorted((key(a.values), a.size) for a in found) == expected


# ---------------------------------------------------------------------------------------
# 2. initial states and subspaces


INITIAL_SEEDS = [s for s in SEEDS if s % 2 == 0 or s == 205]


def start_sets(oracle: Oracle, seed: int) -> list:
    """A few lists of starts: one full state, one partial subspace, two states."""
    rng = random.Random(1000 + seed)
    names = oracle.names

    def state():
        return {name: rng.randint(0, 1) for name in names}

    partial = {name: rng.randint(0, 1) for name in rng.sample(names, max(1, len(names) // 2))}
    return [[state()], [partial], [state(), state()], [{}]]


def expand(oracle: Oracle, starts) -> list:
    """Every state of the start subspaces, taken as given (a clamped node may start at the
    other value and move to its clamp in the dynamics)."""
    states = set()
    for start in starts:
        states.update(oracle.states_of({oracle.names.index(n): v for n, v in start.items()}))
    return sorted(states)


@pytest.mark.parametrize("seed, path", [
    pytest.param(seed, path, marks=[pytest.mark.slow] if (seed, path) == (205, "symbolic") else [])
    for seed in INITIAL_SEEDS for path in ("explicit", "symbolic")])
def test_initial_asynchronous(seed, path):
    _, oracle, model = network(seed)
    for starts in start_sets(oracle, seed):
        expected = oracle.reachable_attractors("asynchronous", expand(oracle, starts))
        found = find_attractors(model, "asynchronous", initial=starts, limits=PATHS[path])
        check_dynamics(found, oracle, "asynchronous", expected, context=f"seed {seed} {starts}")


@pytest.mark.parametrize("seed", INITIAL_SEEDS)
def test_initial_synchronous(seed):
    _, oracle, model = network(seed)
    for starts in start_sets(oracle, seed):
        expected = oracle.reachable_attractors("synchronous", expand(oracle, starts))
        found = find_attractors(model, "synchronous", initial=starts)
        check_dynamics(found, oracle, "synchronous", expected, context=f"seed {seed} {starts}")


@pytest.mark.parametrize("seed", INITIAL_SEEDS)
def test_initial_most_permissive(seed):
    """The documented over-approximation: the minimal trap spaces inside the smallest trap
    space that contains a start."""
    _, oracle, model = network(seed)
    for starts in start_sets(oracle, seed):
        traps = set()
        for start in starts:
            space = {oracle.names.index(n): v for n, v in start.items()}
            closure = oracle.smallest_trap_space_containing(oracle.as_subspace(space))
            traps.update(t for t in oracle.minimal_trap_spaces() if Oracle.inside(t, closure))
        found = find_attractors(model, "most-permissive", initial=starts)
        check_most_permissive(found, oracle, sorted(traps, key=str),
                              context=f"seed {seed} {starts}")


def test_initial_selects_one_of_two_fixed_points():
    """A toggle switch: from each fixed point only itself; from 00 or 11 both (async),
    and under the synchronous semantics 00 and 11 lead to the 2-cycle."""
    model = parse_bnet("a, !b\nb, !a\n")
    both = find_attractors(model, "asynchronous")
    assert len(both) == 2
    only = find_attractors(model, "asynchronous", initial=[{"a": 1, "b": 0}])
    assert [a.values for a in only] == [{"a": 1, "b": 0}]
    assert len(find_attractors(model, "asynchronous", initial=[{"a": 0, "b": 0}])) == 2
    sync = find_attractors(model, "synchronous", initial=[{"a": 0, "b": 0}])
    assert [(a.size, dict(a.values)) for a in sync] == [(2, {"a": "*", "b": "*"})]


def test_initial_states_are_taken_as_given_for_clamped_nodes():
    """find_attractors: "Starts are taken as given: a clamped node that starts at the other
    value moves to its clamp in the dynamics". Here a is clamped to 0 and b = a | b latches
    a: a start with a = 1 can latch b before a drops."""
    model = parse_bnet("a, a\nb, a | b\n").clamp({"a": 0})
    low, high = {"a": 0, "b": 0}, {"a": 0, "b": 1}
    expected = {
        # start: (asynchronous, synchronous, most-permissive)
        (("a", 0), ("b", 0)): ([low], [low], [low]),
        (("a", 1), ("b", 0)): ([low, high], [high], [low, high]),
        (("b", 0),): ([low, high], [low, high], [low, high]),
    }
    for start, wanted in expected.items():
        for semantics, want in zip(("asynchronous", "synchronous", "most-permissive"), wanted):
            for limits in (Limits(), Limits(explicit_nodes=0)):
                found = find_attractors(model, semantics, initial=[dict(start)], limits=limits)
                got = sorted((dict(a.values) for a in found), key=str)
                assert got == sorted(want, key=str), (start, semantics)


def test_initial_rejects_unknown_nodes_and_values():
    _, _, model = network(3)
    with pytest.raises(InputError, match="nope"):
        find_attractors(model, initial=[{"nope": 1}])
    with pytest.raises(InputError):
        find_attractors(model, initial=[{"x0": 2}])
    with pytest.raises(InputError):
        find_attractors(model, "synchronous", initial=[{"x0": 2}])
