"""``mtorlogic scenarios`` lists scenarios by name and title; ``convert`` keeps files."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from mtorlogic.cli import main
from mtorlogic.cli.scenarios import covers
from mtorlogic.resources import bundled_path
from mtorlogic.scenarios import load_scenario


def invoke(*arguments: str):
    return CliRunner().invoke(main, list(arguments))


def test_bundled_scenarios_are_listed_with_titles() -> None:
    result = invoke("scenarios")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["name", "covers", "title"]
    assert lines[2].startswith("01_fed ") and "Behaviour 1" in lines[2]
    assert max(len(line) for line in lines) <= 100
    data = json.loads(invoke("scenarios", "--json").stdout)["scenarios"]
    rapamycin = next(entry for entry in data if entry["name"] == "08_rapamycin_acute")
    assert rapamycin["title"] == "Acute rapamycin in fed cells"
    assert rapamycin["covers"] == "Behaviour 7" and rapamycin["initial"] is None
    loaded = load_scenario(bundled_path("scenarios") / "08_rapamycin_acute.toml")
    assert rapamycin["checks"] == len(loaded.expect) + len(loaded.compare.items())
    washout = next(entry for entry in data if entry["name"] == "46_rapamycin_washout")
    assert washout["initial"] == "08_rapamycin_acute"


def test_a_folder_of_scenarios(tmp_path: Path) -> None:
    (tmp_path / "m.bnet").write_text("u, u\na, u\n")
    (tmp_path / "one.toml").write_text('name = "First"\nmodel = "m.bnet"\n'
                                       'description = "Part C: x"\n[inputs]\nu = 1\n')
    result = invoke("scenarios", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2].split() == [str(tmp_path / "one.toml"), "Part", "C",
                                                      "First"]
    empty = tmp_path / "empty"
    empty.mkdir()
    result = invoke("scenarios", str(empty))
    assert result.exit_code == 2 and "no scenario files" in result.stderr
    result = invoke("scenarios", str(tmp_path / "absent"))
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1


def test_covers_reads_the_opening_tag() -> None:
    assert covers("Behaviour 12 (part K): without TSC") == "Behaviour 12"
    assert covers("Behaviours 17 and 18: PI3K") == "Behaviours 17 and 18"
    assert covers("Parts A/F: DEPTOR") == "Parts A/F"
    assert covers("Multi-phase: start") == "Multi-phase"
    assert covers("A plain description.") == ""


def test_convert_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "out.bnet"
    target.write_text("keep me\n")
    result = invoke("convert", "mtor", str(target))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"mtorlogic: error: {target}: already exists; pass " \
                                    "--force to replace it"
    assert target.read_text() == "keep me\n"
    result = invoke("convert", "mtor", str(target), "--force")
    assert result.exit_code == 0 and "targets, factors\n" in target.read_text()
