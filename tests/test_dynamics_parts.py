"""The parts of the dynamics engine, each against hand examples and the brute-force oracle:
percolation, trap spaces, negative feedback vertex sets, the signed interaction graph,
state-transition graphs, simulation, clamping, and the limits on exponential work."""
from __future__ import annotations

import random
import signal
import sys
from functools import cache
from pathlib import Path

import networkx as nx
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from brute_force import STAR, Oracle, random_network  # noqa: E402
from mtorlogic import find_attractors  # noqa: E402
from mtorlogic.dynamics.context import time_budget  # noqa: E402
from mtorlogic.dynamics.feedback import negative_feedback_vertex_set  # noqa: E402
from mtorlogic.dynamics.percolation import (
    forced,
    from_masks,
    is_trap_space,
    percolate,
    ranked_percolation,
    to_masks,
    trap_space_closure,
)  # noqa: E402
from mtorlogic.dynamics.results import Limits, SearchOptions  # noqa: E402
from mtorlogic.dynamics.simulation import TimeCourse, simulate, trajectory  # noqa: E402
from mtorlogic.dynamics.stg import state_transition_graph  # noqa: E402
from mtorlogic.dynamics.system import LogicalSystem  # noqa: E402
from mtorlogic.dynamics.trapspaces import maximal_trap_spaces, minimal_trap_spaces  # noqa: E402
from mtorlogic.errors import InputError, LimitExceeded, OutOfMemory  # noqa: E402
from mtorlogic.formats.bnet import parse_bnet  # noqa: E402

SEEDS = list(range(40)) + [205]


@cache
def network(seed: int):
    net = random_network(seed)
    model = parse_bnet(net.text, source=f"random-{seed}.bnet")
    return net.oracle(), model, LogicalSystem.from_model(model)


def oracle_summary(oracle: Oracle) -> list:
    """The asynchronous attractors brute force finds: (enclosing subspace, size), sorted."""
    return sorted((str(sorted(oracle.enclosing(a).items())), len(a))
                  for a in oracle.attractors("asynchronous"))


def summary(found) -> list:
    """Attractors found by the engine, in the shape of :func:`oracle_summary`."""
    return sorted((str(sorted(dict(a.values).items())), a.size) for a in found)


def system_of(text: str):
    model = parse_bnet(text)
    return model, LogicalSystem.from_model(model)


def by_index(model, values: dict) -> dict:
    return {model.index[name]: value for name, value in values.items()}


def by_name(model, space: dict) -> dict:
    return {model.names[i]: value for i, value in space.items()}


def random_subspaces(oracle: Oracle, seed: int, count: int = 6) -> list:
    rng = random.Random(seed)
    spaces = [{}]
    for _ in range(count):
        nodes = rng.sample(range(oracle.n), rng.randint(1, oracle.n))
        spaces.append({i: rng.randint(0, 1) for i in nodes})
    return spaces


def some_trap_spaces(oracle: Oracle, seed: int, count: int = 5) -> list:
    rng = random.Random(seed)
    traps = oracle.trap_spaces
    chosen = rng.sample(traps, min(count, len(traps)))
    return [{i: v for i, v in enumerate(t) if v != STAR} for t in chosen]


def as_tuple(oracle: Oracle, space: dict) -> tuple:
    return oracle.as_subspace(space)


# ---------------------------------------------------------------------------------------
# percolation and trap spaces


HAND = """\
a, 1
b, a
c, b & !d
d, d
e, e & c
f, !f
"""


def test_percolation_by_hand():
    model, system = system_of(HAND)
    assert by_name(model, percolate(system, {})) == {"a": 1, "b": 1}
    assert by_name(model, percolate(system, by_index(model, {"d": 1}))) == \
        {"a": 1, "b": 1, "d": 1, "c": 0, "e": 0}
    # d = 0: c = b & 1 = 1, but e = e & 1 stays free
    assert by_name(model, percolate(system, by_index(model, {"d": 0}))) == \
        {"a": 1, "b": 1, "d": 0, "c": 1}
    # f = !f never percolates
    assert "f" not in by_name(model, percolate(system, by_index(model, {"d": 1})))


def test_is_trap_space_by_hand():
    model, system = system_of(HAND)
    assert is_trap_space(system, {})
    assert is_trap_space(system, by_index(model, {"a": 1}))
    assert not is_trap_space(system, by_index(model, {"a": 0}))
    assert not is_trap_space(system, by_index(model, {"b": 1}))  # b follows a, a free
    assert is_trap_space(system, by_index(model, {"a": 1, "b": 1}))
    assert is_trap_space(system, by_index(model, {"d": 1, "c": 0}))
    assert not is_trap_space(system, by_index(model, {"d": 0, "c": 0}))  # c = b, b free
    assert is_trap_space(system, by_index(model, {"e": 0}))
    assert not is_trap_space(system, by_index(model, {"e": 1}))
    assert not is_trap_space(system, by_index(model, {"f": 0}))
    assert by_name(model, trap_space_closure(system, by_index(model, {"d": 0, "c": 0}))) == \
        {"d": 0}
    assert by_name(model, trap_space_closure(system, by_index(model, {"a": 1, "f": 1}))) == \
        {"a": 1}


@pytest.mark.parametrize("seed", SEEDS)
def test_percolation_trap_spaces_and_closure_against_oracle(seed):
    oracle, model, system = network(seed)
    for space in random_subspaces(oracle, seed):
        assert percolate(system, space) == oracle.percolate(space), space
        # the bit-mask form (screens) agrees with the dict form
        assert from_masks(*system.percolation.closure(*to_masks(space))) == \
            oracle.percolate(space), space
        assert is_trap_space(system, space) == oracle.is_trap(as_tuple(oracle, space)), space
        closure = trap_space_closure(system, space)
        assert as_tuple(oracle, closure) == \
            oracle.smallest_trap_space_containing(as_tuple(oracle, space)), space
    for trap in some_trap_spaces(oracle, seed):
        assert is_trap_space(system, trap)
        percolated = percolate(system, trap)
        assert percolated == oracle.percolate(trap)
        assert is_trap_space(system, percolated)
        assert trap_space_closure(system, trap) == trap


