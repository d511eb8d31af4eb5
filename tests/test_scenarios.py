"""Scenario files: parsing, defaults, overrides and every validation error (SPEC §3)."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from mtorlogic.errors import InputError
from mtorlogic.formats import bundled_model_path
from mtorlogic.scenarios import bundled_scenarios, load_scenario, load_scenarios

# A, B and D are inputs; X and Y signal.
MODEL = """\
targets, factors
A, A
B, B
D, D
X, A & !D
Y, X | B
"""


def write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).write_text(dedent(text), encoding="utf-8")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write(tmp_path, {"m.bnet": MODEL, "other.bnet": "A, A\nZ, A\n"})
    return tmp_path


def test_full_file_is_parsed(folder: Path) -> None:
    write(folder, {
        "base.toml": 'name = "base"\nmodel = "m.bnet"\n[inputs]\nA = 1\n',
        "full.toml": """\
            name = "Full"
            description = "All the parts."
            model = "m.bnet"
            semantics = "synchronous"
            initial = "base.toml"
            references = ["Liu & Sabatini 2020"]

            [inputs]
            A = 1
            [drugs]
            D = 1
            [mutations]
            Y = 0
            [expect]
            X = "off"
            Y = "off"
            [compare]
            reference = "base.toml"
            higher = ["D"]
            lower = ["X"]
            same = ["Y"]
            """})
    scenario = load_scenario(folder / "full.toml")
    assert scenario.name == "Full"
    assert scenario.description == "All the parts."
    assert scenario.semantics == "synchronous"
    assert scenario.references == ("Liu & Sabatini 2020",)
    assert scenario.model_path == str((folder / "m.bnet").resolve())
    assert scenario.model.inputs == ("A", "B", "D")
    assert dict(scenario.inputs) == {"A": 1}
    assert dict(scenario.drugs) == {"D": 1}
    assert dict(scenario.mutations) == {"Y": 0}
    assert dict(scenario.expect) == {"X": "off", "Y": "off"}
    # Inputs left out are 0; mutations are clamps too.
    assert scenario.clamps == {"A": 1, "B": 0, "D": 1, "Y": 0}
    assert scenario.initial is not None and scenario.initial.name == "base"
    assert scenario.compare is not None
    assert scenario.compare.reference is scenario.initial  # one file, loaded once
    assert scenario.compare.items() == (("D", "higher"), ("X", "lower"), ("Y", "same"))
    assert scenario.label == "full"


def test_defaults(folder: Path) -> None:
    write(folder, {"s.toml": 'name = "s"\nmodel = "m.bnet"\n'})
    scenario = load_scenario(folder / "s.toml")
    assert scenario.semantics == "asynchronous"
    assert scenario.initial is None and scenario.compare is None
    assert scenario.description == "" and scenario.references == ()
    assert scenario.clamps == {"A": 0, "B": 0, "D": 0}


def test_key_identifies_what_the_result_depends_on(folder: Path) -> None:
    write(folder, {
        "one.toml": 'name = "one"\nmodel = "m.bnet"\n[inputs]\nA = 1\n[expect]\nX = "on"\n',
        "two.toml": 'name = "two"\nmodel = "m.bnet"\n[inputs]\nA = 1\nB = 0\n',
        "three.toml": 'name = "three"\nmodel = "m.bnet"\n[inputs]\nA = 1\nB = 1\n'})
    one, two, three = load_scenarios([folder / f for f in ("one.toml", "two.toml",
                                                           "three.toml")])
    assert one.key == two.key  # B left out is B = 0; expectations do not matter
    assert one.key != three.key


def test_bundled_model_by_name_and_default(folder: Path) -> None:
    if not bundled_model_path().is_file():
        pytest.skip("the bundled model has not landed yet")
    write(folder, {"named.toml": 'name = "n"\nmodel = "mtor"\n',
                   "default.toml": 'name = "d"\n'})
    named, default = load_scenarios([folder / "named.toml", folder / "default.toml"])
    assert named.model_path == default.model_path == str(bundled_model_path().resolve())


def test_overrides_reach_initial_and_reference(folder: Path) -> None:
    write(folder, {
        "base.toml": 'name = "base"\nmodel = "other.bnet"\n',
        "s.toml": 'name = "s"\nmodel = "other.bnet"\ninitial = "base.toml"\n'
                  '[compare]\nreference = "base.toml"\nsame = ["A"]\n'})
    scenario = load_scenario(folder / "s.toml", model=folder / "m.bnet",
                             semantics="most-permissive")
    for each in (scenario, scenario.initial, scenario.compare.reference):
        assert each.model_path == str((folder / "m.bnet").resolve())
        assert each.semantics == "most-permissive"


def test_bundled_scenarios_are_sorted_toml_files(tmp_path: Path, monkeypatch) -> None:
    for name in ("b.toml", "a.toml", "notes.txt"):
        (tmp_path / name).write_text("")
    monkeypatch.setattr("mtorlogic.resources.bundled_path", lambda kind: tmp_path)
    assert bundled_scenarios() == (tmp_path / "a.toml", tmp_path / "b.toml")


def test_toml_booleans_are_rejected_with_a_hint(folder: Path) -> None:
    write(folder, {"s.toml": 'name = "s"\nmodel = "m.bnet"\n[inputs]\nA = true\n'})
    with pytest.raises(InputError, match=r"not true \(write 1\)"):
        load_scenario(folder / "s.toml")


HEAD = 'name = "s"\nmodel = "m.bnet"\n'


def case(name: str, files: dict[str, str], key: str | None, line: int | None, text: str,
         where: str = "s.toml"):
    """An invalid set of files: loading the first must fail in file ``where`` at ``line``,
    naming ``key`` and saying ``text``."""
    return pytest.param(files, where, key, line, text, id=name)


R = {"r.toml": HEAD}
ERRORS = [
    case("unknown key", {"s.toml": HEAD + 'descripton = "x"\n'}, "descripton", 3,
         "did you mean 'description'"),
    case("misspelled section", {"s.toml": HEAD + "[drug]\nD = 1\n"}, "drug", 3,
         "unknown section [drug] (did you mean 'drugs'"),
    case("section not a table", {"s.toml": HEAD + "inputs = 1\n"}, "inputs", 3,
         "must be a table"),
    case("missing name", {"s.toml": 'model = "m.bnet"\n'}, "name", None,
         "missing required key"),
    case("empty name", {"s.toml": 'name = " "\nmodel = "m.bnet"\n'}, "name", 1,
         "must not be empty"),
    case("name not a string", {"s.toml": 'name = 3\nmodel = "m.bnet"\n'}, "name", 1,
         "must be a string"),
    case("unknown node in inputs", {"s.toml": HEAD + "[inputs]\nQ = 1\n"}, "inputs.Q", 4,
         "unknown node 'Q'"),
    case("unknown node in mutations", {"s.toml": HEAD + "[mutations]\nXX = 1\n"},
         "mutations.XX", 4, "did you mean 'X'"),
    case("top-level key inside a section", {"s.toml": HEAD + '[inputs]\nA = 1\n'
                                            'semantics = "synchronous"\n'}, "inputs.semantics",
         5, "top-level keys such as 'semantics' go above the first [section]"),
    case("unknown node in expect", {"s.toml": HEAD + '[expect]\nQ = "on"\n'}, "expect.Q", 4,
         "unknown node"),
    case("unknown node in compare", {"s.toml": HEAD + '[compare]\nreference = "r.toml"\n'
                                     'lower = ["Q"]\n', **R}, "compare.lower", 5,
         "unknown node 'Q'"),
    case("input that is not an input", {"s.toml": HEAD + "[inputs]\nX = 1\n"}, "inputs.X", 4,
         "'X' is not an input of the model; clamp it under [mutations]"),
    case("drug that is not an input", {"s.toml": HEAD + "[drugs]\nY = 1\n"}, "drugs.Y", 4,
         "not an input"),
    case("value 2", {"s.toml": HEAD + "[inputs]\nA = 2\n"}, "inputs.A", 4,
         "must be 0 or 1, not 2"),
    case("value string", {"s.toml": HEAD + '[mutations]\nX = "1"\n'}, "mutations.X", 4,
         "must be 0 or 1, not '1'"),
    case("value false", {"s.toml": HEAD + "[drugs]\nD = false\n"}, "drugs.D", 4,
         "not false (write 0)"),
    case("set twice", {"s.toml": HEAD + "[inputs]\nA = 1\n[mutations]\nA = 0\n"}, "inputs.A",
         4, "set in both [mutations] and [inputs]"),
    case("bad expectation", {"s.toml": HEAD + '[expect]\nX = "high"\n'}, "expect.X", 4,
         "expected one of 'on', 'off', 'oscillates', not 'high'"),
    case("bad semantics", {"s.toml": HEAD + 'semantics = "asynchronus"\n'}, "semantics", 3,
         "did you mean 'asynchronous'"),
    case("missing model", {"s.toml": 'name = "s"\nmodel = "gone.bnet"\n'}, "model", 2,
         "model file 'gone.bnet' not found"),
    case("missing initial", {"s.toml": HEAD + 'initial = "gone.toml"\n'}, "initial", 3,
         "scenario file 'gone.toml' not found"),
    case("missing reference", {"s.toml": HEAD + '[compare]\nreference = "gone.toml"\n'},
         "compare.reference", 4, "scenario file 'gone.toml' not found"),
    case("compare without reference", {"s.toml": HEAD + '[compare]\nhigher = ["X"]\n'},
         "compare", 3, "needs a reference"),
    case("unknown compare key", {"s.toml": HEAD + '[compare]\nreference = "r.toml"\n'
                                 'high = ["X"]\n', **R}, "compare.high", 5,
         "did you mean 'higher'"),
    case("node in two compare lists", {"s.toml": HEAD + '[compare]\nreference = "r.toml"\n'
                                       'higher = ["X"]\nsame = ["X"]\n', **R},
         "compare.same", 6, "listed under both 'higher' and 'same'"),
    case("compare list not a list", {"s.toml": HEAD + '[compare]\nreference = "r.toml"\n'
                                     'lower = "X"\n', **R}, "compare.lower", 5,
         "must be a list of node names"),
    case("self initial", {"s.toml": HEAD + 'initial = "s.toml"\n'}, "initial", 3,
         "initial/reference cycle: s.toml -> s.toml"),
    case("self reference", {"s.toml": HEAD + '[compare]\nreference = "s.toml"\n'},
         "compare.reference", 4, "cycle: s.toml -> s.toml"),
    case("two-file cycle", {"a.toml": HEAD + 'initial = "b.toml"\n',
                            "b.toml": HEAD + '[compare]\nreference = "a.toml"\n'},
         "compare.reference", 4, "cycle: a.toml -> b.toml -> a.toml", where="b.toml"),
    case("initial on other nodes", {"s.toml": HEAD + 'initial = "o.toml"\n',
                                    "o.toml": 'name = "o"\nmodel = "other.bnet"\n'},
         "initial", 3, "whose nodes differ"),
    case("references not a list", {"s.toml": HEAD + 'references = "Liu 2020"\n'},
         "references", 3, "must be a list of strings"),
    case("TOML syntax", {"s.toml": HEAD + "[inputs]\nA = \n"}, None, 4, "TOML syntax error"),
    case("TOML unclosed header", {"s.toml": 'name = "s"\n[inputs\n'}, None, 2,
         "TOML syntax error"),
]


@pytest.mark.parametrize("files, where, key, line, text", ERRORS)
def test_validation_errors_name_file_line_and_key(folder: Path, files, where, key, line, text):
    write(folder, files)
    with pytest.raises(InputError) as caught:
        load_scenario(folder / next(iter(files)))
    error = caught.value
    assert Path(error.source).name == where
    assert error.key == key
    assert error.line == line
    assert text in error.message
    assert str(error).startswith(f"{error.source}:")


def test_cycle_is_reported_in_the_file_that_closes_it(folder: Path) -> None:
    write(folder, {"a.toml": HEAD + 'initial = "b.toml"\n',
                   "b.toml": HEAD + 'initial = "a.toml"\n'})
    with pytest.raises(InputError) as caught:
        load_scenario(folder / "a.toml")
    assert Path(caught.value.source).name == "b.toml"
    assert caught.value.key == "initial"


def test_diamond_is_not_a_cycle(folder: Path) -> None:
    write(folder, {"base.toml": HEAD,
                   "mid.toml": HEAD + 'initial = "base.toml"\n',
                   "top.toml": HEAD + 'initial = "mid.toml"\n[compare]\nreference = '
                                      '"base.toml"\nsame = ["X"]\n'})
    top = load_scenario(folder / "top.toml")
    assert top.initial.initial is top.compare.reference


def test_missing_scenario_file(folder: Path) -> None:
    with pytest.raises(InputError, match="no such scenario file") as caught:
        load_scenario(folder / "absent.toml")
    assert caught.value.source.endswith("absent.toml")


def test_bad_model_file_reports_the_model(folder: Path) -> None:
    write(folder, {"broken.bnet": "A, A &\n", "s.toml": 'name = "s"\nmodel = "broken.bnet"\n'})
    with pytest.raises(InputError) as caught:
        load_scenario(folder / "s.toml")
    assert caught.value.source.endswith("broken.bnet") and caught.value.line == 1


def test_unknown_semantics_override_is_an_error(folder: Path) -> None:
    write(folder, {"s.toml": HEAD})
    with pytest.raises(InputError, match="unknown semantics"):
        load_scenario(folder / "s.toml", semantics="fast")


def test_command_line_names_bundled_scenarios(tmp_path: Path, monkeypatch) -> None:
    from mtorlogic.scenarios import resolve_scenario_argument

    (tmp_path / "fed.toml").write_text("")
    monkeypatch.setattr("mtorlogic.resources.bundled_path", lambda kind: tmp_path)
    monkeypatch.chdir(tmp_path.parent)
    assert resolve_scenario_argument("fed") == tmp_path / "fed.toml"
    assert resolve_scenario_argument("fed.toml") == tmp_path / "fed.toml"
    # An existing path wins; an unknown name is reported with the closest bundled name.
    assert resolve_scenario_argument(tmp_path.name) == Path(tmp_path.name)
    with pytest.raises(InputError, match="elsewhere/fed: no such scenario file$"):
        resolve_scenario_argument("elsewhere/fed")
    with pytest.raises(InputError, match="absent: no such scenario file or bundled scenario;"):
        resolve_scenario_argument("absent")
    with pytest.raises(InputError, match=r"\(did you mean 'fed'\?\)"):
        resolve_scenario_argument("FED")


# --- The curated model and its bundled scenarios (issue 9) -------------------------------

import re  # noqa: E402

BEHAVIOUR = re.compile(r"\bbehaviours? ((?:\d+(?:, | and | or |-)?)+)", re.IGNORECASE)


def behaviours_named(description: str) -> set[int]:
    """Behaviour numbers a scenario's description claims ("Behaviour 17", "Behaviours 17 and
    18", "behaviour 15 (chronic ...)")."""
    numbers: set[int] = set()
    for match in BEHAVIOUR.finditer(description):
        numbers.update(int(n) for n in re.findall(r"\d+", match.group(1)))
    return numbers


