"""Several targets in one screen (``-t`` repeated): one report, the same verdicts as one
screen per target."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtorlogic.cli import main

TINY = "targets, factors\nS, S\nA, S\nB, S\nC, A | B\nO1, !O2 & S\nO2, O1\n"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / "tiny.bnet").write_text(TINY, encoding="utf-8")
    (tmp_path / "base.toml").write_text('name = "b"\nmodel = "tiny.bnet"\n[inputs]\nS = 1\n',
                                        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*arguments: str):
    result = CliRunner().invoke(main, ["screen", "base.toml", "--nodes", "A,B,O2", "-q",
                                       *arguments])
    assert "Traceback" not in result.output
    return result


def test_several_targets_match_single_screens(folder: Path) -> None:
    both = run("-t", "!C", "-t", "O1", "--json")
    assert both.exit_code == 0, both.output
    data = json.loads(both.stdout)
    assert data["targets"] == ["!C", "O1"]
    for target, screen in zip(data["targets"], data["screens"]):
        alone = json.loads(run("-t", target, "--json").stdout)
        assert screen == alone
    verdicts = {tuple(sorted(r["perturbation"].items())): r["verdict"]
                for r in data["screens"][0]["results"]}
    assert verdicts[(("A", 0), ("B", 0))] == "always" and verdicts[()] == "never"


def test_several_targets_text_and_csv(folder: Path) -> None:
    text = run("-t", "!C", "-t", "O1")
    assert text.exit_code == 0
    assert "Target: !C" in text.output and "Target: O1" in text.output
    table = run("-t", "!C", "-t", "O1", "--csv")
    header, *rows = table.stdout.splitlines()
    assert header == "target,perturbation,size,verdict,minimal,synergistic"
    assert len(rows) == 2 * (len(run("-t", "O1", "--csv").stdout.splitlines()) - 1)
    assert rows[0].startswith("!C,") and rows[-1].startswith("O1,")


def test_several_targets_keep_one_results_file_each(folder: Path) -> None:
    result = run("-t", "!C", "-t", "O1", "-o", "out.jsonl")
    assert result.exit_code == 0, result.output
    assert (folder / "out-t1.jsonl").is_file() and (folder / "out-t2.jsonl").is_file()
    again = run("-t", "!C", "-t", "O1", "-o", "out.jsonl", "--resume")
    assert again.exit_code == 0 and again.output == result.output


def test_a_bad_second_target_fails_before_any_work(folder: Path) -> None:
    result = run("-t", "!C", "-t", "O1 &", "-o", "out.jsonl")
    assert result.exit_code == 2
    assert "--target: expression ends too early" in result.output
    assert not list(folder.glob("out*"))


def test_plot_with_several_targets_and_probabilities_with_several_bases_exit_2(
        folder: Path) -> None:
    plot = run("-t", "!C", "-t", "O1", "--plot", "x.svg")
    assert plot.exit_code == 2 and "--plot draws one target" in plot.output
    (folder / "other.toml").write_text('name = "o"\nmodel = "tiny.bnet"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["screen", "base.toml", "other.toml", "-t", "O1",
                                       "--nodes", "A", "-q", "--probabilities"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "--probabilities needs one base scenario" in result.output