def oracle_forced(oracle, space):
    """Brute force: node -> the value its function takes on every state of ``space``."""
    inside = oracle.states_of(dict(space))
    out = {}
    for i in range(oracle.n):
        values = {oracle.image[s][i] for s in inside}
        if len(values) == 1:
            out[i] = values.pop()
    return out


@pytest.mark.parametrize("seed", SEEDS)
def test_ranked_percolation_rounds_and_restriction_against_oracle(seed):
    """Round k holds exactly the free nodes forced by the values of rounds < k (brute
    force), the closure is the oracle's, and limited to a regulator-closed set of nodes it
    gives the whole closure's values there."""
    oracle, model, system = network(seed)
    for space in random_subspaces(oracle, seed):
        assert forced(system, space) == oracle_forced(oracle, space), space
        fixed, rank = ranked_percolation(system, space)
        assert fixed == oracle.percolate(space), space
        assert {i: rank[i] for i in space} == dict.fromkeys(space, 0)
        for k in range(1, max(rank.values(), default=0) + 2):
            earlier = {i: v for i, v in fixed.items() if rank[i] < k}
            newly = {i: v for i, v in oracle_forced(oracle, earlier).items()
                     if i not in earlier}
            assert newly == {i: v for i, v in fixed.items() if rank[i] == k}, (space, k)
        for node in range(len(system)):
            cone = {node}
            stack = [node]
            while stack:
                for regulator in system.regulators[stack.pop()]:
                    if regulator not in cone:
                        cone.add(regulator)
                        stack.append(regulator)
            inner = ranked_percolation(system, {i: v for i, v in space.items() if i in cone},
                                       within=cone)
            assert inner.fixed == {i: v for i, v in fixed.items() if i in cone}, (space, node)


@pytest.mark.parametrize("seed", SEEDS)
def test_minimal_and_maximal_trap_spaces_against_oracle(seed):
    oracle, model, system = network(seed)
    want = sorted(map(str, oracle.minimal_trap_spaces()))
    got = sorted(str(as_tuple(oracle, t)) for t in minimal_trap_spaces(system, {}))
    assert got == want
    want = sorted(map(str, oracle.maximal_trap_spaces_inside(as_tuple(oracle, {}))))
    got = sorted(str(as_tuple(oracle, t)) for t in maximal_trap_spaces(system, {}))
    assert got == want
    for trap in some_trap_spaces(oracle, seed, 3):
        outer = as_tuple(oracle, trap)
        want = sorted(str(t) for t in oracle.minimal_trap_spaces() if Oracle.inside(t, outer))
        got = sorted(str(as_tuple(oracle, t)) for t in minimal_trap_spaces(system, trap))
        assert got == want, trap
        want = sorted(map(str, oracle.maximal_trap_spaces_inside(outer)))
        got = sorted(str(as_tuple(oracle, t)) for t in maximal_trap_spaces(system, trap))
        assert got == want, trap


def test_trap_spaces_by_hand():
    # toggle switch with an oscillator beside it
    model, system = system_of("a, !b\nb, !a\nc, !c\n")
    named = sorted(sorted(by_name(model, t).items()) for t in minimal_trap_spaces(system, {}))
    assert named == [[("a", 0), ("b", 1)], [("a", 1), ("b", 0)]]
    named = sorted(sorted(by_name(model, t).items()) for t in maximal_trap_spaces(system, {}))
    assert named == [[("a", 0), ("b", 1)], [("a", 1), ("b", 0)]]
    assert maximal_trap_spaces(system, by_index(model, {"a": 1, "b": 0})) == []


# ---------------------------------------------------------------------------------------
# negative feedback vertex sets


def negative_cycles(edges: dict, removed: set) -> list:
    """Cycles of the signed graph without ``removed`` that are negative (an edge of sign
    0 is both positive and negative, so a cycle through one counts)."""
    graph = nx.DiGraph()
    for (u, v), sign in edges.items():
        if u not in removed and v not in removed:
            graph.add_edge(u, v, sign=sign)
    bad = []
    for cycle in nx.simple_cycles(graph):
        signs = [graph.edges[cycle[k], cycle[(k + 1) % len(cycle)]]["sign"]
                 for k in range(len(cycle))]
        product = 1
        for sign in signs:
            product *= sign
        if product <= 0:
            bad.append(cycle)
    return bad


def test_negative_feedback_vertex_set_by_hand():
    model, system = system_of("a, !a\nb, b\n")
    assert {model.names[i] for i in negative_feedback_vertex_set(system, {})} == {"a"}
    model, system = system_of("a, b\nb, a\nc, !d\nd, !c\n")  # only positive cycles
    assert negative_feedback_vertex_set(system, {}) == set()
    model, system = system_of("a, !b\nb, a\n")
    chosen = {model.names[i] for i in negative_feedback_vertex_set(system, {})}
    assert len(chosen) == 1 and chosen <= {"a", "b"}
    # xor self-loop: a sign-0 edge makes a negative cycle
    model, system = system_of("a, (a & !b) | (!a & b)\nb, b\n")
    assert {model.names[i] for i in negative_feedback_vertex_set(system, {})} == {"a"}


