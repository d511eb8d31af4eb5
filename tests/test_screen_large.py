"""Screens judge targets symbolically whatever an attractor's size, and a perturbation that
hits a limit is recorded (with its error) while the screen goes on (issue 17)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtorlogic.analysis.screen import build_spec
from mtorlogic.analysis.verdicts import BaseEngine
from mtorlogic.cli import main
from mtorlogic.scenarios import load_scenario

TOGGLES = 40
# A, B, C: a negative 3-cycle whose asynchronous attractor is 6 of its 8 states (010 and
# 101 are transient); X1..X40 flip for ever while K is off: with S on, one attractor of
# 6 * 2**40 states, far past anything that could be listed.
MODEL = "targets, factors\nS, S\nK, K\nA, !C & S\nB, A\nC, B\n" + "".join(
    f"X{i}, !X{i} & !K\n" for i in range(1, TOGGLES + 1))


@pytest.fixture
def folder(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / "big.bnet").write_text(MODEL, encoding="utf-8")
    (tmp_path / "base.toml").write_text(
        'name = "Base"\nmodel = "big.bnet"\n[inputs]\nS = 1\nK = 0\n', encoding="utf-8")
    (tmp_path / "later.toml").write_text(
        'name = "Later"\nmodel = "big.bnet"\ninitial = "base.toml"\n[inputs]\nS = 1\nK = 0\n',
        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.slow
@pytest.mark.parametrize("target, expected", [
    ("!A & B & !C", "never"),        # state 010: in the subspace, not in the attractor
    ("A & !B & C", "never"),         # state 101: likewise
    ("A & B & X1", "sometimes"),
    ("A | B | C", "sometimes"),      # false only in 000, which the attractor holds
    ("(A | B | C) & !(A & B & C & X7) | A", "sometimes"),
])
def test_huge_attractor_from_initial_phase_is_judged_symbolically(
        folder: Path, target: str, expected: str) -> None:
    spec = build_spec([load_scenario("later.toml")], target)
    engine = BaseEngine(spec.bases[0], spec.target)
    assert engine.spec.starts is not None  # the path that used to list states
    assert engine.verdict((), "asynchronous") == expected
    # clamping C off: A is on, B follows, 010-type states vanish
    assert engine.verdict((("C", 0),), "asynchronous") == (
        "always" if target in ("A | B | C", "(A | B | C) & !(A & B & C & X7) | A") else
        "sometimes" if target == "A & B & X1" else "never")


def test_most_permissive_from_initial_phase_uses_the_trap_space(folder: Path) -> None:
    spec = build_spec([load_scenario("later.toml")], "A & !B & C", semantics="most-permissive")
    engine = BaseEngine(spec.bases[0], spec.target)
    # the whole subspace is the most-permissive attractor: 101 is in it
    assert engine.verdict((), "most-permissive") == "sometimes"


def run(*arguments: str):
    result = CliRunner().invoke(main, ["screen", *arguments])
    assert "Traceback" not in result.output
    return result


def test_a_perturbation_over_a_limit_is_recorded_and_the_screen_goes_on(folder: Path) -> None:
    # synchronous search enumerates its core: 43 free nodes are over the limit; K=1 stops
    # the toggles
    arguments = ["base.toml", "-t", "X1", "--semantics", "synchronous",
                 "--nodes", "K=1,C=0", "-q"]
    result = run(*arguments, "--json")
    assert result.exit_code == 0, result.output
    found = {tuple(sorted(r["perturbation"].items())): r
             for r in json.loads(result.stdout)["results"]}
    judged = found[(("C", 0), ("K", 1))]
    assert judged["verdict"] == "never" and "error" not in judged
    assert found[(("K", 1),)]["verdict"] == "never"
    failed = found[(("C", 0),)]
    assert failed["verdict"] == "error"
    assert "limit reached" in failed["error"] and "synchronous" in failed["error"]
    assert found[()]["verdict"] == "error"

    text = run(*arguments)
    assert text.exit_code == 0, text.output
    assert "Not judged (a limit was hit" in text.output
    assert "error 2" in text.output  # the base alone and C=0
    assert all(len(line) <= 100 for line in text.output.splitlines() if "limit" in line)

    table = run(*arguments, "--csv")
    header, *rows = table.stdout.splitlines()
    assert header.endswith(",error")
    assert any(row.startswith("K=1;C=0,") and row.endswith(",") for row in rows)
    assert any(row.startswith("C=0,") and "limit reached" in row for row in rows)


def test_resume_keeps_recorded_failures(folder: Path) -> None:
    arguments = ["base.toml", "-t", "X1", "--semantics", "synchronous",
                 "--nodes", "K=1,C=0", "-q", "--json", "-o", "out.jsonl"]
    first = run(*arguments)
    assert first.exit_code == 0, first.output
    lines = (folder / "out.jsonl").read_text().splitlines()
    assert sum('"error"' in line for line in lines[1:]) == 2
    again = run(*arguments, "--resume")
    assert again.exit_code == 0, again.output
    assert (folder / "out.jsonl").read_text().splitlines() == lines  # nothing retried
    assert json.loads(again.stdout)["counts"]["error"] == 2


def test_a_failure_is_a_typed_value_not_a_verdict_string() -> None:
    from mtorlogic.analysis.spec import combine
    from mtorlogic.outcomes import Failure, Verdict, outcome_from_json, outcome_to_json

    failure = Failure("limit reached: 2**20 states")
    assert str(failure) == "error" and failure.message.startswith("limit reached")
    assert all(failure != verdict for verdict in (*Verdict, "error", "error: limit"))
    # one failed part leaves the whole unjudged, and the message travels with it
    assert combine([Verdict.ALWAYS, failure, Failure("other")]) is failure
    assert combine([failure]) is failure
    assert combine([Verdict.ALWAYS, Verdict.NEVER]) is Verdict.SOMETIMES
    # results files: the new spelling is an object, the old "error: ..." string still reads
    assert outcome_to_json(failure) == {"error": failure.message}
    assert outcome_from_json({"error": "x"}) == Failure("x")
    assert outcome_from_json("error: old limit") == Failure("old limit")
    assert outcome_from_json("sometimes") is Verdict.SOMETIMES
    for bad in ("err", {"error": 1}, {"error": "x", "also": 1}, 3):
        with pytest.raises(ValueError):
            outcome_from_json(bad)


def test_resume_reads_failures_written_in_the_old_spelling(folder: Path) -> None:
    arguments = ["base.toml", "-t", "X1", "--semantics", "synchronous",
                 "--nodes", "K=1,C=0", "-q", "--json", "-o", "out.jsonl"]
    first = run(*arguments)
    assert first.exit_code == 0, first.output
    header, *rows = (folder / "out.jsonl").read_text().splitlines()
    failed = [json.loads(row) for row in rows if '"error"' in row]
    assert len(failed) == 2
    for row in failed:  # the typed failure is stored as an object with its message
        [[stored]] = row["verdicts"]
        assert row["verdict"] == "error" and "limit reached" in stored["error"]
    # rewrite them as files before the typed failure spelled them
    old = [json.dumps({**row, "verdicts": [["error: " + row["verdicts"][0][0]["error"]]]},
                      separators=(",", ":")) if '"error"' in row else row
           for row in map(json.loads, rows)]
    (folder / "out.jsonl").write_text("\n".join([header, *(
        line if isinstance(line, str) else json.dumps(line, separators=(",", ":"))
        for line in old)]) + "\n")
    again = run(*arguments, "--resume")
    assert again.exit_code == 0, again.output
    data = json.loads(again.stdout)
    assert data["counts"]["error"] == 2
    errors = [r for r in data["results"] if r["verdict"] == "error"]
    assert all("limit reached" in r["error"] for r in errors)
    assert all(v == "error" for r in errors for v in r["verdicts"]["base.toml"].values())
