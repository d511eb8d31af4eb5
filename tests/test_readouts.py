"""Evaluating scenarios: statuses, activities, expectations, comparisons, initial phases and
memoization, on tiny models written here."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from mtorlogic.dynamics.results import Attractor
from mtorlogic.readouts import (
    ScenarioResult,
    check_scenario,
    evaluate,
    relation,
    run_scenario,
    starting_states,
    summarize,
)
from mtorlogic.scenarios import load_scenario

MODEL = """\
#: switch for X and Y
input A
#: sets the memory
input S
X = A          [test]
Y = !A         [test]
#: a negative loop: oscillates while A is present
O1 = !O2 & A
O2 = O1
#: a memory: P and Q keep each other on once S has set them
P = Q | S
Q = P
C = 1
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "tiny.rules").write_text(MODEL, encoding="utf-8")
    return tmp_path


def scenario(folder: Path, name: str, body: str):
    path = folder / f"{name}.toml"
    path.write_text(f'name = "{name}"\nmodel = "tiny.rules"\n' + dedent(body), encoding="utf-8")
    return load_scenario(path)


def failures(findings) -> dict[str, str]:
    return {f.node: f.message() for f in findings if not f.passed}


def test_statuses_and_activities(folder: Path) -> None:
    result = run_scenario(scenario(folder, "a", "[inputs]\nA = 1\n"))
    assert result.status["X"] == "on" and result.activity["X"] == 1.0
    assert result.status["Y"] == "off" and result.activity["Y"] == 0.0
    assert result.status["O1"] == result.status["O2"] == "oscillates"
    assert result.activity["O1"] == pytest.approx(0.5)  # the 4-cycle is symmetric
    # P = Q, Q = P without S: both fixed points 00 and 11 are attractors.
    assert result.status["P"] == "mixed"
    assert result.breakdown("P") == {"on": 1, "off": 1}
    assert result.activity["P"] == pytest.approx(0.5)
    assert len(result.attractors) == 2 and result.activity_exact


@pytest.mark.parametrize("node, expected, passes", [
    ("X", "on", True), ("Y", "on", False),
    ("Y", "off", True), ("X", "off", False),
    ("O1", "oscillates", True), ("X", "oscillates", False),
    ("P", "on", False), ("P", "off", False), ("P", "oscillates", False),
])
def test_expectations(folder: Path, node: str, expected: str, passes: bool) -> None:
    result, findings = evaluate(scenario(folder, "e", f'[inputs]\nA = 1\n[expect]\n'
                                                      f'{node} = "{expected}"\n'))
    [finding] = findings
    assert (finding.kind, finding.node, finding.expected) == ("expect", node, expected)
    assert finding.found == result.status[node]
    assert finding.passed is passes


def test_failure_messages_say_expected_and_found(folder: Path) -> None:
    _, findings = evaluate(scenario(folder, "m", '[inputs]\nA = 1\n[expect]\nY = "on"\n'
                                                 'P = "on"\n'))
    assert failures(findings) == {
        "Y": "Y: expected on, found off",
        "P": "P: expected on, found mixed (on in 1, off in 1 of 2 attractors)",
    }


def test_comparisons(folder: Path) -> None:
    scenario(folder, "reference", "[inputs]\nA = 0\n")
    _, findings = evaluate(scenario(folder, "c", """\
        [inputs]
        A = 1
        [compare]
        reference = "reference.toml"
        higher = ["X", "C"]
        lower = ["Y"]
        same = ["P", "O1"]
        """))
    # X: 1 vs 0, Y: 0 vs 1, C: 1 vs 1, P: 0.5 vs 0.5, O1: 0.5 vs 0
    assert [(f.node, f.expected, f.found, f.passed) for f in findings] == [
        ("X", "higher", "higher", True), ("C", "higher", "same", False),
        ("Y", "lower", "lower", True), ("P", "same", "same", True),
        ("O1", "same", "higher", False)]
    assert failures(findings)["O1"] == ("O1 activity: expected the same as in reference.toml, "
                                        "found higher (0.500 vs 0.000)")


def test_lower_and_same_can_fail(folder: Path) -> None:
    scenario(folder, "reference", "[inputs]\nA = 0\n")
    _, findings = evaluate(scenario(folder, "c", '[inputs]\nA = 1\n[compare]\nreference = '
                                                 '"reference.toml"\nlower = ["X"]\nsame = ["Y"]\n'))
    assert failures(findings) == {
        "X": "X activity: expected lower than in reference.toml, found higher (1.000 vs 0.000)",
        "Y": "Y activity: expected the same as in reference.toml, found lower (0.000 vs 1.000)",
    }


def test_relation_tolerance() -> None:
    assert relation(0.5 + 1e-12, 0.5) == "same"
    assert relation(0.5 + 1e-6, 0.5) == "higher"
    assert relation(0.5 - 1e-6, 0.5) == "lower"