@pytest.mark.parametrize("seed", SEEDS)
def test_negative_feedback_vertex_set_hits_every_negative_cycle(seed):
    oracle, model, system = network(seed)
    spaces = [{}, percolate(system, {})] + some_trap_spaces(oracle, seed, 2)
    for space in spaces:
        chosen = negative_feedback_vertex_set(system, space)
        assert all(node not in space for node in chosen)
        edges = oracle.signed_edges(space)
        removed = {model.names[i] for i in chosen}
        assert negative_cycles(edges, removed) == [], (space, removed)
        # minimal: without any one of its nodes a negative cycle remains (fewer
        # feedback nodes, fewer attractor candidates)
        for name in removed:
            assert negative_cycles(edges, removed - {name}), (space, removed, name)


def test_oracle_finds_negative_cycles():
    """negative_cycles itself can fail: it sees the cycles that are there."""
    oracle, _, _ = network(205)
    edges = oracle.signed_edges()
    assert negative_cycles(edges, set())


# ---------------------------------------------------------------------------------------
# interaction graph


def edges_of(text: str) -> dict:
    graph = parse_bnet(text).interaction_graph()
    return {(u, v): data["sign"] for u, v, data in graph.edges(data=True)}


def test_interaction_graph_signs_by_hand():
    assert edges_of("a, a\nb, b\nc, a & !b\n") == \
        {("a", "a"): 1, ("b", "b"): 1, ("a", "c"): 1, ("b", "c"): -1}
    assert edges_of("a, a\nb, b\nc, (a & !b) | (!a & b)\n") == \
        {("a", "a"): 1, ("b", "b"): 1, ("a", "c"): 0, ("b", "c"): 0}
    # b occurs but cannot change the value: no edge
    assert edges_of("a, a\nb, b\nc, a | (b & !b)\n") == {("a", "a"): 1, ("b", "b"): 1,
                                                          ("a", "c"): 1}
    assert edges_of("a, 1\nb, !b\n") == {("b", "b"): -1}
    graph = parse_bnet("a, 1\nb, !b\n").interaction_graph()
    assert set(graph.nodes) == {"a", "b"}


@pytest.mark.parametrize("seed", SEEDS)
def test_interaction_graph_against_oracle(seed):
    oracle, model, _ = network(seed)
    graph = model.interaction_graph()
    assert set(graph.nodes) == set(model.names)
    got = {(u, v): data["sign"] for u, v, data in graph.edges(data=True)}
    assert got == oracle.signed_edges()


# ---------------------------------------------------------------------------------------
# state-transition graphs


def label(state) -> str:
    return "".join(map(str, state))


@pytest.mark.parametrize("seed", SEEDS[:25])
def test_state_transition_graph_against_oracle(seed):
    oracle, model, _ = network(seed)
    for semantics in ("asynchronous", "synchronous"):
        graph = state_transition_graph(model, semantics)
        reference = oracle.graph(semantics)
        assert graph.number_of_nodes() == 2 ** oracle.n
        assert graph.number_of_edges() == reference.number_of_edges()
        assert set(graph.nodes) == {label(s) for s in oracle.states}
        assert set(graph.edges) == {(label(s), label(t)) for s, t in reference.edges}
        want = sorted(sorted(map(label, a)) for a in oracle.attractors(semantics))
        got = sorted(sorted(a) for a in Oracle.terminal_sccs(graph))
        assert got == want
    graph = state_transition_graph(model, "asynchronous")
    for source, target, data in graph.edges(data=True):
        changed = [i for i in range(oracle.n) if source[i] != target[i]]
        assert len(changed) == 1 and data["node"] == model.names[changed[0]]


def test_state_transition_graph_by_hand():
    model = parse_bnet("a, !b\nb, a\n")
    graph = state_transition_graph(model, "asynchronous")
    # a = !b, b = a: the 4-cycle 00 -> 10 -> 11 -> 01 -> 00 (label: a first)
    assert set(graph.edges) == {("00", "10"), ("10", "11"), ("11", "01"), ("01", "00")}
    sync = state_transition_graph(model, "synchronous")
    assert set(sync.edges) == {("00", "10"), ("10", "11"), ("11", "01"), ("01", "00")}
    fixed = state_transition_graph(parse_bnet("a, a\n"), "synchronous")
    assert set(fixed.edges) == {("0", "0"), ("1", "1")}


def test_state_transition_graph_size_guard():
    model = parse_bnet("".join(f"x{i}, !x{(i + 1) % 9}\n" for i in range(9)))
    with pytest.raises(LimitExceeded) as error:
        state_transition_graph(model, "asynchronous", limits=Limits(stg_states=256))
    assert error.value.limit == 256
    assert "stg_states" in str(error.value)
    assert state_transition_graph(model, "asynchronous",
                                  limits=Limits(stg_states=512)).number_of_nodes() == 512


def test_state_transition_graph_has_no_most_permissive_form():
    with pytest.raises((ValueError, InputError)):
        state_transition_graph(parse_bnet("a, !a\n"), "most-permissive")


# ---------------------------------------------------------------------------------------
# simulation


TOGGLE = parse_bnet("a, !b\nb, !a\nc, a\n")


def test_simulation_is_reproducible_with_a_seed():
    first = simulate(TOGGLE, {"a": 0, "b": 0}, steps=60, runs=40, seed=7)
    again = simulate(TOGGLE, {"a": 0, "b": 0}, steps=60, runs=40, seed=7)
    other = simulate(TOGGLE, {"a": 0, "b": 0}, steps=60, runs=40, seed=8)
    assert isinstance(first, TimeCourse)
    assert first == again
    assert first.final_states != other.final_states
    assert trajectory(TOGGLE, {}, steps=30, seed=3) == trajectory(TOGGLE, {}, steps=30, seed=3)
    assert trajectory(TOGGLE, {}, steps=30, seed=3) != trajectory(TOGGLE, {}, steps=30, seed=4)


