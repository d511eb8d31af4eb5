"""bench/published_models.py: its mapping names only real nodes, and the harness computes
the statuses it reports (on one small published model and the curated one)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from mtorlogic import load_model
from mtorlogic.errors import InputError

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "bench" / "published_models.py"


@pytest.fixture(scope="module")
def harness():
    spec = importlib.util.spec_from_file_location("published_models", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


@pytest.fixture(scope="module")
def mapping(harness):
    return harness.load_mapping()


@pytest.mark.slow
def test_every_mapping_names_only_nodes_of_its_model_and_sets_every_input(harness, mapping):
    assert {spec.key for spec in mapping.models} >= {
        "mtorlogic", "flobak2015", "zanudo2017", "zanudo2021", "sizek2019", "montagud2022",
        "dutta2019"}
    for spec in mapping.models:
        model = load_model(harness.model_path(spec))
        harness.validate(spec, model, str(mapping.path))  # raises on any unknown node
        assert spec.readouts, spec.key
        # every model expresses the core knockouts of the comparison (Dutta 2019 has no MEK)
        assert {"pi3k_ko", "akt_ko", "tsc_ko", "mtorc1_ko", "gf_off"} <= set(
            spec.perturbations), spec.key
        # and its basal condition fixes every input
        assert set(model.inputs) <= set(spec.basal_clamps(model)), spec.key


def test_a_misspelt_node_in_the_mapping_is_reported_with_its_key(harness, tmp_path):
    text = harness.DEFAULT_MAPPING.read_text(encoding="utf-8")
    assert 'akt_ko = { AKT = 0 }' in text
    bad = tmp_path / "mapping.toml"
    bad.write_text(text.replace('akt_ko = { AKT = 0 }', 'akt_ko = { AKTT = 0 }', 1),
                   encoding="utf-8")
    broken = harness.load_mapping(bad)
    spec = next(s for s in broken.models if s.perturbations.get("akt_ko") == {"AKTT": 0})
    with pytest.raises(InputError, match=r"perturbations\.akt_ko.*AKTT"):
        harness.validate(spec, load_model(harness.model_path(spec)), str(bad))


def test_an_input_left_out_of_the_environment_is_refused(harness, mapping):
    spec = mapping.model("zanudo2017")
    environment = {k: v for k, v in spec.environment.items() if k != "Everolimus"}
    from dataclasses import replace
    with pytest.raises(InputError, match="Everolimus.*left free"):
        harness.validate(replace(spec, environment=environment),
                         load_model(harness.model_path(spec)), "mapping")


@pytest.mark.slow
def test_harness_on_zanudo2017_applies_each_knockout(harness, mapping):
    spec = mapping.model("zanudo2017")
    model = load_model(harness.model_path(spec))
    runs = harness.run_model(spec, model, ["pi3k_ko", "mek_ko", "tsc_ko", "mtorc1_ko"])
    assert list(runs) == ["basal", "pi3k_ko", "mek_ko", "tsc_ko", "mtorc1_ko"]
    basal = runs["basal"].status
    assert basal["mTORC1"] == basal["S6K1"] == basal["Akt"] == "on"
    assert basal["FOXO"] == "off"
    # The authors' logic: mTORC1 = (!TSC | !PRAS40) with both freed by Akt, so losing PI3K
    # (both levels) shuts mTORC1 and frees FOXO3, while MEK/ERK loss leaves mTORC1 on.
    assert runs["pi3k_ko"].status["mTORC1"] == "off"
    assert runs["pi3k_ko"].status["FOXO"] == "on"
    assert runs["mek_ko"].status["mTORC1"] == "on"
    assert runs["mek_ko"].status["ERK"] == "off"
    assert "ERK" in runs["mek_ko"].clamped and "ERK" not in runs["pi3k_ko"].clamped
    assert runs["mtorc1_ko"].status["S6K1"] == "off"
    assert "mTORC1" in runs["mtorc1_ko"].clamped


@pytest.mark.slow
def test_compound_readouts_are_exact_output_nodes(harness, mapping):
    from dataclasses import replace

    spec = mapping.model("mtorlogic")
    model = load_model("mtor")
    augmented, nodes = harness.readout_nodes(spec, model)
    assert nodes["mTORC1"] == "mTORC1"             # a single node is read directly
    assert nodes["Akt"] == "readout__Akt" and nodes["p4EBP1"] == "readout__p4EBP1"
    assert len(augmented) == len(model) + 2
    # A negated readout beside its node: opposite where fixed, both oscillating otherwise.
    probe = replace(spec, readouts={"p": "!EIF4EBP1", "raw": "EIF4EBP1",
                                    "either": "mTORC1 | S6K1", "S6K1": "S6K1"})
    opposite = {"on": "off", "off": "on", "oscillates": "oscillates", "mixed": "mixed"}
    runs = harness.run_model(probe, model, ["mtorc1_ko", "gf_off", "aa_off"])
    assert len(runs) == 4
    for condition in runs.values():
        assert condition.error is None
        assert condition.status["p"] == opposite[condition.status["raw"]]
    # under an mTORC1 knockout both nodes of "either" are off, so it is off, and exactly
    # the readouts naming only clamped nodes are flagged
    assert runs["mtorc1_ko"].status["either"] == "off"
    assert runs["mtorc1_ko"].clamped == frozenset()
    assert harness.run_model(replace(probe, readouts={"m": "mTORC1 & mTORC1_kinase"}), model,
                             ["mtorc1_ko"])["mtorc1_ko"].clamped == {"m"}


@pytest.mark.parametrize("ours, theirs, expected", [
    ("on", "on", "agree"), ("on", "off", "differ"), ("oscillates", "on", "partial"),
    ("mixed", "oscillates", "partial"), (None, "on", "n/a"), ("off", None, "n/a")])
def test_agreement_classes(harness, ours, theirs, expected):
    assert harness.agreement(ours, theirs) == expected


@pytest.mark.slow
def test_markdown_and_json_from_a_small_comparison(harness, mapping, tmp_path):
    out = tmp_path / "published"
    assert harness.main(["--only", "zanudo2017", "--out", str(out)]) == 0
    import json
    result = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert [m["key"] for m in result["models"]] == ["mtorlogic", "zanudo2017"]
    row = next(r for r in result["table"]
               if r["perturbation"] == "mtorc1_ko" and r["readout"] == "mTORC1")
    assert row["models"]["zanudo2017"]["agreement"] == "clamp"   # restates both clamps
    counts = result["summary"]["per_model"]["zanudo2017"]
    assert sum(counts.values()) > 0
    text = out.with_suffix(".md").read_text(encoding="utf-8")
    assert "## PI3K knockout (`pi3k_ko`)" in text and "| zanudo2017 |" in text


def test_a_search_that_hits_a_limit_is_recorded_not_fatal(harness, mapping):
    from mtorlogic.dynamics.results import Limits

    spec = mapping.model("dutta2019")      # three basal attractors: one trap space is too few
    runs = harness.run_model(spec, load_model(harness.model_path(spec)), ["tsc_ko"],
                             limits=Limits(trap_spaces=1))
    assert set(runs) == {"basal", "tsc_ko"}
    for condition in runs.values():
        assert condition.status == {} and condition.attractors == 0
        assert "trap spaces" in condition.error
    assert harness.agreement("on", runs["tsc_ko"].status.get("mTORC1")) == "n/a"