def test_initial_phase_keeps_only_what_is_reachable(folder: Path) -> None:
    scenario(folder, "set", "[inputs]\nS = 1\n")
    # Without history, the memory P/Q can be either way; after "set", it stays on.
    assert run_scenario(scenario(folder, "plain", "")).status["P"] == "mixed"
    after = run_scenario(scenario(folder, "after", 'initial = "set.toml"\n'))
    assert after.status["P"] == after.status["Q"] == "on"
    assert len(after.attractors) == 1
    # This phase's clamps go on top of the states it starts from.
    cut = run_scenario(scenario(folder, "cut", 'initial = "set.toml"\n[mutations]\nQ = 0\n'))
    assert cut.status["P"] == "off"


def test_three_phases(folder: Path) -> None:
    scenario(folder, "set", "[inputs]\nS = 1\n")
    scenario(folder, "hold", 'initial = "set.toml"\n[inputs]\nA = 1\n')
    last = run_scenario(scenario(folder, "last", 'initial = "hold.toml"\n[inputs]\nA = 0\n'))
    assert last.status["P"] == "on" and last.status["O1"] == "off"


def test_reference_and_initial_are_computed_once(folder: Path, monkeypatch) -> None:
    import mtorlogic.dynamics.attractors as engine

    calls = []
    real = engine.find_attractors

    def counting(model, semantics="asynchronous", **options):
        calls.append(semantics)
        return real(model, semantics, **options)

    monkeypatch.setattr(engine, "find_attractors", counting)
    scenario(folder, "base", "[inputs]\nS = 1\n")
    one = scenario(folder, "one", 'initial = "base.toml"\n[compare]\nreference = '
                                  '"base.toml"\nsame = ["P"]\n')
    two = scenario(folder, "two", 'initial = "base.toml"\n[inputs]\nA = 1\n[compare]\n'
                                  'reference = "base.toml"\nhigher = ["X"]\n')
    cache: dict = {}
    for each in (one, two):
        _, findings = evaluate(each, cache)
        assert all(f.passed for f in findings)
    assert len(calls) == 3  # base, one, two
    evaluate(one, cache)
    assert len(calls) == 3


def test_synchronous_semantics(folder: Path) -> None:
    quiet = run_scenario(scenario(folder, "q", 'semantics = "synchronous"\n'))
    # Synchronously P = Q, Q = P also has the 2-cycle 01 <-> 10.
    assert quiet.breakdown("P") == {"on": 1, "off": 1, "oscillates": 1}
    assert quiet.status["O1"] == "off"
    moving = run_scenario(scenario(folder, "m", 'semantics = "synchronous"\n[inputs]\nA = 1\n'))
    assert moving.status["O1"] == "oscillates"
    assert moving.activity["O1"] == pytest.approx(0.5)


# -- the pure parts, on attractors written by hand --------------------------------------


def attractor(values: dict, activities: dict, states=None, exact=True) -> Attractor:
    size = 2 ** sum(v == "*" for v in values.values())
    return Attractor(values, size, states, activities, exact)


def test_summarize_averages_over_attractors(folder: Path) -> None:
    s = scenario(folder, "x", "")
    names = s.model.names
    steady = attractor(dict.fromkeys(names, 1), dict.fromkeys(names, 1.0))
    moving = attractor(dict.fromkeys(names, "*"), dict.fromkeys(names, 0.5), exact=False)
    result = summarize(s, (steady, moving))
    assert isinstance(result, ScenarioResult)
    assert set(result.status.values()) == {"mixed"}
    assert result.activity["X"] == pytest.approx(0.75)
    assert result.activity_exact is False
    with pytest.raises(ValueError):
        summarize(s, ())


def test_starting_states_use_states_or_subspace() -> None:
    names = ("A", "B", "C")
    listed = attractor({"A": "*", "B": 0, "C": 1}, {}, states=((0, 0, 1), (1, 0, 1)))
    large = attractor({"A": "*", "B": "*", "C": 0}, {}, states=None)
    starts = starting_states([listed, large], names, {"B": 1})
    assert starts == [{"A": 0, "B": 1, "C": 1}, {"A": 1, "B": 1, "C": 1}, {"C": 0, "B": 1}]
    # Clamping can make states coincide: duplicates are dropped.
    assert starting_states([listed], names, {"A": 1}) == [{"A": 1, "B": 0, "C": 1}]


def test_compare_needs_the_reference_result(folder: Path) -> None:
    scenario(folder, "r", "")
    s = scenario(folder, "c", '[compare]\nreference = "r.toml"\nsame = ["X"]\n')
    with pytest.raises(ValueError, match="reference"):
        check_scenario(run_scenario(s))