def test_simulation_time_course_shape():
    course = simulate(TOGGLE, {"a": 0, "b": 0, "c": 1}, steps=30, runs=25, seed=1)
    assert course.nodes == TOGGLE.names
    assert course.times == tuple(range(0, 31, 3))  # default interval: one sweep (3 nodes)
    assert set(course.activity) == set(TOGGLE.names)
    for name in TOGGLE.names:
        assert len(course.activity[name]) == len(course.times)
        assert all(0.0 <= x <= 1.0 for x in course.activity[name])
    assert (course.activity["a"][0], course.activity["b"][0], course.activity["c"][0]) == \
        (0.0, 0.0, 1.0)
    assert len(course.final_states) == 25
    # After 30 single-node updates from 00 the toggle sits in one of its fixed points
    # (each update of a or b from 00 moves to 10 or 01, which are stable).
    assert {s[:2] for s in course.final_states} <= {(1, 0), (0, 1)}
    assert len({s[:2] for s in course.final_states}) == 2
    sparse = simulate(TOGGLE, {}, steps=20, runs=2, interval=5, seed=1)
    assert sparse.times == (0, 5, 10, 15, 20)
    # nodes left out start at 0
    assert simulate(TOGGLE, {}, steps=0, runs=1).activity == {"a": (0.0,), "b": (0.0,),
                                                              "c": (0.0,)}


@pytest.mark.parametrize("seed", [1, 9, 205])
def test_trajectory_follows_the_update_functions(seed):
    oracle, model, _ = network(seed)
    start = {name: (k * 7 + seed) % 2 for k, name in enumerate(model.names)}
    path = trajectory(model, start, steps=60, seed=seed)
    assert len(path) == 61
    assert path[0] == tuple(start[name] for name in model.names)
    for before, after in zip(path, path[1:]):
        changed = [i for i in range(oracle.n) if before[i] != after[i]]
        assert len(changed) <= 1
        for i in changed:
            assert after[i] == oracle.image[before][i]


def test_simulation_rejects_unknown_nodes():
    with pytest.raises(InputError, match="nope"):
        simulate(TOGGLE, {"nope": 1}, steps=5, runs=1)


def test_simulation_rejects_values_other_than_0_or_1():
    with pytest.raises(InputError):
        simulate(TOGGLE, {"a": 2}, steps=5, runs=1)


def test_trajectory_rejects_unknown_nodes():
    with pytest.raises(InputError, match="nope"):
        trajectory(TOGGLE, {"nope": 1}, steps=5)


# ---------------------------------------------------------------------------------------
# clamping


def test_clamp_and_fixed_inputs():
    model = parse_bnet("u, u\na, u & !b\nb, !a\n")
    clamped = model.clamp({"u": 1, "b": 0})
    assert model.functions["u"] != clamped.functions["u"]  # a new model, the old one kept
    assert model.inputs == ("u",)
    found = find_attractors(clamped)
    assert [dict(a.values) for a in found] == [{"u": 1, "a": 1, "b": 0}]
    assert [dict(a.values) for a in find_attractors(model.fixed_inputs({"u": 0}))] == \
        [{"u": 0, "a": 0, "b": 1}]
    with pytest.raises(InputError, match="zz"):
        model.clamp({"zz": 1})
    with pytest.raises(InputError):
        model.clamp({"a": 2})
    with pytest.raises(InputError):
        model.clamp({"a": "1"})
    with pytest.raises(InputError, match="a"):
        model.fixed_inputs({"a": 1})  # not an input


# ---------------------------------------------------------------------------------------
# limits


FIVE_FREE = "".join(f"x{i}, !x{(i + 1) % 5} | x{(i + 2) % 5}\n" for i in range(5))
# An odd ring of inhibitions: 21 free nodes (over the default explicit limit), one
# cyclic attractor and one (the whole) minimal trap space.
ODD_RING = "".join(f"r{i}, !r{(i + 1) % 21}\n" for i in range(21))
# A ring of latches with exponentially many fixed points (2020 for 14 nodes, 5216 for 16).
LATCHES = "".join(f"y{i}, (y{(i + 1) % 24} & !y{(i + 5) % 24}) | y{i}\n" for i in range(24))


def test_synchronous_limit_names_the_limit_and_how_to_raise_it():
    model = parse_bnet(FIVE_FREE)
    with pytest.raises(LimitExceeded) as error:
        find_attractors(model, "synchronous", limits=Limits(synchronous_nodes=3))
    message = str(error.value)
    assert error.value.limit == 3
    assert "limit" in message and "3" in message
    assert "synchronous" in message and "raise" in message
    assert "--max-synchronous-nodes" in message or "synchronous_nodes" in message
    assert find_attractors(model, "synchronous", limits=Limits(synchronous_nodes=5))
    with pytest.raises(LimitExceeded):
        find_attractors(model, "synchronous", initial=[{"x0": 1}],
                        limits=Limits(synchronous_nodes=3))


def test_explicit_node_limit_switches_to_the_symbolic_path():
    """Limits.explicit_nodes bounds explicit enumeration; beyond it the asynchronous search
    is symbolic, not an error, and gives the same attractors."""
    model = parse_bnet(FIVE_FREE)
    oracle = Oracle.from_model(model)
    want = oracle_summary(oracle)
    for limits in (Limits(explicit_nodes=1), Limits(explicit_nodes=5)):
        found = find_attractors(model, "asynchronous", limits=limits)
        assert summary(found) == want