def test_behaviours_named_reads_descriptions() -> None:
    assert behaviours_named("Behaviour 1 (with 15 and 17). x") == {1}
    assert behaviours_named("Behaviours 17 and 18: y") == {17, 18}
    assert behaviours_named("Point 2 / behaviour 15 (chronic)") == {15}
    assert behaviours_named("Part K: no behaviour here") == set()


def bundled() -> list:
    if not bundled_model_path().is_file():
        pytest.skip("the bundled model has not landed yet")
    return list(load_scenarios(bundled_scenarios()))


def test_every_coverage_behaviour_has_a_scenario() -> None:
    """COVERAGE.md behaviours 1-20 each have a bundled scenario whose description names it."""
    named = set().union(*(behaviours_named(s.description) for s in bundled()))
    assert set(range(1, 21)) - named == set()


def only_inputs_and_constants(model, clamps: dict) -> set[str]:
    """Nodes whose value the scenario's clamps decide outright: the clamped nodes, and nodes
    whose every regulator is an input, a constant or a clamp."""
    decided = set(clamps) | set(model.inputs)
    decided |= {n.name for n in model.nodes if not n.regulators and not n.is_input}
    return decided | {n.name for n in model.nodes if n.regulators and n.regulators <= decided}


@pytest.mark.slow
def test_expectations_test_consequences_not_clamps() -> None:
    """Issue 9 point 10: an [expect] must not restate a clamp, an input or a node that reads
    only inputs, constants and clamps (MTOR_KI, CASTOR1, ComplexI, ATM...)."""
    restating = {}
    for scenario in bundled():
        decided = only_inputs_and_constants(scenario.model, scenario.clamps)
        bad = sorted(set(scenario.expect) & decided)
        if bad:
            restating[scenario.label] = bad
    assert restating == {}


