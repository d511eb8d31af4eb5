"""``mtorlogic screen``: verdicts, minimal sets and synergy, output formats, bad input,
and identical results serially, in parallel, resumed, after a kill, and on Dask."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from itertools import combinations
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtorlogic.analysis import workers as workers_module
from mtorlogic.analysis.plan import plan
from mtorlogic.analysis.report import ScreenReport
from mtorlogic.analysis.screen import build_spec, key_of, screen
from mtorlogic.analysis.spec import combine
from mtorlogic.analysis.verdicts import BaseEngine
from mtorlogic.cli import main
from mtorlogic.dynamics.attractors import find_attractors
from mtorlogic.expressions import parse
from mtorlogic.logic import FunctionAlgebra
from mtorlogic.scenarios import load_scenario

# C = A | B: knocking out A or B alone leaves C on; knocking out both turns it off.
# O1/O2 oscillate while S is on; Drug is an input that shuts B off.
TINY = """\
targets, factors
S, S
Drug, Drug
A, S
B, S & !Drug
C, A | B
D, C
O1, !O2 & S
O2, O1
"""
BASE = 'name = "Tiny base"\nmodel = "tiny.bnet"\n[inputs]\nS = 1\n'
VERDICTS = {"always", "sometimes", "never"}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / "tiny.bnet").write_text(TINY, encoding="utf-8")
    (tmp_path / "base.toml").write_text(BASE, encoding="utf-8")
    (tmp_path / "off.toml").write_text('name = "S off"\nmodel = "tiny.bnet"\n', encoding="utf-8")
    (tmp_path / "later.toml").write_text(
        'name = "Later phase"\nmodel = "tiny.bnet"\ninitial = "base.toml"\n[inputs]\nS = 1\n'
        '[drugs]\nDrug = 1\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*arguments: str):
    result = CliRunner().invoke(main, ["screen", *arguments])
    assert "Traceback" not in result.output
    return result


def screen_json(*arguments: str) -> dict:
    result = invoke(*arguments, "--json", "-q")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# -- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize("target, message", [
    ("!C &", "--target: expression ends too early"),
    ("(C | A", "--target: missing ')'"),
    ("C $ A", "--target: unexpected character"),
    ("!Cx", "--target: unknown node 'Cx' (did you mean 'C'?)"),
])
def test_bad_target_exits_2_with_a_message(folder: Path, target: str, message: str) -> None:
    result = invoke("base.toml", "--target", target)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1  # one line, no traceback


def test_empty_perturbation_set_exits_2(folder: Path) -> None:
    result = invoke("base.toml", "-t", "C", "--nodes", "", "--drugs", "none")
    assert result.exit_code == 2
    assert "nothing to screen" in result.stderr


@pytest.mark.parametrize("option, value, message", [
    ("--nodes", "A,Q", "--nodes: unknown node 'Q'"),
    ("--nodes", "A=2", "expected NODE, NODE=0 or NODE=1"),
    ("--drugs", "A", "'A' is not an input"),
])
def test_bad_candidates_exit_2(folder: Path, option: str, value: str, message: str) -> None:
    result = invoke("base.toml", "-t", "C", option, value)
    assert result.exit_code == 2
    assert message in result.stderr


@pytest.mark.slow
def test_unreachable_scheduler_exits_2(folder: Path) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = invoke("base.toml", "-t", "!C", "--scheduler", f"tcp://127.0.0.1:{port}")
    assert result.exit_code == 2
    assert "cannot reach the Dask scheduler" in result.stderr


def test_output_file_is_never_overwritten(folder: Path) -> None:
    assert invoke("base.toml", "-t", "!C", "-o", "r.jsonl", "-q").exit_code == 0
    result = invoke("base.toml", "-t", "!C", "-o", "r.jsonl")
    assert result.exit_code == 2 and "--resume" in result.stderr
    other = invoke("base.toml", "-t", "C", "-o", "r.jsonl", "--resume")
    assert other.exit_code == 2 and "different screen" in other.stderr


# -- what a screen finds ------------------------------------------------------------------


def test_minimal_sets_and_synergy(folder: Path) -> None:
    data = screen_json("base.toml", "--target", "!C", "--drugs", "Drug")
    assert data["minimal"] == [{"C": 0}, {"A": 0, "B": 0}, {"A": 0, "Drug": 1}]
    # equally strong synergy (both singles "never"): the pair with a drug ranks first
    assert data["synergistic"] == [{"A": 0, "Drug": 1}, {"A": 0, "B": 0}]
    verdicts = {key_of(r["perturbation"].items()): r["verdict"] for r in data["results"]}
    assert verdicts[()] == "never"
    assert verdicts[(("A", 0),)] == verdicts[(("B", 0),)] == "never"
    assert verdicts[(("A", 0), ("B", 0))] == "always"
    assert verdicts[(("A", 0), ("C", 0))] == "always"  # not minimal: C=0 alone does it
    # details: minimal sets carry robustness, synergistic pairs their singles' verdicts
    details = data["details"]
    assert [set(hit) for hit in details["minimal"]] == [
        {"perturbation", "rank", "size", "robustness"}] + [{"perturbation", "rank", "size"}] * 2
    assert [hit["singles"] for hit in details["synergistic"]] == [["never", "never"]] * 2


def test_json_shape_follows_spec(folder: Path) -> None:
    data = screen_json("base.toml", "--target", "!C | O1")
    assert data["target"] == "!C | O1"
    assert {"target", "results", "minimal", "synergistic"} <= data.keys()
    # every single and pair of the default candidates, and the base alone, once each
    nodes = ["A", "B", "C", "D", "O1", "O2"]
    singles = 2 * len(nodes) + 0  # Drug is not a known drug: not screened by default
    assert len(data["results"]) == 1 + singles + (singles * (singles - 1) // 2 - len(nodes))
    for result in data["results"]:
        assert set(result["perturbation"].values()) <= {0, 1}
        assert all(type(v) is int for v in result["perturbation"].values())
        assert result["verdict"] in VERDICTS
    for entry in data["minimal"] + data["synergistic"]:
        assert isinstance(entry, dict) and set(entry.values()) <= {0, 1}
    base = data["results"][0]
    assert base["perturbation"] == {} and base["verdict"] == "sometimes"  # O1 oscillates


def test_nodes_none_screens_the_drugs_only(folder: Path) -> None:
    data = screen_json("base.toml", "-t", "!B", "--nodes", "none", "--drugs", "Drug")
    assert [r["perturbation"] for r in data["results"]] == [{}, {"Drug": 1}]
    assert data["minimal"] == [{"Drug": 1}]


def test_drugs_are_set_to_1_and_sometimes_is_reported(folder: Path) -> None:
    data = screen_json("base.toml", "-t", "O1", "--nodes", "Drug,O2=1,C", "--drugs", "Drug")
    singles = {key_of(r["perturbation"].items()): r["verdict"] for r in data["results"]
               if len(r["perturbation"]) == 1}
    assert set(singles) == {(("Drug", 1),), (("O2", 1),), (("C", 0),), (("C", 1),)}
    assert singles[(("Drug", 1),)] == "sometimes"
    assert singles[(("O2", 1),)] == "never"


def test_accept_sometimes(folder: Path) -> None:
    assert screen_json("base.toml", "-t", "O1", "--nodes", "O2=1")["minimal"] == []
    assert screen_json("base.toml", "-t", "O1", "--nodes", "O2=1",
                       "--accept", "sometimes")["minimal"] == [{}]


def test_several_bases_are_judged_together(folder: Path) -> None:
    # with S off, C is off already: "always" over both bases needs C off in the base too
    data = screen_json("base.toml", "off.toml", "-t", "!C", "--nodes", "A=0,B=0")
    verdicts = {key_of(r["perturbation"].items()): r for r in data["results"]}
    assert verdicts[()]["verdict"] == "sometimes"
    assert verdicts[()]["verdicts"] == {"base.toml": {"asynchronous": "never"},
                                        "off.toml": {"asynchronous": "always"}}
    assert data["minimal"] == [{"A": 0, "B": 0}]
    assert data["by_scenario"]["off.toml"]["minimal"] == [{}]


def test_semantics_all_reports_agreement(folder: Path) -> None:
    data = screen_json("base.toml", "-t", "O1 | !O2", "--nodes", "O1,C=0", "--semantics", "all")
    for result in data["results"]:
        per = result["verdicts"]["base.toml"]
        assert set(per) == {"asynchronous", "synchronous", "most-permissive"}
        assert result["agree"] == (len(set(per.values())) == 1)
        assert result["verdict"] == combine(per.values())
    table = invoke("base.toml", "-t", "O1 | !O2", "--nodes", "O1,C=0", "--semantics", "all",
                   "-q")
    assert "Semantics agree on" in table.stdout


def test_grid(folder: Path) -> None:
    data = screen_json("base.toml", "-t", "!C", "--grid", "--nodes", "A=0,B=0,D",
                       "--drugs", "Drug")
    assert data["grid"] is True
    perturbations = [key_of(r["perturbation"].items()) for r in data["results"]]
    assert len(perturbations) == 5 * 2  # (none + 4 mutations) x (none + Drug)
    assert data["minimal"] == [{"A": 0, "Drug": 1}]
    table = invoke("base.toml", "-t", "!C", "--grid", "--nodes", "A=0,B=0,D", "--drugs", "Drug",
                   "-q")
    assert "mutations \\ drugs" in table.stdout


def test_table_and_csv(folder: Path) -> None:
    table = invoke("base.toml", "-t", "!C", "-q")
    assert table.exit_code == 0
    assert "Minimal perturbations that achieve the target" in table.stdout
    assert "A=0 + B=0" in table.stdout
    assert "robust:" in table.stdout  # the legend, like every line, fits 100 columns
    assert max(map(len, table.stdout.splitlines())) <= 100
    rows = invoke("base.toml", "-t", "!C", "--csv", "-q").stdout.splitlines()
    assert rows[0] == "perturbation,size,verdict,minimal,synergistic"
    assert "A=0;B=0,2,always,1,1" in rows


@pytest.mark.slow
def test_plot(folder: Path) -> None:
    result = invoke("base.toml", "-t", "!C", "-q", "--plot", "pairs.png")
    assert result.exit_code == 0, result.output
    assert (folder / "pairs.png").read_bytes()[:4] == b"\x89PNG"
    assert invoke("base.toml", "-t", "!C", "-q", "--plot", "pairs.pdf").exit_code == 2
    grid = invoke("base.toml", "-t", "!C", "-q", "--grid", "--nodes", "A=0,B=0,D",
                  "--drugs", "Drug", "--plot", "grid.svg")
    assert grid.exit_code == 0, grid.output
    svg = (folder / "grid.svg").read_text()
    assert "<svg" in svg and "mutations x drugs" in svg


# -- verdicts are exact ---------------------------------------------------------------------


def reference(model, semantics: str, target: str, initial=None) -> str:
    """The verdict from find_attractors, judging the target on every listed state."""
    algebra = FunctionAlgebra(model.names)
    bdd = algebra.bdd(parse(target))
    judged = []
    for attractor in find_attractors(model, semantics, initial=initial):
        if semantics == "most-permissive":
            fixed = {n: v for n, v in attractor.values.items() if v != "*"}
            restricted = algebra.restrict(bdd, fixed)
            judged.append("always" if restricted.is_true() else
                          "never" if restricted.is_false() else "sometimes")
            continue
        seen = {algebra.restrict(bdd, dict(zip(model.names, s))).is_true()
                for s in attractor.states}
        judged.append("sometimes" if len(seen) == 2 else ("always" if seen.pop() else "never"))
    return combine(judged)


@pytest.mark.slow
@pytest.mark.parametrize("target", ["!C", "O1", "D & !O2 | !A"])
def test_engine_matches_find_attractors(folder: Path, target: str) -> None:
    scenario = load_scenario("base.toml")
    spec = build_spec([scenario], target, semantics="all")
    engine = BaseEngine(spec.bases[0], spec.target)
    items = [(n, v) for n in ("A", "B", "C", "D", "O1", "O2", "Drug") for v in (0, 1)]
    cases = [()] + [(i,) for i in items] + [p for p in combinations(items, 2)
                                            if p[0][0] != p[1][0]]
    for case in cases:
        model = scenario.model.clamp({**scenario.clamps, **dict(case)})
        for semantics in ("asynchronous", "synchronous", "most-permissive"):
            assert engine.verdict(case, semantics) == reference(model, semantics, target), \
                (case, semantics)


def test_initial_phase_is_respected(folder: Path) -> None:
    later = load_scenario("later.toml")
    spec = build_spec([later], "O1 & !B")
    engine = BaseEngine(spec.bases[0], spec.target)
    from mtorlogic.readouts import reached_attractors, starting_states

    before = reached_attractors(later.initial, {})
    for case in [(), (("O2", 1),), (("A", 0),), (("O1", 0), ("B", 1))]:
        clamps = {**later.clamps, **dict(case)}
        starts = starting_states(before, later.model.names, clamps)
        model = later.model.clamp(clamps)
        assert engine.verdict(case, "asynchronous") == \
            reference(model, "asynchronous", "O1 & !B", starts), case


def test_bundled_model_rapamycin_shuts_mtorc1() -> None:
    from mtorlogic.scenarios import bundled_scenarios

    fed = next(p for p in bundled_scenarios() if p.stem.endswith("fed"))
    scenario = load_scenario(fed)
    spec = build_spec([scenario], "!mTORC1")
    nodes = [(name, None) for name in ("Rapamycin", "Torin1", "mTORC1", "S6")]
    chosen = plan([scenario.model], nodes=nodes, max_size=2)
    report = ScreenReport(spec, chosen, screen(spec, chosen.perturbations, jobs=1))
    minimal = [dict(hit.items) for hit in report.minimal()]
    assert {"Rapamycin": 1} in minimal and {"Torin1": 1} in minimal and {"mTORC1": 0} in minimal
    assert report.verdict(()) == "never"


# -- the same results however the screen runs ---------------------------------------------


@pytest.mark.slow
def test_serial_parallel_and_resume_agree(folder: Path, monkeypatch) -> None:
    arguments = ("base.toml", "-t", "!C | O1", "--max-size", "3", "--semantics", "all")
    serial = screen_json(*arguments, "--jobs", "1")
    parallel = screen_json(*arguments, "--jobs", "2")
    assert parallel == serial
    written = screen_json(*arguments, "-o", "r.jsonl")
    assert written == serial
    lines = Path("r.jsonl").read_text().splitlines()
    assert len(lines) == 1 + len(serial["results"])
    # keep the header and a third of the verdicts: resuming computes exactly the rest
    Path("r.jsonl").write_text("\n".join(lines[: 1 + len(lines) // 3]) + "\n")
    calls: list[int] = []
    original = workers_module.evaluate_chunk

    def counting(spec, chunk):
        calls.append(len(chunk))
        return original(spec, chunk)

    monkeypatch.setattr(workers_module, "evaluate_chunk", counting)
    resumed = screen_json(*arguments, "-o", "r.jsonl", "--resume", "--jobs", "1")
    assert resumed == serial
    assert sum(calls) == len(serial["results"]) - len(lines) // 3
    # a finished screen is never recomputed
    calls.clear()
    assert screen_json(*arguments, "-o", "r.jsonl", "--resume", "--jobs", "1") == serial
    assert calls == []


@pytest.mark.slow
def test_killed_screen_leaves_a_valid_resumable_file(tmp_path: Path) -> None:
    output = tmp_path / "killed.jsonl"
    arguments = ["screen", "01_fed", "-t", "!mTORC1 & !AKT_S473", "--nodes",
                 "ERK,RAS,TSC,S6K1,PTEN,mTORC2,FOXO,AMPK,IRS1,GRB10,Rapamycin,Torin1",
                 "--jobs", "1", "-q"]
    code = "import sys; from mtorlogic.cli import main; sys.exit(main())"
    process = subprocess.Popen([sys.executable, "-c", code, *arguments, "-o", str(output)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if output.exists() and output.read_text().count("\n") >= 4:
                break
            time.sleep(0.05)
        assert process.poll() is None, "the screen finished before it could be killed"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait()
    lines = output.read_text().splitlines()
    assert json.loads(lines[0])["kind"] == "mtorlogic-screen"
    for line in lines[1:]:
        assert json.loads(line)["verdict"] in VERDICTS  # every line whole and valid
    with open(output, "a") as handle:
        handle.write('{"perturbation": {"ERK": 0}, "verd')  # as if cut off mid-line
    runner = CliRunner()
    resumed = runner.invoke(main, arguments + ["-o", str(output), "--resume", "--json"])
    assert resumed.exit_code == 0, resumed.output
    fresh = runner.invoke(main, arguments + ["--json"])
    assert json.loads(resumed.stdout) == json.loads(fresh.stdout)
    assert all(json.loads(line) for line in output.read_text().splitlines())


@pytest.mark.slow
def test_dask_cluster_gives_the_same_results(folder: Path) -> None:
    distributed = pytest.importorskip("distributed")
    arguments = ("base.toml", "-t", "!C | O1", "--semantics", "all")
    serial = screen_json(*arguments, "--jobs", "1")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        on_dask = screen_json(*arguments, "--scheduler", cluster.scheduler_address)
    assert on_dask == serial


def test_report_hint_explains_its_first_hit() -> None:
    """The report names an `explain` command for its first hit, and that command runs and
    finds the target achieved (the hit's clamps on top of the base)."""
    import shlex

    from click.testing import CliRunner

    from mtorlogic.cli import main

    runner = CliRunner()
    screened = runner.invoke(main, ["screen", "13_tsc_loss_no_insulin", "-t", "!mTORC1",
                                    "--nodes", "TSC,RHEB", "--drugs", "none", "-k", "1"])
    assert screened.exit_code == 0, screened.output
    lines = screened.stdout.splitlines()
    start = lines.index("Why a hit works:") + 1
    shown = []
    for line in lines[start:]:
        shown.append(line.strip().removesuffix("\\"))
        if not line.endswith("\\"):
            break
    assert all(len(line) <= 100 for line in lines[start:start + len(shown)])
    hint = " ".join(shown)
    words = shlex.split(hint)
    assert words[:2] == ["mtorlogic", "explain"] and "--against" in words
    explained = runner.invoke(main, words[1:])
    assert explained.exit_code == 0, explained.output
    assert explained.stdout.startswith("target is on")