def test_fallback_when_there_are_too_many_candidates():
    """With Limits.candidates = 1 the motif-avoidance check falls back to backward
    reachability; the result must not change."""
    for seed in (205, 0, 2, 29):
        oracle, model, _ = network(seed)
        want = oracle_summary(oracle)
        found = find_attractors(model, limits=Limits(explicit_nodes=0, candidates=1))
        assert summary(found) == want


def test_time_limit():
    tiny = Limits(seconds=1e-9)
    with pytest.raises(LimitExceeded) as error:
        find_attractors(parse_bnet(ODD_RING), "asynchronous", limits=tiny)
    assert "--max-seconds" in str(error.value) or "seconds" in str(error.value)
    _, small, _ = network(205)
    with pytest.raises(LimitExceeded):
        find_attractors(small, "asynchronous", limits=Limits(seconds=1e-9, explicit_nodes=0))
    with pytest.raises(LimitExceeded):
        find_attractors(small, "synchronous", initial=[{}], limits=tiny)


def test_a_spent_budget_ends_before_its_tick_raises():
    """The tick that finds a budget spent may land anywhere, even in the ``with`` block's own
    exit, so it must raise only inside the block and leave nothing behind it: no timer
    still armed, the caller's handler back. (A timer left armed once raised its limit later
    inside pytest's reporting and killed a CI run.) A memory bound every process exceeds
    spends the budget at once; the tick is called by hand, long before the timer's first
    one (0.1 s)."""
    import sys

    caller = signal.getsignal(signal.SIGALRM)
    with pytest.raises(OutOfMemory):
        with time_budget(None, memory_mb=1e-3):
            tick = signal.getsignal(signal.SIGALRM)
            assert callable(tick) and tick is not caller
            tick(signal.SIGALRM, sys._getframe())
    assert (signal.getitimer(signal.ITIMER_REAL), signal.getsignal(signal.SIGALRM)) == \
        ((0.0, 0.0), caller)
    tick(signal.SIGALRM, sys._getframe())  # a late tick of an ended budget raises nothing
    exiting = time_budget(None, memory_mb=1e-3)
    exiting.__enter__()
    exiting.__exit__(None, None, None)  # the budget's own exit: a tick there is silent
    assert signal.getsignal(signal.SIGALRM) is caller


@pytest.mark.slow
def test_time_limit_holds_while_trap_spaces_are_enumerated(tmp_path):
    """Limits.seconds bounds the whole search. On LATCHES the minimal trap spaces (fixed
    points) number in the hundreds of thousands; with a 1 s budget the search must stop
    with LimitExceeded long before its unbounded enumeration would end (minutes). Run in a
    subprocess, killed after 30 s (30 times the budget), so a runaway search cannot hang
    the suite."""
    import subprocess

    model = tmp_path / "latches.bnet"
    model.write_text(LATCHES)
    code = ("import sys\n"
            "from mtorlogic import find_attractors, load_model\n"
            "from mtorlogic.dynamics.results import Limits\n"
            "from mtorlogic.errors import LimitExceeded\n"
            "try:\n"
            f"    find_attractors(load_model({str(model)!r}), limits=Limits(seconds=1))\n"
            "except LimitExceeded:\n"
            "    sys.exit(3)\n")
    try:
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("find_attractors(..., Limits(seconds=1)) was still running after 30 s")
    assert result.returncode == 3, result.stderr.decode()


# A three-node negative ring (an oscillator) beside three independent bistable switches:
# eight minimal trap spaces that all share the ring as their core.
RING_AND_SWITCHES = """targets, factors
a, !c
b, a
c, b
s1, s1
s2, s2
s3, s3
t1, s1 & s2
"""


@pytest.mark.parametrize("limits", [Limits(), Limits(explicit_nodes=0), Limits(explicit_nodes=3)],
                         ids=["explicit", "symbolic", "mixed"])
def test_trap_spaces_sharing_a_core_get_its_attractors_each(limits):
    """Minimal trap spaces with the same core are searched once; each still gets its own
    attractor, with its own fixed values and the core's size and activities."""
    model = parse_bnet(RING_AND_SWITCHES)
    oracle = Oracle.from_model(model)
    want = oracle_summary(oracle)
    found = find_attractors(model, "asynchronous", limits=limits)
    assert len(found) == 8
    assert summary(found) == want
    ring = {tuple(round(a.activities[n], 9) for n in "abc") for a in found}
    assert len(ring) == 1 and all(0 < share < 1 for share in ring.pop())


@pytest.mark.parametrize("limits", [Limits(explicit_nodes=3),
                                    Limits(explicit_nodes=0, exact_activity_states=0)],
                         ids=["exact", "estimated"])
def test_trap_spaces_sharing_a_core_report_the_activities_of_their_own(limits):
    """Activities computed once per core and reused for the other trap spaces equal those
    of each trap space solved on its own (switches clamped: one trap space, no sharing)."""
    model = parse_bnet(RING_AND_SWITCHES)
    for attractor in find_attractors(model, "asynchronous", limits=limits):
        switches = {name: attractor.values[name] for name in ("s1", "s2", "s3")}
        alone, = find_attractors(model.clamp(switches), "asynchronous", limits=limits)
        assert attractor.activities == alone.activities
        assert attractor.activities["t1"] == float(switches["s1"] and switches["s2"])


def test_symbolic_graph_keeps_model_order():
    """aeon orders BNET variables by name (v1 < v10 < v2); the symbolic graph must keep
    the model's order, which reachability depends on."""
    from mtorlogic.dynamics.symbolic import SubspaceGraph

    text = "targets, factors\n" + "\n".join(f"n{i}, !n{(i + 1) % 12}" for i in range(12))
    system = LogicalSystem.from_model(parse_bnet(text))
    graph = SubspaceGraph.build(system, {3: 0})
    names = [graph.graph.get_network_variable_name(v) for v in graph.graph.network_variables()]
    assert names == [f"v{i}" for i in range(12) if i != 3]