def test_expectation_check_catches_a_restated_clamp(tmp_path: Path) -> None:
    write(tmp_path, {"m.bnet": MODEL,
                     "s.toml": 'name = "s"\nmodel = "m.bnet"\n[inputs]\nA = 1\n'
                               '[mutations]\nY = 0\n[expect]\nY = "off"\nX = "on"\n'})
    scenario = load_scenario(tmp_path / "s.toml")
    decided = only_inputs_and_constants(scenario.model, scenario.clamps)
    assert set(scenario.expect) & decided == {"Y", "X"}  # X = A & !D reads only inputs


def test_every_higher_level_implies_its_canonical_node() -> None:
    """SPEC §2 levels: NAME_high is "at least the higher level", so knocking NAME out must
    force NAME_high off by percolation alone, whatever else is set."""
    from mtorlogic.dynamics.percolation import percolate
    from mtorlogic.dynamics.system import LogicalSystem
    from mtorlogic.formats import load_model

    model = load_model(bundled_model_path())
    levels = [n for n in model.names if n.endswith("_high") and n[:-5] in model.index]
    assert {"IRS1_high", "PI3K_high", "AKT_T308_high", "AKT_S473_high", "mTORC1_high",
            "Autophagy_high"} <= set(levels)
    for high in levels:
        system = LogicalSystem.from_model(model.clamp({high[:-5]: 0}))
        fixed = percolate(system, {})
        assert fixed.get(model.index[high]) == 0, high


@pytest.mark.slow
def test_every_bundled_scenario_holds() -> None:
    """`mtorlogic check` on the bundled scenarios: every expectation of every scenario."""
    from mtorlogic.readouts import evaluate

    cache: dict = {}
    failures = {}
    for scenario in bundled():
        _, findings = evaluate(scenario, cache)
        bad = [f"{f.node}: expected {f.expected}, found {f.found}" for f in findings
               if not f.passed]
        if bad:
            failures[scenario.label] = bad
    assert failures == {}
