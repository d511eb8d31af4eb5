"""``mtorlogic run`` and ``mtorlogic check`` end to end: output, JSON/CSV, exit codes."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtorlogic.cli import main

# EIF4EBP1 = 1 is hypophosphorylated 4E-BP1; mTORC1 phosphorylates it (EIF4EBP1 = 0).
MODEL = """\
input Insulin
input Drug
mTORC1 = Insulin & !Drug     [test]
EIF4EBP1 = !mTORC1           [test]
O1 = !O2 & Insulin
O2 = O1
"""
FED = 'name = "Fed"\nmodel = "m.rules"\n[inputs]\nInsulin = 1\n'


@pytest.fixture
def folder(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / "m.rules").write_text(MODEL, encoding="utf-8")
    (tmp_path / "fed.toml").write_text(FED + '[expect]\nmTORC1 = "on"\nO1 = "oscillates"\n')
    (tmp_path / "drug.toml").write_text(
        'name = "Drug"\nmodel = "m.rules"\n[inputs]\nInsulin = 1\n[drugs]\nDrug = 1\n'
        '[expect]\nmTORC1 = "off"\nEIF4EBP1 = "on"\n'
        '[compare]\nreference = "fed.toml"\nlower = ["mTORC1"]\nhigher = ["EIF4EBP1"]\n')
    (tmp_path / "wrong.toml").write_text(
        'name = "Wrong"\nmodel = "m.rules"\n[inputs]\nInsulin = 1\n[expect]\nmTORC1 = "off"\n'
        '[compare]\nreference = "fed.toml"\nhigher = ["mTORC1"]\n')
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*arguments: str):
    return CliRunner().invoke(main, list(arguments))


def assert_clean(result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_run_table_shows_a_foreign_models_outputs(folder: Path) -> None:
    """m.rules shares mTORC1 and EIF4EBP1 with the bundled model but is not it: its table
    shows its own output (EIF4EBP1, read by no rule), not the mTOR readouts."""
    result = invoke("run", "fed.toml", "drug.toml")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["scenario", "EIF4EBP1"]
    assert lines[2].split() == ["fed", "off"]  # every column is the node's own value
    assert lines[3].split() == ["drug", "on"]
    assert "EIF4EBP1 on: active 4E-BP1 (unphosphorylated" in result.stdout


def test_run_nodes_chooses_columns_and_titles_name_rows(folder: Path) -> None:
    result = invoke("run", "fed.toml", "drug.toml", "--nodes", "mTORC1,O1", "--titles")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["scenario", "mTORC1", "O1"]
    assert lines[2].split() == ["Fed", "on", "osc", ".50"]
    assert lines[3].split() == ["Drug", "off", "osc", ".50"]
    # The legend's example is a cell of this table, worded for asynchronous semantics.
    assert "osc .50: changes inside every attractor reached, at 1 for 50% of the time" in \
        result.stdout
    assert "p-4E-BP1" not in result.stdout and "EIF4EBP1" not in result.stdout


def test_legend_follows_the_semantics(folder: Path) -> None:
    result = invoke("run", "fed.toml", "--nodes", "O1", "--semantics", "most-permissive")
    assert "osc .50: free in every minimal trap space reached" in result.stdout
    assert "of the time" not in result.stdout
    result = invoke("run", "fed.toml", "--nodes", "O1", "--semantics", "synchronous")
    assert "osc .50: changes along every cycle reached, at 1 in 50% of its states" in \
        result.stdout
    result = invoke("run", "fed.toml", "--nodes", "mTORC1")
    assert "osc" not in result.stdout  # nothing oscillates in the table: no such legend line
    # m.rules has an mTORC1 but no mTORC1_kinase: the note contrasting them is not shown.
    assert "mTORC1_kinase" not in result.stdout


@pytest.mark.parametrize("nodes, message", [
    ("mtorc1", "unknown node 'mtorc1' (did you mean 'mTORC1'?)"),
    (",", "name at least one node"),
])
def test_bad_nodes_exit_2_with_one_line(folder: Path, nodes: str, message: str) -> None:
    result = invoke("run", "fed.toml", "--nodes", nodes)
    assert result.exit_code == 2
    assert_clean(result)
    [line] = result.stderr.strip().splitlines()
    assert message in line


def test_wide_tables_fit_100_columns(folder: Path) -> None:
    names = [f"Output_node_{i}" for i in range(12)]
    (folder / "wide.bnet").write_text("A, A\n" + "".join(f"{n}, A\n" for n in names))
    long_name = "a_scenario_with_a_very_long_file_name_indeed_it_goes_on"
    (folder / f"{long_name}.toml").write_text('name = "W"\nmodel = "wide.bnet"\n'
                                               '[inputs]\nA = 1\n')
    result = invoke("run", f"{long_name}.toml")
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.stdout.splitlines()) <= 100
    [row] = [line for line in result.stdout.splitlines() if line.startswith("a_scenario")]
    assert row.split()[0].endswith("…") and row.split()[1:] == ["on"] * 9
    assert "not shown (too wide): " in result.stdout and "choose with --nodes" in result.stdout


def test_run_table_without_readouts_shows_every_non_input(folder: Path) -> None:
    (folder / "plain.bnet").write_text("A, A\nO1, !O2 & A\nO2, O1\n")
    (folder / "plain.toml").write_text('name = "Plain"\nmodel = "plain.bnet"\n[inputs]\nA = 1\n')
    result = invoke("run", "plain.toml")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["scenario", "O1", "O2"]
    assert lines[2].split() == ["plain", "osc", ".50", "osc", ".50"]


def test_bundled_names_are_shown_as_named(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("run", "--json", "01_fed")
    assert result.exit_code == 0, result.output
    [fed] = json.loads(result.stdout)["scenarios"]
    assert (fed["file"], fed["model"]) == ("01_fed", "mtor")
    result = invoke("run", "fed")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "mtorlogic: error: fed: no such scenario file or bundled scenario (did you mean "
        "'01_fed'?); `mtorlogic scenarios` lists the bundled ones")
    result = invoke("run", "01_FED")
    assert "(did you mean '01_fed'?)" in result.stderr


def test_run_json(folder: Path) -> None:
    result = invoke("run", "--json", "fed.toml", "drug.toml")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    fed, drug = data["scenarios"]
    assert (fed["file"], fed["name"], fed["semantics"]) == ("fed.toml", "Fed", "asynchronous")
    assert fed["model"] == "m.rules"  # as typed in the working directory
    assert fed["initial"] is None
    assert fed["clamps"] == {"Insulin": 1, "Drug": 0}
    assert fed["nodes"]["mTORC1"] == {"status": "on", "activity": 1.0}
    assert fed["nodes"]["O1"]["status"] == "oscillates"
    assert fed["nodes"]["O1"]["activity"] == pytest.approx(0.5)
    assert fed["activity_exact"] is True
    [attractor] = fed["attractors"]
    assert attractor["size"] == 4 and attractor["fixed_point"] is False
    assert attractor["values"]["O1"] == "*" and attractor["values"]["mTORC1"] == 1
    assert drug["nodes"]["EIF4EBP1"]["status"] == "on"


def test_run_csv_has_a_row_per_scenario_and_node(folder: Path) -> None:
    result = invoke("run", "--csv", "fed.toml", "drug.toml")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 2 * 6
    assert rows[0].keys() == {"file", "name", "node", "status", "activity"}
    row = next(r for r in rows if r["name"] == "Drug" and r["node"] == "mTORC1")
    assert (row["status"], float(row["activity"])) == ("off", 0.0)


def test_run_overrides_model_and_semantics(folder: Path) -> None:
    (folder / "other.rules").write_text("input Insulin\ninput Drug\nmTORC1 = 0\nEIF4EBP1 = 1\n"
                                        "O1 = 0\nO2 = 0\n")
    result = invoke("run", "--json", "--model", "other.rules", "--semantics", "synchronous",
                    "fed.toml")
    assert result.exit_code == 0, result.output
    [fed] = json.loads(result.stdout)["scenarios"]
    assert fed["semantics"] == "synchronous"
    assert fed["model"] == "other.rules"
    assert fed["nodes"]["mTORC1"]["status"] == "off"


def test_no_progress_when_stderr_is_not_a_terminal(folder: Path) -> None:
    result = invoke("run", "--json", "fed.toml", "drug.toml", "wrong.toml", "fed.toml")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["scenarios"]) == 4
    assert result.stderr == ""
    result = invoke("check", "fed.toml", "drug.toml", "wrong.toml", "fed.toml")
    assert "checking" not in result.stderr and result.stderr == ""


def test_check_takes_model_and_semantics(folder: Path) -> None:
    (folder / "other.rules").write_text("input Insulin\ninput Drug\nmTORC1 = 0\nEIF4EBP1 = 1\n"
                                        "O1 = 0\nO2 = 0\n")
    assert invoke("check", "fed.toml").exit_code == 0
    result = invoke("check", "--model", "other.rules", "fed.toml")
    assert result.exit_code == 1
    assert "mTORC1: expected on, found off" in result.stdout
    result = invoke("check", "--json", "--semantics", "most-permissive", "fed.toml")
    assert json.loads(result.stdout)["passed"] is True
    result = invoke("check", "--semantics", "nope", "fed.toml")
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_bare_command_shows_the_help() -> None:
    done = subprocess.run([sys.executable, "-c", "from mtorlogic.cli import main; main()"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Start with:" in done.stdout and done.stderr == ""
    done = subprocess.run([sys.executable, "-c", "from mtorlogic.cli import main; main()",
                           "nosuch"], capture_output=True, text=True)
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert "error: No such command 'nosuch'." in line and "--help`)" in line


def test_usage_errors_are_one_line(folder: Path) -> None:
    result = invoke("run", "--no-such-option")
    assert result.exit_code == 2
    assert_clean(result)
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("main run: error: No such option") and "--help" in line


def test_json_and_csv_together_is_a_usage_error(folder: Path) -> None:
    result = invoke("run", "--json", "--csv", "fed.toml")
    assert result.exit_code == 2
    assert_clean(result)


def test_check_passes(folder: Path) -> None:
    result = invoke("check", "fed.toml", "drug.toml")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "PASS  fed: Fed", "PASS  drug: Drug",
        "2 scenario(s): 2 passed, 0 failed (6 check(s), 0 failed)"]


def test_check_failure_says_expected_and_found(folder: Path) -> None:
    result = invoke("check", "fed.toml", "wrong.toml")
    assert result.exit_code == 1
    assert_clean(result)
    assert result.stdout.splitlines() == [
        "PASS  fed: Fed",
        "FAIL  wrong: Wrong",
        "      mTORC1: expected off, found on",
        "      mTORC1 activity: expected higher than in fed.toml, found the same "
        "(1.000 vs 1.000)",
        "2 scenario(s): 1 passed, 1 failed (4 check(s), 2 failed)"]


def test_check_json(folder: Path) -> None:
    result = invoke("check", "--json", "fed.toml", "wrong.toml")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["passed"] is False
    fed, wrong = data["scenarios"]
    assert fed["passed"] is True and wrong["passed"] is False
    assert wrong["findings"] == [
        {"kind": "expect", "node": "mTORC1", "expected": "off", "found": "on",
         "passed": False},
        {"kind": "compare", "node": "mTORC1", "expected": "higher", "found": "same",
         "passed": False, "activity": 1.0, "reference_activity": 1.0,
         "reference": "fed.toml"}]


def test_scenario_with_nothing_to_check_passes(folder: Path) -> None:
    (folder / "bare.toml").write_text(FED)
    result = invoke("check", "bare.toml")
    assert result.exit_code == 0
    assert "PASS  bare: Fed  (nothing to check)" in result.stdout


@pytest.mark.parametrize("command", ["run", "check"])
@pytest.mark.parametrize("text, where", [
    (FED + "[inputs.extra]\n", "bad.toml"),                       # TOML error
    (FED + "[drugs]\nmTORC1 = 1\n", "bad.toml:6: drugs.mTORC1"),  # not an input
    (FED + '[expect]\nNope = "on"\n', "bad.toml:6: expect.Nope"),  # unknown node
    (FED + 'initial = "gone.toml"\n', "bad.toml:5: inputs.initial"),  # key under [inputs]
])
def test_bad_input_exits_2_with_one_line(folder: Path, command: str, text: str, where) -> None:
    (folder / "bad.toml").write_text(text)
    result = invoke(command, "bad.toml")
    assert result.exit_code == 2
    assert_clean(result)
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("mtorlogic: error: bad.toml")
    if where:
        assert where in line
    assert result.stdout == ""


@pytest.mark.parametrize("command", ["run", "check"])
def test_missing_file_and_missing_initial_exit_2(folder: Path, command: str) -> None:
    result = invoke(command, "absent.toml")
    assert result.exit_code == 2 and "absent.toml: no such scenario file" in result.stderr
    (folder / "late.toml").write_text('name = "Late"\nmodel = "m.rules"\ninitial = "gone.toml"\n')
    result = invoke(command, "late.toml")
    assert result.exit_code == 2 and "late.toml:3: initial: scenario file 'gone.toml'" in \
        result.stderr
    assert_clean(result)


def test_no_scenarios_and_none_bundled_exits_2(folder: Path, monkeypatch) -> None:
    empty = folder / "empty"
    empty.mkdir()
    monkeypatch.setattr("mtorlogic.resources.bundled_path", lambda kind: empty)
    result = invoke("check")
    assert result.exit_code == 2
    assert "no bundled scenarios found" in result.stderr


def test_command_line_start_up_stays_light() -> None:
    heavy = ["numpy", "networkx", "scipy", "clingo", "biodivine_aeon", "pyboolnet"]
    code = (f"import sys, mtorlogic.cli; print([m for m in {heavy!r} if m in sys.modules])")
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout
    assert output.strip() == "[]"


def bundled_sample() -> list[str]:
    """A few bundled scenarios covering the kinds of files: the first, the first with a
    [compare] block, and the first with an initial phase."""
    from mtorlogic.scenarios import bundled_scenarios, load_scenarios

    scenarios = load_scenarios(bundled_scenarios())
    picks = [scenarios[:1],
             [s for s in scenarios if s.compare is not None][:1],
             [s for s in scenarios if s.initial is not None][:1]]
    return list(dict.fromkeys(s.label for pick in picks for s in pick))


@pytest.mark.slow
def test_bundled_sample_passes_check(monkeypatch, tmp_path: Path) -> None:
    from mtorlogic.formats import bundled_model_path
    from mtorlogic.scenarios import bundled_scenarios, load_scenario, resolve_scenario_argument

    if not bundled_model_path().is_file() or not bundled_scenarios():
        pytest.skip("the bundled model and scenarios have not landed")
    sample = bundled_sample()
    monkeypatch.chdir(tmp_path)  # bundled scenarios are found by name from anywhere
    result = invoke("check", *sample)
    assert_clean(result)
    assert result.exit_code == 0, result.output
    assert [line.split(":")[0] for line in result.stdout.splitlines()[:-1]] == [
        f"PASS  {label}" for label in sample]
    # run --json reports the statuses that check found to hold.
    table = invoke("run", "--json", *sample)
    assert table.exit_code == 0, table.output
    for entry in json.loads(table.stdout)["scenarios"]:
        expect = load_scenario(resolve_scenario_argument(entry["file"])).expect
        assert expect, entry["file"]
        assert {node: entry["nodes"][node]["status"] for node in expect} == dict(expect)
