"""A node booleanised into levels is clamped as a whole with a star: ``--set 'X*=1'`` in
``attractors``/``explain`` and ``"X*" = 1`` in a scenario's clamp tables (issue 17); a plain
``X=1`` keeps meaning ``X`` alone."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtorlogic.assignments import parse_assignment
from mtorlogic.cli import main
from mtorlogic.errors import InputError
from mtorlogic.formats import load_model
from mtorlogic.levels import expand_levels
from mtorlogic.scenarios import load_scenario

# S switches the higher level X_2 on with X; T reads only X_2. With S=0, clamping X alone to
# 1 leaves X_2 (and T) off; clamping X with its levels switches T on.
MODEL = "targets, factors\nS, S\nX, S | X_2\nX_2, X & S\nT, X_2\nU, X | T\n"


@pytest.fixture
def model_path(tmp_path: Path) -> Path:
    path = tmp_path / "levels.bnet"
    path.write_text(MODEL)
    return path


def test_expand_levels(model_path: Path) -> None:
    model = load_model(model_path)
    assert expand_levels({"X*": 1, "S": 0}, model) == {"X": 1, "X_2": 1, "S": 0}
    assert expand_levels({"X": 1}, model) == {"X": 1}  # today's meaning kept
    assert expand_levels({"X*": 0, "X_2": 0}, model) == {"X": 0, "X_2": 0}
    with pytest.raises(InputError, match=r"'U' is a node without levels.*X\*"):
        expand_levels({"U*": 1}, model, "--set")
    with pytest.raises(InputError, match="'Q' is not a node"):
        expand_levels({"Q*": 1}, model, "--set")
    with pytest.raises(InputError, match=r"X_2 is set to both 0 and 1 \(by X\* and X_2\)"):
        expand_levels({"X*": 1, "X_2": 0}, model, "--set")


def test_parser_keeps_the_star_and_refuses_it_elsewhere() -> None:
    assert parse_assignment("X*=1") == ("X*", 1)
    assert parse_assignment(" X* = 0 ") == ("X*", 0)
    for token in ("*X=1", "X*Y=1", "X**=1", "*=1"):
        with pytest.raises(ValueError):
            parse_assignment(token)


def _attractor_values(args: list[str]) -> list[dict[str, int]]:
    result = CliRunner().invoke(main, ["attractors", *args, "--json"])
    assert result.exit_code == 0, result.output
    return [a["values"] for a in json.loads(result.output)["attractors"]]


def test_attractors_set_clamps_all_levels(model_path: Path) -> None:
    alone = _attractor_values([str(model_path), "--set", "S=0", "--set", "X=1"])
    whole = _attractor_values([str(model_path), "--set", "S=0", "--set", "X*=1"])
    assert [(a["X"], a["X_2"], a["T"]) for a in alone] == [(1, 0, 0)]
    assert [(a["X"], a["X_2"], a["T"]) for a in whole] == [(1, 1, 1)]


def test_bad_star_on_the_command_line_is_one_line(model_path: Path) -> None:
    for args, message in ((["--set", "U*=1"], "'U' is a node without levels"),
                          (["--set", "X*=1", "--set", "X_2=0"], "X_2 is set to both"),
                          (["--set", "X*Y=1"], "expected NODE=0 or NODE=1")):
        result = CliRunner().invoke(main, ["attractors", str(model_path), *args])
        assert result.exit_code == 2, result.output
        assert message in result.output and "Traceback" not in result.output


def _scenario(tmp_path: Path, model_path: Path, tables: str) -> Path:
    path = tmp_path / "s.toml"
    path.write_text(f'name = "s"\nmodel = "{model_path.name}"\n{tables}')
    return path


def test_scenario_star_key_clamps_all_levels(tmp_path: Path, model_path: Path) -> None:
    whole = load_scenario(_scenario(tmp_path, model_path, '[mutations]\n"X*" = 1\n'))
    assert whole.mutations == {"X": 1, "X_2": 1}
    alone = load_scenario(_scenario(tmp_path, model_path, "[mutations]\nX = 1\n"))
    assert alone.mutations == {"X": 1}
    result = CliRunner().invoke(main, ["run", str(tmp_path / "s.toml"), "--json"])
    assert result.exit_code == 0, result.output
    path = _scenario(tmp_path, model_path, '[mutations]\n"X*" = 1\n[expect]\nT = "on"\n')
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0, result.output
    path = _scenario(tmp_path, model_path, '[mutations]\nX = 1\n[expect]\nT = "on"\n')
    assert CliRunner().invoke(main, ["check", str(path)]).exit_code != 0


@pytest.mark.parametrize("tables, message", [
    ('[mutations]\n"U*" = 1\n', "s.toml:4: mutations.U*: 'U*': 'U' is a node without levels"),
    ('[mutations]\n"X*" = 1\nX_2 = 0\n', "'X_2' is set to both 0 and 1 in [mutations]"),
    ('[mutations]\n"X*" = 2\n', "mutations.X*: must be 0 or 1, not 2"),
    ('[inputs]\n"X*" = 1\n', "'X' is not an input of the model"),
])
def test_bad_star_keys_in_scenarios(tmp_path: Path, model_path: Path, tables: str,
                                    message: str) -> None:
    path = _scenario(tmp_path, model_path, tables)
    with pytest.raises(InputError) as error:
        load_scenario(path)
    assert message in str(error.value)


def test_explain_set_clamps_all_levels(tmp_path: Path, model_path: Path) -> None:
    path = _scenario(tmp_path, model_path, "[mutations]\nS = 0\n")
    result = CliRunner().invoke(main, ["explain", str(path), "T", "--set", "X*=1", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["perturbation"] == {"X": 1, "X_2": 1}
    result = CliRunner().invoke(main, ["explain", str(path), "T", "--set", "X=1", "--json"])
    assert json.loads(result.output)["perturbation"] == {"X": 1}