@pytest.mark.parametrize("seed", range(20))
def test_strongly_connected_components_agree_with_networkx(seed):
    from mtorlogic.dynamics.scc import strongly_connected_components

    rng = random.Random(seed)
    size = rng.randint(1, 60)
    graph = nx.gnp_random_graph(size, rng.choice([0.02, 0.05, 0.1]), seed=seed, directed=True)
    successors = {node: list(graph.successors(node)) for node in graph}
    found = strongly_connected_components(successors)
    expected = nx.strongly_connected_components(graph)
    assert sorted(map(sorted, found)) == sorted(map(sorted, expected))
    # reverse topological order: no edge from an earlier component into a later one
    position = {node: k for k, component in enumerate(found) for node in component}
    assert all(position[u] >= position[v] for u, v in graph.edges)


@pytest.mark.parametrize("seed", (205, 3, 17, 40))
def test_explicit_search_agrees_on_every_way_of_listing_attractors(seed):
    """Small subspaces use plain Python; larger ones aeon's symbolic search, whose
    attractors are then listed, or SciPy's components over every state: the attractors,
    their states and their exact activities are the same, and brute force agrees."""
    oracle, model, _ = network(seed)
    python = find_attractors(model, options=SearchOptions(python_scc_states=1 << 30))
    symbolic = find_attractors(model, options=SearchOptions(python_scc_states=0))
    scipy = find_attractors(model, options=SearchOptions(python_scc_states=0,
                                                         list_symbolic=False))
    assert summary(python) == oracle_summary(oracle)
    for other in (symbolic, scipy):
        assert [(a.values, a.size, a.states) for a in other] == \
            [(a.values, a.size, a.states) for a in python]
        for mine, theirs in zip(other, python):
            assert mine.activity_exact and theirs.activity_exact
            assert all(abs(mine.activities[n] - theirs.activities[n]) < 1e-9
                       for n in theirs.activities)


def test_small_attractor_activities_in_plain_python_match_numpy():
    """The plain-Python stationary distribution of small attractors (no NumPy import)
    agrees with NumPy's solve on the cyclic attractors of random networks."""
    import numpy as np

    from mtorlogic.dynamics.explicit import (
        PYTHON_CHAIN_STATES,
        async_attractor_codes,
        node_shares,
        stationary_distribution,
    )

    checked = 0
    for seed in range(30):
        _, _, system = network(seed)
        free = system.free({})
        for codes in async_attractor_codes(system, {}, free):
            if not 2 <= len(codes) <= PYTHON_CHAIN_STATES:
                continue
            shares, exact = node_shares(system, {}, free, list(codes))
            array = np.asarray(codes, dtype=np.int64)
            distribution, _ = stationary_distribution(system, {}, free, array)
            expected = [float(distribution[((array >> j) & 1).astype(bool)].sum())
                        for j in range(len(free))]
            assert exact and shares == pytest.approx(expected, abs=1e-9)
            checked += 1
    assert checked >= 5


def test_progress_describes_the_stages_of_a_search():
    messages: list[str] = []
    find_attractors(parse_bnet(RING_AND_SWITCHES), limits=Limits(explicit_nodes=0),
                    progress=messages.append)
    assert messages[0].startswith("7 free nodes after percolation")
    assert any("8 minimal trap spaces" in m for m in messages)
    assert messages[-1] == "looking for attractors outside the minimal trap spaces"


@pytest.mark.parametrize("seed", (205, 0, 2, 29))
def test_refinement_when_the_symbolic_basin_is_out_of_time(seed):
    """With too many candidates the symbolic basin gets a share of the time budget; with
    no share at all the search refines along the succession diagram: same attractors."""
    oracle, model, _ = network(seed)
    want = oracle_summary(oracle)
    messages: list[str] = []
    found = find_attractors(model, limits=Limits(explicit_nodes=0, candidates=1),
                            progress=messages.append, options=SearchOptions(basin_share=0.0))
    assert summary(found) == want
    if seed == 205:  # its candidates overflow the limit of one
        assert any("succession diagram" in m for m in messages)


@pytest.mark.slow
@pytest.mark.parametrize("seed, tail", [
    (23, "tail_a, x0 & !x1\ntail_b, tail_a | x2\ntail_c, !tail_b\n"),
    (205, "tail_a, x1 | x2\ntail_b, tail_a & !x0\n"),
])
def test_basin_on_the_nodes_upstream_of_cycles(seed, tail):
    """An acyclic tail added below a random network: the symbolic check leaves it out and
    proves there is no motif-avoidant attractor (seed 23), or falls back to the whole
    network when the part upstream of cycles has one (seed 205). Either way the attractors
    equal brute force."""
    model = parse_bnet(random_network(seed).text + "\n" + tail)
    oracle = Oracle.from_model(model)
    want = oracle_summary(oracle)
    messages: list[str] = []
    found = find_attractors(model, limits=Limits(explicit_nodes=0, candidates=1),
                            progress=messages.append)
    assert summary(found) == want
    assert any("upstream of cycles" in m for m in messages)
    assert any("free nodes reach" in m for m in messages) == (seed == 205)


