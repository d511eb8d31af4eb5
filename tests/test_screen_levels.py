"""Screens perturb a node booleanised into levels as a whole with --levels (issue 17)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtorlogic.analysis.plan import plan
from mtorlogic.cli import main
from mtorlogic.expressions import parse
from mtorlogic.levels import level_groups
from mtorlogic.model import Node, make_model
from mtorlogic.scenarios import load_scenario

ROOT = Path(__file__).resolve().parent.parent

# X has a higher level X_2 that S drives; T reads only the higher level. Clamping X alone
# to 1 leaves X_2 off without S; clamping the node (both levels) switches T on.
MODEL = "targets, factors\nS, S\nX, S | X_2\nX_2, X & S\nT, X_2\nU, X | T\n"


def model_of(*names: str):
    return make_model([Node(name, parse(name)) for name in names])


def test_levels_are_recognised_by_name_without_gaps() -> None:
    groups = level_groups(model_of("A", "A_2", "A_3", "B", "B_3", "C", "C_b2", "C_b3",
                                   "D", "D_high", "E_2"))
    assert groups == {"A": ("A", "A_2", "A_3"), "C": ("C", "C_b2", "C_b3"),
                      "D": ("D", "D_high")}  # B_3 has no B_2: another node; E_2 no E
    zanudo = level_groups(load_scenario(
        ROOT / "docs/examples/zanudo2017/alpelisib.toml").model)
    assert "HER2" not in zanudo  # HER2_3 is the HER2:HER3 dimer, not a level of HER2
    assert zanudo["HER2_3"] == ("HER2_3", "HER2_3_2")
    assert zanudo["Proliferation"] == tuple(
        ["Proliferation"] + [f"Proliferation_{k}" for k in (2, 3, 4)])
    bundled = level_groups(load_scenario(ROOT / "scenarios/01_fed.toml").model)
    assert bundled["RAS"] == ("RAS", "RAS_high") and bundled["mTORC1"][1] == "mTORC1_high"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / "levels.bnet").write_text(MODEL, encoding="utf-8")
    (tmp_path / "base.toml").write_text('name = "Base"\nmodel = "levels.bnet"\n',
                                        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def verdicts(*arguments: str) -> tuple[dict, dict]:
    result = CliRunner().invoke(main, ["screen", "base.toml", "-q", "--json", *arguments])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    return data, {tuple(sorted(r["perturbation"].items())): r["verdict"]
                  for r in data["results"]}


def test_a_level_group_is_clamped_at_once(folder: Path) -> None:
    data, alone = verdicts("-t", "T", "--nodes", "X=1,X_2=1")
    assert alone[(("X", 1),)] == "never"  # X_2 stays off: S is off
    assert alone[(("X_2", 1),)] == "always"
    assert "levels" not in data
    data, grouped = verdicts("-t", "T", "--nodes", "X=1,X_2=1", "--levels")
    # X_2 stands for its node: one candidate, X=1 sets both levels
    assert set(grouped) == {(), (("X", 1),)} and grouped[(("X", 1),)] == "always"
    assert data["levels"] == {"X": ["X", "X_2"]}
    # off: every level 0, whatever the higher level's own rule would do
    _, off = verdicts("-t", "U", "--nodes", "X=0", "--levels")
    assert off[(("X", 0),)] == "never"
    text = CliRunner().invoke(main, ["screen", "base.toml", "-q", "-t", "T", "--levels"])
    assert "Levels set together (X=0: all 0, X=1: all 1): X = X + X_2" in text.stdout


def test_plan_with_levels_maps_levels_to_their_node(folder: Path) -> None:
    model = load_scenario("base.toml").model
    chosen = plan([model], nodes=[("X_2", 0), ("T", 1)], drugs=[], max_size=1, levels=True)
    assert chosen.items == (("X", 0), ("T", 1)) and chosen.levels == (("X", ("X", "X_2")),)
    assert plan([model], nodes=None, drugs=[], max_size=1).levels == ()
