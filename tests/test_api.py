"""The notebook API: Python values in, short reprs and tables out, the CLI's answers."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import mtorlogic as mt
from mtorlogic.cli import main
from mtorlogic.model import Model

TOY = {"u": None, "a": "u & !b", "b": "a", "c": "!u"}


def test_lazy_exports_are_listed_and_resolve() -> None:
    for name in ("run_scenario", "load_scenario", "screen", "attractors", "Status",
                 "Verdict", "Model", "find_attractors"):
        assert name in dir(mt) and getattr(mt, name) is not None
    with pytest.raises(AttributeError, match="nope"):
        mt.nope  # noqa: B018


def test_model_from_dict_and_text_agree() -> None:
    from_dict = Model.from_dict(TOY, name="toy")
    from_text = Model.from_text("u, u\na, u & !b\nb, a\nc, !u\n", "bnet", name="toy")
    assert from_dict.names == from_text.names == ("u", "a", "b", "c")
    assert from_dict.inputs == ("u",)
    assert [dict(a.values) for a in mt.find_attractors(from_dict)] == \
        [dict(a.values) for a in mt.find_attractors(from_text)]
    with pytest.raises(mt.InputError, match="toy: a"):
        Model.from_dict({"u": None, "a": "u &"}, name="toy")
    with pytest.raises(mt.InputError, match="unknown node"):
        Model.from_dict({"a": "zz"})
    with pytest.raises(mt.InputError, match="unknown format 'xls'"):
        Model.from_text("", "xls")


def test_fixed_inputs_sets_the_others_to_0_like_a_scenario() -> None:
    model = Model.from_dict({"u": None, "v": None, "a": "u | v"})
    assert model.fixed_inputs({"u": 0}).functions["v"] != model.functions["v"]
    [off] = mt.find_attractors(model.fixed_inputs({"u": 0}))
    assert off.values == {"u": 0, "v": 0, "a": 0}
    free = mt.find_attractors(model.fixed_inputs({"u": 0}, others=None))
    assert sorted(a.values["v"] for a in free) == [0, 1]  # v free: both environments
    with pytest.raises(mt.InputError, match="did you mean 'u'"):
        model.fixed_inputs({"U": 1})


def test_reprs_are_short() -> None:
    model = mt.load_model("mtor")
    constants = sum(1 for node in model.nodes if not node.regulators and not node.is_input)
    assert repr(model) == (f"<Model 'mtor': {len(model.nodes)} nodes, {len(model.inputs)} "
                           f"inputs, {constants} constant>")
    found = mt.find_attractors(model.fixed_inputs({"Insulin": 1, "Leucine": 1,
                                                   "Arginine": 1, "Glucose": 1,
                                                   "Oxygen": 1}))
    [attractor] = found
    assert len(repr(attractor)) < 200
    assert repr(attractor).startswith("<Attractor, fixed point: " if attractor.size == 1
                                      else f"<Attractor, {attractor.size:,} states: ")
    assert "<table>" in model._repr_html_()


@pytest.mark.slow
def test_run_scenario_matches_the_command_line(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = mt.run_scenario("08_rapamycin_acute")
    assert result.status["mTORC1"] is mt.Status.OFF
    assert result.status["mTORC1_kinase"] == "on"  # Status is a str enum
    cli = json.loads(CliRunner().invoke(main, ["run", "--json", "08_rapamycin_acute"]).stdout)
    assert {n: v["status"] for n, v in cli["scenarios"][0]["nodes"].items()} == \
        {n: str(s) for n, s in result.status.items()}
    assert repr(result).startswith("<ScenarioResult 08_rapamycin_acute: 1 attractor reached")
    assert "mTORC1_" in result.summary() and "<pre>" in result._repr_html_()
    frame = result.to_dataframe()
    assert frame.loc["mTORC1", "status"] == "off" and len(frame) == len(result.scenario.model.nodes)
    with pytest.raises(mt.InputError, match="did you mean '01_fed'"):
        mt.load_scenario("fed")


@pytest.mark.slow
def test_attractors_say_how_many_inputs_are_free() -> None:
    model = Model.from_dict(TOY, name="toy")
    free = mt.attractors(model)
    assert free.free_inputs == ("u",)
    assert repr(free) == ("<2 asynchronous attractors of 'toy'; 1 inputs free, so they "
                          "cover 2 environments>")
    assert "1 of 1 inputs are free (u): the attractors cover all 2 combinations" in \
        free.summary()
    fixed = mt.attractors(model, inputs={"u": 1})
    assert fixed.free_inputs == () and len(fixed) == 1
    assert "free" not in fixed.summary()
    assert list(fixed.to_dataframe().columns) == ["size", "fixed_point", "u", "a", "b", "c"]


def test_attractor_limit_with_free_inputs_suggests_setting_them() -> None:
    switches = {f"s{i}": None for i in range(5)} | {"a": "!c", "b": "a", "c": "b"}
    model = Model.from_dict(switches)
    with pytest.raises(mt.LimitExceeded, match=r"with 5 inputs free \(32 combinations.*"
                                               r"set them \(inputs=..., others=0\)"):
        mt.attractors(model, semantics="most-permissive",
                      limits=mt.Limits(trap_spaces=31, explicit_nodes=2))
    assert len(mt.attractors(model, others=0, semantics="most-permissive",
                             limits=mt.Limits(trap_spaces=31, explicit_nodes=2))) == 1


def test_screen_takes_python_values() -> None:
    result = mt.screen("13_tsc_loss_no_insulin", "!mTORC1 & !AKT_S473",
                       nodes=["RHEB", ("TSC", 1)], max_size=1)
    assert result.verdict({"RHEB": 0}) is mt.Verdict.ALWAYS
    assert result.verdict({"RHEB": 1}) is mt.Verdict.NEVER
    assert sorted(result.minimal, key=str) == [{"RHEB": 0}, {"TSC": 1}]
    assert repr(result).startswith("<ScreenResult '!mTORC1 & !AKT_S473': 4 perturbations")
    frame = result.to_dataframe()
    assert set(frame["verdict"]) <= {"always", "sometimes", "never"} and len(frame) == 4
    with pytest.raises(mt.InputError, match="was not screened"):
        result.verdict({"PTEN": 0})


@pytest.mark.slow
def test_heat_map_leaves_the_matplotlib_backend_alone(tmp_path) -> None:
    import matplotlib

    from mtorlogic.analysis.plot import heat_map

    before = matplotlib.get_backend()
    matplotlib.use("svg")  # a backend heat_map has no reason to pick
    result = mt.screen("01_fed", "EIF4EBP1", nodes="none", max_size=2)
    heat_map(result.report, tmp_path / "pairs.png")
    assert (tmp_path / "pairs.png").stat().st_size > 0
    assert matplotlib.get_backend() == "svg"
    matplotlib.use(before)