def _graph_states(graph, vertex_set, n: int) -> set:
    return {tuple(state[i] for i in range(n)) for state in graph.states(vertex_set)}


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_symbolic_reachability_equals_brute_force(seed):
    """Saturation (which skips variables no neighbour has moved) finds exactly the states
    reachable from, and able to reach, a few random states, in random subspaces; the pivot
    search from each finds an attractor it reaches."""
    from mtorlogic.dynamics.symbolic import SubspaceGraph

    oracle, _, system = network(seed)
    rng = random.Random(seed)
    for space in random_subspaces(oracle, seed, count=3):
        space = {i: v for i, v in space.items() if rng.random() < 0.5}
        graph = SubspaceGraph.build(system, space)
        inside = oracle.states_of(space)
        starts = rng.sample(inside, min(3, len(inside)))
        initial = graph.union([dict(enumerate(state)) for state in starts])
        within = oracle.async_graph.subgraph(inside)
        forward = set(starts).union(*(nx.descendants(within, s) for s in starts))
        backward = set(starts).union(*(nx.ancestors(within, s) for s in starts))
        assert _graph_states(graph, graph.forward(initial), oracle.n) == forward
        assert _graph_states(graph, graph.backward(initial), oracle.n) == backward
        # stopping early: once every state of `until` is found (then at least those, and
        # only states that can reach the starts), else the whole backward set
        until = graph.union([dict(enumerate(s)) for s in rng.sample(inside, 2)]
                            if len(inside) > 1 else [])
        wanted = _graph_states(graph, until, oracle.n)
        partial = _graph_states(graph, graph.backward(initial, until=until), oracle.n)
        assert partial <= backward
        assert wanted <= partial if wanted <= backward else partial == backward
        # the pivot search: an attractor (terminal SCC) of the subspace reachable from each start
        terminal = [set(component) for component in Oracle.terminal_sccs(within)]
        for start in starts:
            got = _graph_states(graph, graph.attractor_from(dict(enumerate(start))), oracle.n)
            assert got in terminal
            assert got <= {start} | nx.descendants(within, start)


@pytest.mark.parametrize("seed", SEEDS)
def test_attractor_candidates_equal_brute_force(seed):
    """The candidates found as fixed points of the relaxed network (aeon) are the states in
    which every node outside a negative feedback vertex set is stable and every feedback
    node is stable or at its (random) retained value; every attractor holds one."""
    from mtorlogic.dynamics.symbolic import SubspaceGraph

    oracle, _, system = network(seed)
    rng = random.Random(seed)
    space = percolate(system, {})
    feedback = negative_feedback_vertex_set(system, space)
    retained = {node: rng.randint(0, 1) for node in feedback}
    want = {state for state in oracle.states_of(space)
            if all(oracle.image[state][i] == state[i] or retained.get(i) == state[i]
                   for i in range(oracle.n))}
    graph = SubspaceGraph.build(system, space)
    assert _graph_states(graph, graph.candidates(feedback, retained), oracle.n) == want
    assert all(attractor & want for attractor in oracle.attractors("asynchronous"))


# Its only minimal trap space is the whole space, and it holds two cyclic attractors
# (found by a search over random 3-node networks; none of 24,000 random_network()s has one).
TWO_ATTRACTORS_IN_ONE_TRAP_SPACE = """targets, factors
x0, (!x0 & !x1 & !x2) | (!x0 & x1 & x2) | (x0 & !x1 & x2)
x1, (!x0 & !x1) | (!x1 & x2) | (!x0 & x2) | (x0 & x1 & !x2)
x2, (x1 & x2) | (x0 & x2) | (x0 & x1)
"""


@pytest.mark.slow
@pytest.mark.parametrize("bound", (0, 100), ids=["clingo", "symbolic"])
def test_both_candidate_sources_inside_minimal_trap_spaces(bound):
    """Minimal trap spaces get their candidates from clingo above a size bound and from
    aeon below it: the attractors equal brute force either way, also when one minimal
    trap space holds two attractors."""
    options = SearchOptions(symbolic_candidate_nodes=bound)
    two = parse_bnet(TWO_ATTRACTORS_IN_ONE_TRAP_SPACE)
    models = [(Oracle.from_model(two), two)] + [network(seed)[:2] for seed in SEEDS]
    for oracle, model in models:
        found = find_attractors(model, limits=Limits(explicit_nodes=0), options=options)
        assert summary(found) == oracle_summary(oracle), model
    assert len(oracle_summary(models[0][0])) == 2


# ---------------------------------------------------------------------------------------
# evaluating update functions (LogicalSystem.evaluate and the one-state form)


@pytest.mark.parametrize("seed", SEEDS)
def test_evaluate_equals_brute_force_on_every_state(seed):
    import numpy as np

    oracle, model, system = network(seed)
    states = np.array(oracle.states, dtype=bool)
    expected = np.array([oracle.image[s] for s in oracle.states], dtype=bool)
    assert (system.evaluate(states) == expected).all()
    for state in oracle.states:
        assert tuple(int(f(state)) for f in system.scalar_functions) == oracle.image[state]


def test_evaluate_wide_functions_against_brute_force():
    """Functions beyond the lookup-table bounds (11 and 20 regulators) walk their BDD."""
    import numpy as np

    from brute_force import evaluate_expression

    names = [f"x{i}" for i in range(20)]
    rules = ["targets, factors"] + [f"{name}, {name}" for name in names]
    rules.append("pairs, " + " | ".join(f"(x{i} & !x{i + 1})" for i in range(0, 20, 2)))
    rules.append("mixed, " + " | ".join(f"(x{i} & x{(i * 7 + 3) % 11})" for i in range(11)))
    model = parse_bnet("\n".join(rules) + "\n")
    system = LogicalSystem.from_model(model)
    assert [len(f.regulators) for f in system.compiled[-2:]] == [20, 11]
    rng = np.random.default_rng(3)
    states = rng.integers(0, 2, size=(500, len(model))).astype(bool)
    result = system.evaluate(states)
    for row, state in zip(result, states):
        env = dict(zip(model.names, map(int, state)))
        expected = [evaluate_expression(node.function, env) for node in model.nodes]
        assert list(map(int, row)) == expected
        assert [int(f(list(map(int, state)))) for f in system.scalar_functions] == expected


