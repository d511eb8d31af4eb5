"""Long-run target probabilities under the random asynchronous update: exact absorption
against hand-computed values and against seeded simulation."""
from __future__ import annotations

import pytest

from mtorlogic.dynamics.absorption import estimated_probability, target_probability, wilson
from mtorlogic.dynamics.evaluation import CompiledFunction
from mtorlogic.dynamics.system import LogicalSystem
from mtorlogic.expressions import parse
from mtorlogic.formats.bnet import parse_bnet


def system_of(text: str) -> LogicalSystem:
    return LogicalSystem.from_model(parse_bnet(text))


def predicate(system: LogicalSystem, expression: str):
    return CompiledFunction.from_bdd(system.algebra.bdd(parse(expression))).scalar()


@pytest.mark.slow
def test_a_fair_race_is_one_half() -> None:
    # A = !B, B = !A from 00: whichever node is picked first wins, each with 1/2
    system = system_of("targets, factors\nA, !B\nB, !A\n")
    found = target_probability(system, [{0: 0, 1: 0}], predicate(system, "A"))
    assert found.method == "exact" and found.value == pytest.approx(0.5)


@pytest.mark.slow
def test_a_biased_race() -> None:
    # A = !B, B = !A & C, C = 1, from 000 with n = 3: A wins at once with 1/3; C first
    # (1/3) makes a fair race; picking B first changes nothing. P(A) = (1/3 + 1/3 * 1/2) /
    # (2/3) = 3/4.
    system = system_of("targets, factors\nA, !B\nB, !A & C\nC, 1\n")
    found = target_probability(system, [{0: 0, 1: 0, 2: 0}], predicate(system, "A"))
    assert found.value == pytest.approx(0.75)


def test_oscillation_counts_its_stationary_share_and_free_starts_are_uniform() -> None:
    # X toggles for ever (X = !X: at 1 half of the time); M is a memory that starts free
    system = system_of("targets, factors\nX, !X\nM, M\n")
    found = target_probability(system, [{0: 0}], predicate(system, "X & M"))
    assert found.value == pytest.approx(0.25)


MODELS = [
    "targets, factors\nA, !B | C\nB, !A\nC, A & B\nD, C | !D & A\n",
    "targets, factors\nA, !C\nB, A\nC, B\nD, !A & D | B\nE, D & !E | C\n",
    "targets, factors\nA, !B\nB, !A\nC, A & !D\nD, B | C\nE, C & D | !A & E\n",
]


@pytest.mark.slow
@pytest.mark.parametrize("text", MODELS)
def test_exact_agrees_with_simulation(text: str) -> None:
    system = system_of(text)
    target = predicate(system, "C | A & !B")
    starts = [{0: 0, 1: 0}, {2: 1}]
    exact = target_probability(system, starts, target)
    assert exact.method == "exact"
    estimate = estimated_probability(system, starts, target, runs=4000, sweeps=60, seed=3)
    assert estimate.method == "estimated"
    assert estimate.low - 0.02 <= exact.value <= estimate.high + 0.02


def test_too_many_states_falls_back_to_a_seeded_estimate() -> None:
    system = system_of("targets, factors\nA, !B\nB, !A\n")
    start = [{0: 0, 1: 0}]
    found = target_probability(system, start, predicate(system, "A"), most_states=1, runs=400,
                               seed=5)
    again = target_probability(system, start, predicate(system, "A"), most_states=1, runs=400,
                               seed=5)
    assert found.method == "estimated" and found == again
    assert found.low < 0.5 < found.high


def test_estimate_reads_a_compiled_target_on_every_cell_at_once() -> None:
    # the fair race, estimated: the compiled target (one vectorised call over the cells)
    # and the same target state by state give the same count for the same seed
    system = system_of("targets, factors\nA, !B\nB, !A\nC, C\n")
    compiled = CompiledFunction.from_bdd(system.algebra.bdd(parse("A & !C | B & C")))
    together = estimated_probability(system, [{0: 0, 1: 0}], compiled, runs=2000, sweeps=20,
                                     seed=11)
    one_by_one = estimated_probability(system, [{0: 0, 1: 0}], compiled.scalar(), runs=2000,
                                       sweeps=20, seed=11)
    assert together == one_by_one and together.runs == 2000 and together.steps == 60
    assert abs(together.value - 0.5) < 0.05  # C free, each race fair: 1/2 (sd 0.011)
    # another seed, another sample, the same law
    assert estimated_probability(system, [{0: 0, 1: 0}], compiled, runs=2000, sweeps=20,
                                 seed=12).value != together.value


def test_a_large_cyclic_attractor_has_its_exact_stationary_share() -> None:
    # nine free toggles: one attractor of 512 states, uniform in the long run (solved
    # sparsely: attractors of 10^5 states must not be held as dense matrices)
    system = system_of("targets, factors\n" + "".join(f"X{i}, !X{i}\n" for i in range(9)))
    found = target_probability(system, [{}], predicate(system, "X0 & X1 | X2 & !X2"))
    assert found.method == "exact" and found.states == 512
    assert found.value == pytest.approx(0.25)


def test_wilson_interval() -> None:
    low, high = wilson(50, 100)
    assert low == pytest.approx(0.4038, abs=1e-3) and high == pytest.approx(0.5962, abs=1e-3)
    assert wilson(0, 10)[0] == 0.0 and wilson(10, 10)[1] == 1.0


def test_screen_ranks_sometimes_verdicts_by_probability(tmp_path, monkeypatch) -> None:
    import json

    from click.testing import CliRunner

    from mtorlogic.cli import main

    # from A = B = 0 the race is fair; with C = 1 (B needs C) A wins 3/4 of the time
    (tmp_path / "race.bnet").write_text("targets, factors\nA, !B\nB, !A & C\nC, C | D\nD, D\n",
                                        encoding="utf-8")
    (tmp_path / "s.toml").write_text('name = "race"\nmodel = "race.bnet"\n[start]\n'
                                     'default = 0\nC = 1\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["screen", "s.toml", "-t", "A", "--nodes", "C=0,B=1",
                                       "-k", "1", "-q", "--json", "--probabilities"])
    assert result.exit_code == 0, result.output
    rows = {tuple(r["perturbation"].items()): r for r in json.loads(result.stdout)["results"]}
    assert rows[()]["verdict"] == "sometimes"
    assert rows[()]["probability"]["method"] == "exact"
    # n = 4 nodes: A first (1/4) wins; B first (1/4) loses; C, D change nothing
    assert rows[()]["probability"]["value"] == pytest.approx(0.5)
    assert rows[(("C", 0),)]["verdict"] == "always" and "probability" not in rows[(("C", 0),)]
    text = CliRunner().invoke(main, ["screen", "s.toml", "-t", "A", "--nodes", "C=0,B=1",
                                     "-k", "1", "-q", "--probabilities"])
    assert "Sometimes verdicts ranked by the probability of the target: 1" in text.output
    assert "0.500" in text.output
    table = CliRunner().invoke(main, ["screen", "s.toml", "-t", "A", "--nodes", "C=0,B=1",
                                      "-k", "1", "-q", "--csv", "--probabilities"])
    header, *lines = table.stdout.splitlines()
    assert header.endswith(",probability,method") and lines[0].endswith(",0.5,exact")
