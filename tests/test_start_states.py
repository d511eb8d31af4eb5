"""Scenario starting states written directly: ``[start]``, ``"*"``, ``default`` and
``[start.linked]`` (issue 17): loading, validation, and run/screen from them."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtorlogic.analysis.screen import build_spec
from mtorlogic.analysis.verdicts import BaseEngine
from mtorlogic.cli import main
from mtorlogic.dynamics.attractors import find_attractors
from mtorlogic.readouts import reached_attractors
from mtorlogic.scenarios import load_scenario

# P switches on for good once Q is on; Q and R are memories while S is on (not inputs). L and M
# copy each other (L = M, M = L): a start where they differ reaches both 00 and 11.
MODEL = """targets, factors
S, S
P, P | Q & S
Q, Q & S
R, R & S
L, M
M, L
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / "sw.bnet").write_text(MODEL, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def scenario(folder: Path, start: str, name: str = "s.toml") -> Path:
    path = folder / name
    path.write_text('name = "s"\nmodel = "sw.bnet"\n[inputs]\nS = 1\n' + start,
                    encoding="utf-8")
    return path


def test_start_table_gives_subspaces(folder: Path) -> None:
    loaded = load_scenario(scenario(folder, '[start]\ndefault = 0\nP = "*"\nL = "*"\nM = "*"\n'
                                            '[start.linked]\ncopies = ["L", "M"]\n'))
    common = {"Q": 0, "R": 0}  # default 0 (not for inputs); P free; L and M linked
    assert loaded.start == ({**common, "L": 0, "M": 0}, {**common, "L": 1, "M": 1})


def test_default_is_free(folder: Path) -> None:
    loaded = load_scenario(scenario(folder, "[start]\nR = 1\n"))
    assert loaded.start == ({"R": 1},)


def states(attractors) -> set[tuple[tuple[str, int], ...]]:
    return {tuple(sorted((n, v) for n, v in a.values.items() if isinstance(v, int)))
            for a in attractors}


def test_linked_nodes_share_one_value(folder: Path) -> None:
    linked = load_scenario(scenario(folder, '[start]\ndefault = 0\nL = "*"\nM = "*"\n'
                                            '[start.linked]\ncopies = ["L", "M"]\n', "a.toml"))
    free = load_scenario(scenario(folder, '[start]\ndefault = 0\nL = "*"\nM = "*"\n', "b.toml"))
    one = load_scenario(scenario(folder, '[start]\ndefault = 0\nL = 1\nM = 0\n', "c.toml"))
    reach = {name: {dict(s)["L"] for s in states(reached_attractors(sc, {}))}
             for name, sc in (("linked", linked), ("free", free), ("one", one))}
    # linked: both 00 and 11 reached (each from its own start), as with free starts
    assert reach["linked"] == {0, 1} and reach["free"] == {0, 1} and reach["one"] == {0, 1}
    # R = 0 by default: only attractors with R = 0
    assert {dict(s)["R"] for s in states(reached_attractors(linked, {}))} == {0}


def test_start_matches_find_attractors_from_the_same_states(folder: Path) -> None:
    loaded = load_scenario(scenario(folder, "[start]\ndefault = 0\nQ = 1\n"))
    model = loaded.model.clamp(loaded.clamps)
    expected = find_attractors(model, initial=[{**s, **loaded.clamps} for s in loaded.start])
    got = reached_attractors(loaded, {})
    assert states(got) == states(expected)
    assert states(got) == {(("L", 0), ("M", 0), ("P", 1), ("Q", 1), ("R", 0), ("S", 1))}


def test_screen_from_start_states(folder: Path) -> None:
    # from P=0, Q=0: P stays off unless Q is clamped on; from default "*": P sometimes
    fixed = load_scenario(scenario(folder, "[start]\ndefault = 0\n", "a.toml"))
    free = load_scenario(scenario(folder, "[start]\n", "b.toml"))
    for loaded, base in ((fixed, "never"), (free, "sometimes")):
        spec = build_spec([loaded], "P")
        engine = BaseEngine(spec.bases[0], spec.target)
        assert engine.verdict((), "asynchronous") == base
        assert engine.verdict((("Q", 1),), "asynchronous") == "always"
        assert engine.verdict((("P", 0),), "asynchronous") == "never"


def test_run_and_screen_cli_use_start(folder: Path) -> None:
    scenario(folder, "[start]\ndefault = 0\n")
    run = CliRunner().invoke(main, ["run", "s.toml", "--json"])
    assert run.exit_code == 0, run.output
    nodes = json.loads(run.stdout)[0]["nodes"] if isinstance(json.loads(run.stdout), list) \
        else json.loads(run.stdout)["scenarios"][0]["nodes"]
    assert nodes["P"]["status"] == "off"
    result = CliRunner().invoke(main, ["screen", "s.toml", "-t", "P", "--nodes", "Q", "-q",
                                       "--json"])
    assert result.exit_code == 0, result.output
    verdicts = {tuple(r["perturbation"].items()): r["verdict"]
                for r in json.loads(result.stdout)["results"]}
    assert verdicts[()] == "never" and verdicts[(("Q", 1),)] == "always"


@pytest.mark.parametrize("start, message", [
    ('[start]\nPx = 1\n', "s.toml:6: start.Px: unknown node 'Px' (did you mean 'P'?)"),
    ('[start]\nP = 2\n', 's.toml:6: start.P: must be 0, 1 or "*" (free), not 2'),
    ('[start]\nP = "x"\n', "s.toml:6: start.P: must be 0, 1 or \"*\" (free), not 'x'"),
    ('[start]\nP = true\n', 's.toml:6: start.P: must be 0, 1 or "*", not true (write 1)'),
    ('[start]\ndefault = 0.5\n', 's.toml:6: start.default: must be 0, 1 or "*" (free)'),
    ('[start]\ndefault = 0\n[start.linked]\ng = ["L", "M"]\n',
     "start.linked.g: 'L' starts at 0, so it cannot share a random value"),
    ('[start]\n[start.linked]\ng = ["L"]\n', "start.linked.g: must list at least two"),
    ('[start]\n[start.linked]\ng = ["L", "Mx"]\n', "start.linked.g: unknown node 'Mx'"),
    ('[start]\n[start.linked]\ng = ["L", "M"]\nh = ["M", "R"]\n',
     "'M' is in two linked groups"),
    ('[start]\nlinked = 3\n', "start.linked: [start.linked] must be a table"),
    ('[start]\nS = 1\n', "start.S: 'S' is an input: the scenario clamps it"),
    ('[strat]\nP = 1\n', "unknown section [strat] (did you mean 'start'?)"),
])
def test_bad_start_tables_exit_2_with_one_line(folder: Path, start: str, message: str) -> None:
    scenario(folder, start)
    for verb in (["run", "s.toml"], ["check", "s.toml"], ["screen", "s.toml", "-t", "P"]):
        result = CliRunner().invoke(main, verb)
        assert result.exit_code == 2, (verb, result.output)
        assert "Traceback" not in result.output
        assert message in result.output, (verb, result.output)
        assert len(result.output.strip().splitlines()) == 1, result.output


def test_start_and_initial_exclude_each_other(folder: Path) -> None:
    scenario(folder, "", "base.toml")
    path = folder / "s.toml"
    path.write_text('name = "s"\nmodel = "sw.bnet"\ninitial = "base.toml"\n[start]\nP = 1\n',
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["run", "s.toml"])
    assert result.exit_code == 2 and "not both" in result.output


def test_random_input_is_left_unclamped(folder: Path) -> None:
    path = folder / "r.toml"
    path.write_text('name = "r"\nmodel = "sw.bnet"\n[start]\ndefault = 0\nS = "*"\nQ = 1\n',
                    encoding="utf-8")
    loaded = load_scenario(path)
    assert loaded.random_inputs == ("S",) and "S" not in loaded.clamps
    # S keeps the value it starts with: Q (a memory while S is on) survives only with S = 1
    reached = states(reached_attractors(loaded, {}))
    assert {dict(s)["S"] for s in reached} == {0, 1}
    assert all(dict(s)["P"] == dict(s)["S"] for s in reached)


def test_random_input_clamped_elsewhere_is_an_error(folder: Path) -> None:
    scenario(folder, '[start]\nS = "*"\n')
    result = CliRunner().invoke(main, ["run", "s.toml"])
    assert result.exit_code == 2
    assert "start.S: 'S' is clamped in this file and cannot start random" in result.output