def test_evaluate_checks_the_shape():
    import numpy as np

    _, system = system_of("targets, factors\na, b\nb, a\n")
    with pytest.raises(ValueError, match="shape"):
        system.evaluate(np.zeros((4, 3), dtype=bool))
    assert system.evaluate(np.zeros((0, 2), dtype=bool)).shape == (0, 2)


def deep_model(depth: int):
    """A model whose rule for ``out`` nests ``depth`` operators (alternating not, and, or),
    built without the text parser, with the value of ``out`` computed iteratively."""
    from mtorlogic.expressions import ALGEBRA, symbol
    from mtorlogic.model import Model, Node, input_node

    expression = symbol("a")
    steps = []
    for level in range(depth):
        kind = level % 3
        if kind == 0:
            expression = ALGEBRA.NOT(expression)
        elif kind == 1:
            expression = ALGEBRA.AND(expression, symbol("b"))
        else:
            expression = ALGEBRA.OR(expression, symbol("c"))
        steps.append(kind)

    def value(a: int, b: int, c: int) -> int:
        v = a
        for kind in steps:
            v = (1 - v) if kind == 0 else (v & b) if kind == 1 else (v | c)
        return v

    nodes = (input_node("a"), input_node("b"), input_node("c"), Node("out", expression))
    return Model(nodes, name="deep"), value


@pytest.mark.slow
def test_a_rule_nested_ten_thousand_levels_is_analysed():
    """No recursion on the expression anywhere after reading: the BDD is built with an
    explicit stack and evaluated from its flat form (readers bound the depth they accept;
    the engine must not add a bound of its own)."""
    import numpy as np

    from mtorlogic.dynamics.simulation import simulate
    from mtorlogic.readouts import run_scenario
    from mtorlogic.scenarios import Scenario

    model, value = deep_model(10_000)
    system = LogicalSystem.from_model(model)
    states = np.array([[a, b, c, 0] for a in (0, 1) for b in (0, 1) for c in (0, 1)], dtype=bool)
    assert system.evaluate(states)[:, 3].tolist() == [bool(value(*map(int, s[:3]))) for s in states]
    start = {"a": 1, "b": 1, "c": 0, "out": 1 - value(1, 1, 0)}
    for semantics in ("asynchronous", "synchronous"):
        (attractor,) = find_attractors(model, semantics, initial=[start])
        assert dict(attractor.values) == {**start, "out": value(1, 1, 0)}
    course = simulate(model, start, steps=40, runs=2)
    assert course.activity["out"][-1] == value(1, 1, 0)
    # a two-phase scenario: the second phase starts where the first one's attractor is
    first = Scenario(Path("first.toml"), "first", "deep", model, inputs={"a": 1, "b": 1})
    second = Scenario(Path("second.toml"), "second", "deep", model, initial=first,
                      inputs={"b": 1, "c": 1})
    result = run_scenario(second)
    assert [dict(a.values) for a in result.attractors] == [
        {"a": 0, "b": 1, "c": 1, "out": value(0, 1, 1)}]


@pytest.mark.parametrize("seed", range(30))
def test_core_and_tail_against_networkx(seed):
    """The core is every free node on a cycle or upstream of one (networkx's SCCs and
    ancestors); the tail lists the rest with regulators before targets."""
    from mtorlogic.dynamics.feedback import core_and_tail

    rng = random.Random(seed)
    n = rng.randint(1, 12)
    edges = {(rng.randrange(n), rng.randrange(n)) for _ in range(rng.randint(0, 2 * n))}
    free = set(rng.sample(range(n), rng.randint(1, n)))
    regulators = [{u for u, v in edges if v == node} for node in range(n)]
    targets = [{v for u, v in edges if u == node} for node in range(n)]
    core, tail = core_and_tail(free, regulators, targets)
    graph = nx.DiGraph()
    graph.add_nodes_from(free)
    graph.add_edges_from((u, v) for u, v in edges if u in free and v in free)
    on_cycles = {node for component in nx.strongly_connected_components(graph)
                 for node in component if len(component) > 1 or graph.has_edge(node, node)}
    expected = on_cycles | {a for node in on_cycles for a in nx.ancestors(graph, node)}
    assert core == expected
    assert sorted(tail) == sorted(free - expected)
    position = {node: k for k, node in enumerate(tail)}
    assert all(position[u] < position[v] for u, v in graph.edges if u in position and v in position)


def test_bounded_cache_starts_over_when_full():
    from mtorlogic.dynamics.cache import BoundedCache

    cache: BoundedCache[int, int] = BoundedCache(entries=3)
    for key in range(3):
        cache[key] = key * 10
    cache[1] = 11  # replacing an entry is no growth
    assert dict(cache) == {0: 0, 1: 11, 2: 20}
    cache[3] = 30
    assert dict(cache) == {3: 30}
    assert cache.get_or_compute(4, lambda: 40) == 40 and cache.get_or_compute(4, lambda: -1) == 40


@pytest.mark.parametrize("seed", range(10))
def test_scalar_functions_agree_with_brute_force(seed):
    """The one-state form of every update function (a lookup table built in plain Python
    for few regulators, a BDD walk otherwise) gives the brute-force oracle's value on
    every state of a random network."""
    oracle, model, system = network(seed)
    functions = system.scalar_functions
    column = [oracle.names.index(name) for name in model.names]
    for state, image in oracle.image.items():
        mine = [state[column[node]] for node in range(len(system))]
        assert [int(f(mine)) for f in functions] == [image[column[node]]
                                                     for node in range(len(system))]
