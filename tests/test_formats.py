"""Model formats: round trips without loss of logic, names, errors with file and line, and
cross-checks against independent readers (biodivine-aeon, PyBoolNet, libSBML)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from mtorlogic.errors import InputError
from mtorlogic.expressions import conjunction, disjunction, negation, parse, symbol, to_text
from mtorlogic.formats import load_model
from mtorlogic.formats.bnet import format_bnet, parse_bnet
from mtorlogic.formats.booleannet import format_booleannet, parse_booleannet
from mtorlogic.formats.rules import format_rules, parse_rules
from mtorlogic.formats.sbml import format_sbml, parse_sbml
from mtorlogic.logic import FunctionAlgebra
from mtorlogic.model import Model, input_node

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "tests" / "data" / "bench"

FORMATS = {
    "rules": (format_rules, parse_rules),
    "bnet": (format_bnet, parse_bnet),
    "sbml": (format_sbml, parse_sbml),
    "booleannet": (format_booleannet, parse_booleannet),
}

def bench_files(*folders: str, suffixes=(".bnet", ".booleannet")) -> list:
    if not BENCH.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{BENCH} is absent"))]
    params = []
    for folder in folders:
        for path in sorted((BENCH / folder).iterdir()):
            if path.suffix not in suffixes:
                continue
            params.append(pytest.param(path, id=f"{folder}/{path.name}"))
    return params


def assert_same_logic(expected: Model, found: Model, *, same_order: bool = True) -> None:
    """Same nodes, same inputs, and every update function equivalent (exactly, by BDD)."""
    if same_order:
        assert found.names == expected.names
    else:
        assert sorted(found.names) == sorted(expected.names)
    assert set(found.inputs) == set(expected.inputs)
    algebra = FunctionAlgebra(expected.names)
    # The same text is the same function; BDDs decide the rest (they cost seconds on the
    # largest bench models, whose rules run to thousands of literals).
    different = [name for name in expected.names
                 if to_text(expected.functions[name]) != to_text(found.functions[name])
                 and not algebra.equivalent(expected.functions[name], found.functions[name])]
    assert not different, f"update functions differ for {different[:5]}"


def round_trip(model: Model, fmt: str) -> Model:
    write, read = FORMATS[fmt]
    return read(write(model), source=f"round-trip.{fmt}", name=model.name)


def line_of(text: str, marker: str) -> int:
    return text[:text.index(marker)].count("\n") + 1


def raises_at(source: str, line: int, *words: str):
    """Context manager: an InputError whose message starts with ``source:line:`` and
    mentions each of ``words``."""
    class Check:
        def __enter__(self):
            self.context = pytest.raises(InputError)
            self.info = self.context.__enter__()
            return self.info

        def __exit__(self, *exc):
            handled = self.context.__exit__(*exc)
            message = str(self.info.value)
            assert message.startswith(f"{source}:{line}:"), message
            for word in words:
                assert word in message, message
            return handled

    return Check()


# ------------------------------------------------------------------------- round trips

@pytest.mark.slow
@pytest.mark.parametrize("path", bench_files("models", "random", "mtor"))
def test_bench_model_keeps_its_logic_through_every_format(path):
    original = load_model(path)
    model = original
    # A chain through every format, each step checked against the original file.
    for fmt in ("rules", "bnet", "sbml", "booleannet"):
        model = round_trip(model, fmt)
        assert_same_logic(original, model)


def test_both_booleannet_files_load_and_zanudo2017_matches_its_bnet_version():
    if not BENCH.is_dir():
        pytest.skip(f"{BENCH} is absent")
    mtor = BENCH / "mtor"
    newer = load_model(mtor / "BreastCancerModel_ZanudoEtAl2020.booleannet")
    assert len(newer) == 100 and "mTORC1" in newer
    older = load_model(mtor / "BreastCancerModel_ZanudoEtAl2017.booleannet")
    assert_same_logic(load_model(mtor / "zanudo2017_breast_pi3k_resistance.bnet"), older,
                      same_order=False)


ANNOTATED = """\
# A comment line, then a description directly above its input
#: Leucine available to the cell
#: (second description line)
input Leucine  [Wolfson 2016, Science 351:43]
input Insulin
#: Rag heterodimer "on"; 1 = recruits mTORC1
RAG = Leucine & !GATOR1   [Liu & Sabatini 2020, Nat Rev Mol Cell Biol 21:183; Inoki 2003]
GATOR1 = !Leucine         # a trailing comment [not a citation
mTORC1 = RAG & (Insulin | 1) & !0  [a #hash, inside: brackets]
Self = Self   [an input written as a rule]
"""


def test_rules_parse_descriptions_citations_and_inputs():
    model = parse_rules(ANNOTATED, source="a.rules")
    leucine, insulin, rag, gator1, mtorc1, self_node = model.nodes
    assert leucine.description == "Leucine available to the cell (second description line)"
    assert leucine.citation == "Wolfson 2016, Science 351:43" and leucine.is_input
    assert insulin.is_input and insulin.description == "" and insulin.line == 5
    assert rag.description == 'Rag heterodimer "on"; 1 = recruits mTORC1'
    assert rag.citation == "Liu & Sabatini 2020, Nat Rev Mol Cell Biol 21:183; Inoki 2003"
    assert rag.function == parse("Leucine & !GATOR1")
    assert gator1.citation == "" and gator1.function == negation(symbol("Leucine"))
    assert mtorc1.citation == "a #hash, inside: brackets"
    assert self_node.is_input and self_node.citation == "an input written as a rule"
    assert model.inputs == ("Leucine", "Insulin", "Self")
    assert [node.line for node in model.nodes] == [4, 5, 7, 8, 9, 10]


def test_description_must_be_directly_above():
    model = parse_rules("#: lost\n\ninput A\n#: also lost\n# comment\nB = A\n", source="x")
    assert [node.description for node in model.nodes] == ["", ""]


@pytest.mark.parametrize("fmt", ["rules", "sbml"])
def test_descriptions_and_citations_survive(fmt):
    model = parse_rules(ANNOTATED, source="a.rules")
    again = round_trip(model, fmt)
    assert_same_logic(model, again)
    for before, after in zip(model.nodes, again.nodes):
        assert (after.description, after.citation) == (before.description, before.citation)


def test_rules_writer_aligns_rules_and_writes_inputs_and_descriptions():
    text = format_rules(parse_rules(ANNOTATED, source="a.rules"))
    rules = [line for line in text.splitlines() if line and not line.startswith(("#", "input "))]
    assert len(rules) == 3 and len({line.index(" = ") for line in rules}) == 1
    assert "#: Leucine available to the cell (second description line)" in text
    cited = [line for line in text.splitlines() if line.endswith("]")]
    assert len(cited) == 4 and len({line.index("  [") for line in cited}) == 1
    assert re.search(r"^input Leucine +\[Wolfson 2016, Science 351:43\]$", text, re.M)
    assert re.search(r"^input Self +\[an input written as a rule\]$", text, re.M)


def test_rules_writer_puts_long_citations_right_after_long_rules():
    text = format_rules(parse_rules("input A\nB = A [x]\nC = " + " & ".join(["A"] * 30)
                                    + " [long]\n", source="x"))
    assert text.splitlines()[-1].endswith("A & A  [long]")


def test_rules_writer_keeps_citations_with_brackets_readable():
    odd = Model((input_node("A", citation="see [1]\nand [2]"),))
    assert round_trip(odd, "rules").nodes[0].citation == "see (1) and (2)"


# --------------------------------------------------------------------------------- names

KEYWORD_NAMES = """\
input in
input input
next = in & !MAX
MAX = next | input
and = !or
or = not & in
not = true
true = !and
"""


@pytest.mark.parametrize("fmt", ["rules", "bnet", "sbml"])
def test_names_that_are_keywords_elsewhere_survive(fmt):
    text = KEYWORD_NAMES
    if fmt == "bnet":  # true/false are BNET constants (as aeon writes them), not names
        text = text.replace("true", "yes")
    model = parse_rules(text, source="k.rules")
    assert model.names[:7] == ("in", "input", "next", "MAX", "and", "or", "not")
    assert model.inputs == ("in", "input")
    assert model.functions["or"] == parse("not & in")
    assert_same_logic(model, round_trip(model, fmt))


@pytest.mark.parametrize("name", ["true", "false", "True", "False"])
def test_bnet_writer_refuses_names_it_would_read_as_constants(name):
    model = parse_rules(f"input {name}\nB = {name}\n", source="k.rules")
    with pytest.raises(InputError, match=f"'{name}' is a constant in BNET"):
        format_bnet(model)


def test_booleannet_keeps_names_that_are_not_its_operators():
    model = parse_rules("input in\ninput input\nnext = in & !MAX\nMAX = next | input\n",
                        source="k.rules")
    text = format_booleannet(model)
    assert "next* = in and not MAX" in text
    assert_same_logic(model, round_trip(model, "booleannet"))


@pytest.mark.parametrize("name", ["and", "or", "not", "true", "True", "false"])
def test_booleannet_writer_refuses_names_it_would_read_as_operators(name):
    model = parse_rules(f"input {name}\n", source="k.rules")
    with pytest.raises(InputError, match=name):
        format_booleannet(model)


def test_input_keyword_needs_a_single_name():
    model = parse_rules("input = A\ninput A\ninputs = input\n", source="x")
    assert model.functions["input"] == symbol("A") and "input" not in model.inputs
    assert model.inputs == ("A",)


def test_sbml_ids_for_names_that_are_not_sbml_ids_are_restored():
    text = ("input p-AKT\np_AKT = !p-AKT\n4EBP1 = p_AKT & p-AKT\nx.y:z' = 4EBP1\n"
            "cell = x.y:z'\ntr_cell = cell\n")
    model = parse_rules(text, source="n.rules")
    xml = format_sbml(model)
    ids = re.findall(r'qual:qualitativeSpecies qual:id="([^"]+)"', xml)
    assert len(set(ids)) == len(ids) == 6
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", identifier) for identifier in ids)
    assert ids[1] == "p_AKT" and ids[4] == "cell"  # valid ids are kept as they are
    again = parse_sbml(xml, source="n.sbml")
    assert again.names == model.names
    assert_same_logic(model, again)


def test_sbml_reader_uses_ids_unless_the_name_was_mapped_by_a_writer():
    species = ('<qual:qualitativeSpecies qual:id="S1" qual:name="AKT" qual:maxLevel="1" '
               'qual:compartment="c" qual:constant="false"/>'
               '<qual:qualitativeSpecies qual:id="p_AKT" qual:name="p-AKT" '
               'qual:compartment="c" qual:constant="false"/>'
               '<qual:qualitativeSpecies qual:id="a_b" qual:name="a-b" '
               'qual:compartment="c" qual:constant="false"/>'
               '<qual:qualitativeSpecies qual:id="a_b_2" qual:name="a-b" '
               'qual:compartment="c" qual:constant="false"/>'
               '<qual:qualitativeSpecies qual:id="xy" qual:name="complex of x and y" '
               'qual:compartment="c" qual:constant="false"/>')
    model = parse_sbml(qual_document(species, ""), source="i.sbml")
    # "AKT" is a valid id the writer would have kept; "a-b" is not unique; spaces are no name.
    assert model.names == ("S1", "p-AKT", "a_b", "a_b_2", "xy")
    assert model.inputs == model.names


# ------------------------------------------------------------------------- SBML details

def qual_document(species: str, transitions: str, *, qual: str | None = None) -> str:
    qual = qual or "http://www.sbml.org/sbml/level3/version1/qual/version1"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" level="3" version="1"\n'
        f'      xmlns:qual="{qual}" qual:required="true">\n'
        '  <model id="m">\n'
        '    <qual:listOfQualitativeSpecies>\n'
        f'{species}\n'
        '    </qual:listOfQualitativeSpecies>\n'
        '    <qual:listOfTransitions>\n'
        f'{transitions}\n'
        '    </qual:listOfTransitions>\n'
        '  </model>\n'
        '</sbml>\n')


def species_xml(*names: str, extra: str = 'qual:constant="false" qual:maxLevel="1"') -> str:
    return "\n".join(f'      <qual:qualitativeSpecies qual:id="{name}" qual:compartment="c" '
                     f'{extra}/>' for name in names)


def transition_xml(output: str, terms: str, default: int = 0) -> str:
    return (f'      <qual:transition qual:id="t_{output}">\n'
            '        <qual:listOfOutputs>\n'
            f'          <qual:output qual:qualitativeSpecies="{output}" '
            'qual:transitionEffect="assignmentLevel"/>\n'
            '        </qual:listOfOutputs>\n'
            '        <qual:listOfFunctionTerms>\n'
            f'          <qual:defaultTerm qual:resultLevel="{default}"/>\n'
            f'{terms}\n'
            '        </qual:listOfFunctionTerms>\n'
            '      </qual:transition>')


def term(math: str, level: int = 1) -> str:
    return (f'          <qual:functionTerm qual:resultLevel="{level}">\n'
            f'            <math xmlns="http://www.w3.org/1998/Math/MathML">{math}</math>\n'
            '          </qual:functionTerm>')


def compare(relation: str, first: str, second: str) -> str:
    def operand(text: str) -> str:
        return f"<cn type=\"integer\">{text}</cn>" if text.isdigit() else f"<ci> {text} </ci>"
    return f"<apply><{relation}/>{operand(first)}{operand(second)}</apply>"


def read_function(math: str, *, level: int = 1, default: int = 0) -> object:
    xml = qual_document(species_xml("A", "B", "C"),
                        transition_xml("A", term(math, level), default))
    return parse_sbml(xml, source="f.sbml").functions["A"]


B, C = symbol("B"), symbol("C")


@pytest.mark.parametrize("math, expected", [
    (compare("eq", "B", "1"), B),
    (compare("eq", "1", "B"), B),
    (compare("eq", "B", "0"), negation(B)),
    (compare("neq", "B", "0"), B),
    (compare("neq", "1", "B"), negation(B)),
    (compare("geq", "B", "1"), B),
    (compare("gt", "1", "B"), negation(B)),
    (compare("gt", "B", "0"), B),
    (compare("leq", "B", "0"), negation(B)),
    (compare("lt", "0", "B"), B),
    (compare("geq", "B", "0"), parse("1")),
    (compare("gt", "B", "1"), parse("0")),
    (compare("eq", "B", "C"), parse("B & C | !B & !C")),
    ("<true/>", parse("1")),
    ("<apply><and/>" + compare("eq", "B", "1") + "<false/></apply>", parse("0")),
    ("<apply><not/>" + compare("eq", "B", "1") + "</apply>", negation(B)),
    ("<apply><implies/>" + compare("eq", "B", "1") + compare("eq", "C", "1") + "</apply>",
     parse("!B | C")),
    ("<apply><xor/>" + compare("eq", "B", "1") + compare("eq", "C", "1") + "</apply>",
     parse("B & !C | !B & C")),
    ("<apply><or/>" + compare("eq", "B", "1") + compare("eq", "C", "0") + "</apply>",
     parse("B | !C")),
])
def test_sbml_mathml_subset(math, expected):
    algebra = FunctionAlgebra(["A", "B", "C"])
    assert algebra.equivalent(read_function(math), expected)


def test_sbml_function_term_with_result_level_0_and_default_1():
    function = read_function(compare("eq", "B", "1"), level=0, default=1)
    assert FunctionAlgebra(["A", "B", "C"]).equivalent(function, negation(B))


def test_sbml_first_matching_function_term_wins():
    terms = term(compare("eq", "B", "1"), level=0) + "\n" + term(compare("eq", "C", "1"))
    xml = qual_document(species_xml("A", "B", "C"), transition_xml("A", terms))
    function = parse_sbml(xml, source="f.sbml").functions["A"]
    assert FunctionAlgebra(["A", "B", "C"]).equivalent(function, parse("!B & C"))


def test_sbml_species_without_transition():
    species = "\n".join([
        species_xml("Free"),
        species_xml("On", extra='qual:constant="true" qual:initialLevel="1"'),
        species_xml("Off", extra='qual:constant="true" qual:initialLevel="0"'),
        species_xml("Fixed", extra='qual:constant="true"'),
        species_xml("Started", extra='qual:constant="false" qual:initialLevel="1"')])
    model = parse_sbml(qual_document(species, ""), source="c.sbml")
    assert model.inputs == ("Free", "Fixed", "Started")
    assert model.functions["On"] == parse("1") and model.functions["Off"] == parse("0")


@pytest.mark.slow
def test_sbml_reads_very_deep_mathml_and_writes_it_back():
    # Binary and/or chains as biodivine-aeon writes them for BBM's SARS-CoV-2 map.
    depth = 3000
    math = "".join("<apply><or/>" + compare("eq", "B" if i % 2 else "C", "1")
                   for i in range(depth)) + compare("eq", "B", "0") + "</apply>" * depth
    xml = qual_document(species_xml("A", "B", "C"), transition_xml("A", term(math)))
    model = parse_sbml(xml, source="deep.sbml")
    algebra = FunctionAlgebra(model.names)
    assert algebra.equivalent(model.functions["A"], parse("1"))
    assert_same_logic(model, round_trip(model, "sbml"))


@pytest.mark.slow
def test_sbml_writer_output_is_valid_for_libsbml():
    import libsbml  # a test dependency: the reference validator for SBML-qual
    model = parse_rules(ANNOTATED + "p-AKT = !RAG\nK = 0\n", source="a.rules")
    document = libsbml.readSBMLFromString(format_sbml(model))
    assert document.getNumErrors() == 0
    assert document.checkConsistency() == 0, document.getErrorLog().toString()
    qual = document.getModel().getPlugin("qual")
    assert qual.getNumQualitativeSpecies() == len(model)
    assert qual.getNumTransitions() == len(model)


# -------------------------------------------------------------------- cross-checks

def aeon_bnet(network) -> Model:
    return parse_bnet(network.to_bnet(), source="aeon.bnet")


CROSS_CHECKED = ["mtor/zanudo2018_control_of_proliferation.bnet",
                 "mtor/verlingue2016_geroconversion.bnet",
                 "models/bbm063_lac_operon__in1.bnet",
                 "random/rand_n9_s2002.bnet",
                 "mtor/BreastCancerModel_ZanudoEtAl2020.booleannet"]


def cross_checked(name: str) -> Model:
    if not BENCH.is_dir():
        pytest.skip(f"{BENCH} is absent")
    return load_model(BENCH / name)


@pytest.mark.parametrize("name", CROSS_CHECKED)
def test_aeon_reads_our_sbml_as_the_same_network(name):
    aeon = pytest.importorskip("biodivine_aeon")
    model = cross_checked(name)
    network = aeon.BooleanNetwork.from_sbml(format_sbml(model))
    assert_same_logic(model, aeon_bnet(network), same_order=False)
    assert sorted(network.input_names()) == sorted(model.inputs)


@pytest.mark.parametrize("name", CROSS_CHECKED)
def test_we_read_aeons_sbml_as_the_same_network(name):
    aeon = pytest.importorskip("biodivine_aeon")
    model = cross_checked(name)
    network = aeon.BooleanNetwork.from_bnet(format_bnet(model))
    assert_same_logic(model, parse_sbml(network.to_sbml(), source="aeon.sbml"),
                      same_order=False)


def test_we_read_aeons_booleannet_and_aeon_reads_ours():
    aeon = pytest.importorskip("biodivine_aeon")
    model = cross_checked("mtor/zanudo2021_breast_er_pi3k_inhibitors.bnet")
    ours = parse_booleannet(aeon.BooleanNetwork.from_bnet(format_bnet(model)).to_booleannet(),
                            source="aeon.booleannet")
    assert_same_logic(model, ours, same_order=False)
    theirs = aeon.BooleanNetwork.from_booleannet(format_booleannet(model))
    assert_same_logic(model, aeon_bnet(theirs), same_order=False)


@pytest.mark.parametrize("name", [name for name in CROSS_CHECKED if name.endswith(".bnet")])
def test_our_bnet_reading_agrees_with_pyboolnet(name):
    file_exchange = pytest.importorskip("pyboolnet.file_exchange")
    model = cross_checked(name)
    primes = file_exchange.bnet2primes(str(BENCH / name))
    assert sorted(primes) == sorted(model.names)
    algebra = FunctionAlgebra(model.names)
    for node, (_, on) in primes.items():
        function = disjunction(conjunction(symbol(n) if v else negation(symbol(n))
                                           for n, v in implicant.items()) for implicant in on)
        assert algebra.equivalent(function, model.functions[node]), node


# -------------------------------------------------------------------------------- errors

@pytest.mark.parametrize("text, line, words", [
    ("input A\nB = A &\n", 2, ["ends too early"]),
    ("input A\nB = A & )\n", 2, ["')'"]),
    ("input A\n\nB = A\nB = !A\n", 4, ["duplicate", "'B'", "line 3"]),
    ("input A\nB = A & C\n", 2, ["unknown", "C"]),
    ("input A\nA B = A\n", 2, ["bad node name", "'A B'"]),
    ("input A\n0 = A\n", 2, ["bad node name", "'0'"]),
    ("input A\nB$ = A\n", 2, ["bad node name"]),
    ("input A\ninput 1\n", 2, ["bad node name", "'1'"]),
    ("input A\nB = A [Smith 2020\n", 2, ["unterminated"]),
    ("input A\nB = A [Smith] [Jones]\n", 2, ["more than one"]),
    ("input A\nB = A [Smith] & A\n", 2, ["after the citation"]),
    ("input A\nB = A [Smith [1]]\n", 2, ["cannot nest"]),
    ("input A\nB = A] \n", 2, ["']'"]),
    ("input A\nB A\n", 2, ["expected 'NAME = EXPRESSION' or 'input NAME'"]),
    ("input A\nB =   [cite]\n", 2, ["no expression"]),
    ("input A\ninput A B\n", 2, ["expected"]),
])
def test_rules_errors_name_file_and_line(text, line, words):
    with raises_at("bad.rules", line, *words):
        parse_rules(text, source="bad.rules")


def test_rules_without_rules_is_an_error():
    with pytest.raises(InputError, match="empty.rules: no rules found"):
        parse_rules("# nothing here\n\n", source="empty.rules")


@pytest.mark.parametrize("text, line, words", [
    ("A* = A\nB = A and not C\n", 2, ["expected"]),
    ("A* = A\nB* = A and\n", 2, ["ends too early"]),
    ("A* = A\nand* = A\n", 2, ["bad node name", "'and'"]),
    ("A* = A\n2: A *= not A\n", 2, ["duplicate", "'A'"]),
    ("A* = A\nB* = C\n", 2, ["unknown", "C"]),
    ("A* = A\nB* =\n", 2, ["no expression"]),
])
def test_booleannet_errors_name_file_and_line(text, line, words):
    with raises_at("bad.booleannet", line, *words):
        parse_booleannet(text, source="bad.booleannet")


def test_booleannet_initial_values_ranks_and_comments():
    model = parse_booleannet("#BOOLEAN RULES\nA = B = True\nC = Random  # hi\n"
                             "1: A* = B and not C\nB *= A or False\n", source="x")
    assert model.names == ("A", "B", "C")
    assert model.inputs == ("C",)  # C has an initial value and no rule: it keeps it
    assert model.functions["A"] == parse("B & !C")


SPECIES_AB = species_xml("A", "B")
GOOD_TERM = term(compare("eq", "B", "1"))


@pytest.mark.parametrize("xml, marker, words", [
    (qual_document(SPECIES_AB, transition_xml("A", GOOD_TERM)).replace("</model>", "</mode>"),
     "</mode>", ["not well-formed"]),
    (qual_document(species_xml("A", extra='qual:maxLevel="two"') + "\n" + species_xml("B"),
                   ""), 'qual:id="A"', ["maxLevel='two'", "not a level from 0 to 32"]),
    (qual_document(species_xml("A", extra='qual:maxLevel="0"') + "\n" + species_xml("B"),
                   ""), 'qual:id="A"', ["maxLevel=0"]),
    (qual_document(SPECIES_AB, transition_xml("A", term(compare("eq", "B", "1"), level=2))),
     "qual:functionTerm", ["resultLevel=2", "above the maxLevel 1", "'A'"]),
    (qual_document(species_xml("a b") + "\n" + species_xml("B"), ""), 'qual:id="a b"',
     ["'a b'", "not a valid SBML id"]),
    (qual_document(species_xml("1") + "\n" + species_xml("B"), ""), 'qual:id="1"',
     ["'1'", "not a valid SBML id"]),
    (qual_document(species_xml("&lt;script&gt;") + "\n" + species_xml("B"), ""),
     'qual:id="&lt;script&gt;"', ["'<script>'", "not a valid SBML id"]),
    (qual_document(SPECIES_AB, transition_xml(
        "A", term('<apply><plus/><ci>B</ci><cn>1</cn></apply>'))), "<plus/>", ["<plus>"]),
    (qual_document(SPECIES_AB, transition_xml("A", term('<piecewise/>'))), "<math",
     ["<piecewise>"]),
    (qual_document(SPECIES_AB, transition_xml("A", term(compare("eq", "Z", "1")))),
     "<math", ["unknown species", "'Z'"]),
    (qual_document(SPECIES_AB, transition_xml("A", GOOD_TERM).replace(
        "assignmentLevel", "production")), "qual:output ", ["production"]),
    (qual_document(SPECIES_AB, transition_xml("A", GOOD_TERM) + "\n"
                   + transition_xml("A", GOOD_TERM).replace("t_A", "t_A2")),
     'qual:id="t_A2"', ["two transitions", "'A'"]),
    (qual_document(SPECIES_AB, transition_xml("A", GOOD_TERM).replace(
        '<qual:defaultTerm qual:resultLevel="0"/>', "")), 'qual:id="t_A"', ["defaultTerm"]),
    (qual_document(SPECIES_AB, transition_xml("A", GOOD_TERM),
                   qual="http://example.org/not-qual"),
     "<qual:listOfQualitativeSpecies", ["qual namespace"]),
    (qual_document(SPECIES_AB, "").replace("qual:", "").replace(' xmlns:qual=', ' xmlns:q='),
     "<listOfQualitativeSpecies", ["qual namespace"]),
    ('<?xml version="1.0"?>\n<notsbml/>\n', "<notsbml", ["not an SBML document"]),
    ('<?xml version="1.0"?>\n<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core">\n'
     '  <model id="m">\n    <listOfSpecies/>\n  </model>\n</sbml>\n', "<model",
     ["no qual:listOfQualitativeSpecies"]),
])
def test_sbml_errors_name_file_line_and_feature(xml, marker, words):
    with raises_at("bad.sbml", line_of(xml, marker), *words):
        parse_sbml(xml, source="bad.sbml")


def test_load_model_reports_missing_files_and_unknown_extensions(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_model(tmp_path / "absent.rules")
    (tmp_path / "model.txt").write_text("A, A\n")
    with pytest.raises(InputError, match="'.txt'"):
        load_model(tmp_path / "model.txt")


# ------------------------------------------------------------------------- BNET details

def test_bnet_reads_true_and_false_as_aeon_writes_them():
    model = parse_bnet("A, true\nB, A & false | !C\nC, C\nD, True | False\n", source="t.bnet")
    assert model.functions["A"] == parse("1")
    assert model.functions["D"] == parse("1 | 0")
    algebra = FunctionAlgebra(model.names)
    assert algebra.equivalent(model.functions["B"], parse("!C"))
    assert model.inputs == ("C",)


@pytest.mark.parametrize("text, names", [
    ("targets, factors\nA, A\n", ("A",)),  # the header: skipped
    ("# comment\n\nTargets, Factors\nA, A\n", ("A",)),  # first non-comment line only
    ("targets, factors & A\nA, A\nfactors, A\n", ("targets", "A", "factors")),  # a rule
    ("A, A\ntargets, factors\nfactors, A\n", ("A", "targets", "factors")),  # not first
    ("Targets, A\nA, A\n", ("Targets", "A")),
])
def test_bnet_header_is_only_the_exact_first_line(text, names):
    assert parse_bnet(text, source="h.bnet").names == names


@pytest.mark.parametrize("target", ["x y", "$\\foo$", "a,b", "0", "<script>", "true"])
def test_bnet_refuses_targets_that_are_not_node_names(target):
    text = f"A, A\n{target}, A\n"
    with raises_at("n.bnet", 2):
        parse_bnet(text, source="n.bnet")


# ----------------------------------------------------------------------- printing groups

@pytest.mark.parametrize("text, symbols, words", [
    ("HIF1A & !Oxygen | TP53", "(HIF1A & !Oxygen) | TP53", "(HIF1A and not Oxygen) or TP53"),
    ("(A | B) & !(C & D)", "(A | B) & !(C & D)", "(A or B) and not (C and D)"),
    ("A | B & C | !D", "A | (B & C) | !D", "A or (B and C) or not D"),
    ("!!A & !!!B", "A & !B", "A and not B"),
])
def test_printer_keeps_grouping_visible(text, symbols, words):
    expression = parse(text)
    assert to_text(expression) == symbols
    assert to_text(expression, style="words") == words
    assert parse(symbols) == expression


def test_every_writer_keeps_the_grouping_of_redd1():
    model = load_model("mtor")
    assert "REDD1 = (HIF1A & !Oxygen) | TP53" in " ".join(format_rules(model).split())
    assert "REDD1, (HIF1A & !Oxygen) | TP53" in " ".join(format_bnet(model).split())
    assert "REDD1* = (HIF1A and not Oxygen) or TP53" in format_booleannet(model)


# ------------------------------------------------------------------------- deep nesting

DEPTH = 10_000


def deep_alternation(depth: int) -> str:
    text = "B"
    for level in range(depth):
        text = f"B {'&' if level % 2 else '|'} ({text})"
    return text


def deep_model(fmt: str, expression: str) -> str:
    if fmt == "rules":
        return f"input B\nA = {expression}\n"
    if fmt == "bnet":
        return f"B, B\nA, {expression}\n"
    words = expression.replace("!", " not ").replace("&", " and ").replace("|", " or ")
    return f"B* = B\nA* = {words}\n"


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["rules", "bnet", "booleannet"])
def test_ten_thousand_negations_or_parentheses_read_and_write(fmt):
    write, read = FORMATS[fmt]
    for expression, expected in [("!" * DEPTH + "B", "B"), ("!" * (DEPTH + 1) + "B", "!B"),
                                 ("(" * DEPTH + "B" + ")" * DEPTH, "B"),
                                 ("!(" * DEPTH + "B" + ")" * DEPTH, "B")]:
        model = read(deep_model(fmt, expression), source=f"d.{fmt}")
        assert to_text(model.functions["A"]) == expected
        assert read(write(model), source=f"again.{fmt}").functions == model.functions


@pytest.mark.parametrize("fmt", ["rules", "bnet", "booleannet"])
@pytest.mark.parametrize("depth", [150, pytest.param(DEPTH, marks=pytest.mark.slow)])
def test_deep_alternation_is_refused_naming_file_and_line(fmt, depth):
    read = FORMATS[fmt][1]
    with raises_at(f"d.{fmt}", 2, "nested", "levels deep (at most 100)"):
        read(deep_model(fmt, deep_alternation(depth)), source=f"d.{fmt}")


def test_alternation_within_the_bound_is_read():
    model = parse_rules(f"input B\nA = {deep_alternation(90)}\n", source="d.rules")
    assert_same_logic(model, round_trip(model, "sbml"))


@pytest.mark.slow
def test_deep_sbml_alternation_is_refused_and_deep_negation_is_read():
    math = compare("eq", "B", "1")
    for level in range(300):
        math = f"<apply><{'and' if level % 2 else 'or'}/>{compare('eq', 'C', '1')}{math}</apply>"
    xml = qual_document(species_xml("A", "B", "C"), transition_xml("A", term(math)))
    with raises_at("deep.sbml", line_of(xml, 'qual:id="t_A"'), "nested"):
        parse_sbml(xml, source="deep.sbml")
    negations = "<apply><not/>" * 5001 + compare("eq", "B", "1") + "</apply>" * 5001
    xml = qual_document(species_xml("A", "B", "C"), transition_xml("A", term(negations)))
    assert parse_sbml(xml, source="n.sbml").functions["A"] == negation(B)


def test_long_chains_parse_flat():
    expression = parse(" | ".join(f"x{i}" for i in range(20_000)) + " | (y | (z | w))")
    assert len(expression.args) == 20_003


# ------------------------------------------------------------------ multi-valued SBML-qual

MV_SPECIES = "\n".join([
    '      <qual:qualitativeSpecies qual:id="A" qual:compartment="c" qual:constant="false" '
    'qual:maxLevel="2"/>',
    '      <qual:qualitativeSpecies qual:id="B" qual:compartment="c" qual:constant="false" '
    'qual:maxLevel="1"/>',
    '      <qual:qualitativeSpecies qual:id="C" qual:compartment="c" qual:constant="false" '
    'qual:maxLevel="3"/>',
    '      <qual:qualitativeSpecies qual:id="K" qual:compartment="c" qual:constant="true" '
    'qual:initialLevel="2" qual:maxLevel="2"/>',
    '      <qual:qualitativeSpecies qual:id="I" qual:compartment="c" qual:constant="false" '
    'qual:maxLevel="2"/>'])
MV_TRANSITIONS = "\n".join([
    # A = 2 if B == 1 and C >= 2; 1 if C >= 1 or I == 2; else 0
    transition_xml("A", term(f"<apply><and/>{compare('eq', 'B', '1')}"
                             f"{compare('geq', 'C', '2')}</apply>", level=2) + "\n"
                   + term(f"<apply><or/>{compare('geq', 'C', '1')}"
                          f"{compare('eq', 'I', '2')}</apply>", level=1)),
    # B = 1 if A < 2 and A != C; else 0
    transition_xml("B", term(f"<apply><and/>{compare('lt', 'A', '2')}"
                             f"{compare('neq', 'A', 'C')}</apply>")),
    # C = 3 if A == 2; 1 if K > A; else 2 (the default)
    transition_xml("C", term(compare("eq", "A", "2"), level=3) + "\n"
                   + term(compare("gt", "K", "A"), level=1), default=2),
])
MV_MAX = {"A": 2, "B": 1, "C": 3, "K": 2, "I": 2}


def mv_target(species: str, x: dict[str, int]) -> int:
    """The multi-valued functions above, written independently of any reader."""
    if species == "A":
        return 2 if x["B"] == 1 and x["C"] >= 2 else 1 if x["C"] >= 1 or x["I"] == 2 else 0
    if species == "B":
        return int(x["A"] < 2 and x["A"] != x["C"])
    if species == "C":
        return 3 if x["A"] == 2 else 1 if x["K"] > x["A"] else 2
    if species == "K":
        return 2
    return x["I"]


def mv_bits(species: str) -> list[str]:
    return [species] + [f"{species}_b{level}" for level in range(2, MV_MAX[species] + 1)]


def encode(x: dict[str, int]) -> dict[str, int]:
    return {bit: int(x[species] >= level) for species in MV_MAX
            for level, bit in enumerate(mv_bits(species), start=1)}


def test_multivalued_sbml_is_booleanised_as_biolqm_does():
    from itertools import product

    from brute_force import evaluate_expression

    model = parse_sbml(qual_document(MV_SPECIES, MV_TRANSITIONS), source="mv.sbml")
    assert model.names == ("A", "A_b2", "B", "C", "C_b2", "C_b3", "K", "K_b2", "I", "I_b2")
    assert model.inputs == ("I",)
    assert any("'C' (maxLevel 3)" in note for note in model.notes)
    functions = model.functions
    states = [dict(zip(MV_MAX, levels))
              for levels in product(*(range(m + 1) for m in MV_MAX.values()))]
    admissible = {tuple(sorted(encode(x).items())) for x in states}
    for x in states:
        # The asynchronous multi-valued graph moves one species one level towards its
        # target; the booleanised graph must have exactly the same moves from enc(x).
        expected = set()
        for species in MV_MAX:
            target = mv_target(species, x)
            if target != x[species]:
                step = dict(x, **{species: x[species] + (1 if target > x[species] else -1)})
                expected.add(tuple(sorted(encode(step).items())))
        state = encode(x)
        found = set()
        for name in model.names:
            value = evaluate_expression(functions[name], state)
            if value != state[name]:
                found.add(tuple(sorted(dict(state, **{name: value}).items())))
        assert found == expected, x
    # Every state outside the encoding (a higher level on without a lower one) has no
    # predecessor: bioLQM's "gardens of Eden".
    for bits in product((0, 1), repeat=len(model.names)):
        state = dict(zip(model.names, bits))
        if tuple(sorted(state.items())) in admissible:
            continue
        for name in model.names:
            before = dict(state, **{name: 1 - state[name]})
            assert evaluate_expression(functions[name], before) != state[name] or \
                tuple(sorted(before.items())) not in admissible


def test_multivalued_sbml_errors_and_name_clashes():
    clash = MV_SPECIES + ('\n      <qual:qualitativeSpecies qual:id="A_b2" '
                          'qual:compartment="c" qual:constant="false"/>')
    xml = qual_document(clash, "")
    with raises_at("c.sbml", line_of(xml, 'qual:id="A" '), "'A_b2'", "already taken"):
        parse_sbml(xml, source="c.sbml")
    xml = qual_document(MV_SPECIES, transition_xml("B", term(compare("eq", "A", "1"), 2)))
    with raises_at("r.sbml", line_of(xml, "qual:functionTerm"), "above the maxLevel 1"):
        parse_sbml(xml, source="r.sbml")


def test_booleanised_model_converts_and_reads_back(tmp_path):
    model = parse_sbml(qual_document(MV_SPECIES, MV_TRANSITIONS), source="mv.sbml")
    for fmt in FORMATS:
        assert_same_logic(model, round_trip(model, fmt))


# ------------------------------------------------------------------------ PyBoolNet primes

def test_primes_round_trip_the_bundled_model(tmp_path):
    from mtorlogic.formats import save_model

    model = load_model("mtor")
    for name in ("mtor.primes", "mtor.primes.json"):
        save_model(model, tmp_path / name)
        again = load_model(tmp_path / name)
        assert again.name == "mtor"
        assert_same_logic(model, again)


@pytest.mark.slow
@pytest.mark.parametrize("path", bench_files("random", "mtor"))  # BBM's: up to 17 s each
def test_bench_model_keeps_its_logic_through_primes(path):
    from mtorlogic.formats.primes import format_primes, parse_primes

    original = load_model(path)
    assert_same_logic(original, parse_primes(format_primes(original), source="p.primes"))


def _normal(primes: dict) -> dict:
    return {node: [sorted(sorted(implicant.items()) for implicant in side) for side in pair]
            for node, pair in primes.items()}


@pytest.mark.parametrize("source", [pytest.param("mtor", marks=pytest.mark.slow), "random"])
def test_our_primes_are_pyboolnets_primes(source, tmp_path):
    try:
        from pyboolnet.file_exchange import bnet2primes, read_primes
    except ImportError:
        pytest.skip("pyboolnet is not installed (pip install pyboolnet): the cross-check "
                    "against its primes is skipped; the round trips above still run")
    from mtorlogic.formats import save_model
    from mtorlogic.formats.primes import format_primes

    if source == "mtor":
        model = load_model("mtor")
    else:  # xor-rich functions have many primes on both sides
        model = parse_rules("input a\ninput b\ninput c\ninput d\n"
                            "x = (a & !b) | (!a & b) | (c & !d) | (!c & d & a)\n"
                            "y = !(x & a) | (b & !(c | d)) | (x & !d)\nz = 1\nw = 0\n",
                            source="r.rules")
    bnet = tmp_path / "m.bnet"
    save_model(model, bnet)
    theirs = bnet2primes(bnet.read_text())
    (tmp_path / "m.primes").write_text(format_primes(model))
    assert _normal(read_primes(str(tmp_path / "m.primes"))) == _normal(theirs)
    # and a file pyboolnet writes (a Python literal, not JSON) reads as the same network
    (tmp_path / "theirs.primes").write_text(str(theirs))
    assert_same_logic(model, load_model(tmp_path / "theirs.primes"), same_order=False)


PRIMES_OK = '{"A": [[{"A": 0}], [{"A": 1}]], "B": [[{"A": 1}], [{"A": 0}]]}'


@pytest.mark.parametrize("text, words", [
    ("[1, 2]", ["non-empty object"]),
    ("{", ["neither JSON nor"]),
    ('{"A": [[{"A": 0}]]}', ["A", "two lists"]),
    ('{"a b": [[], [{}]]}', ["bad node name 'a b'"]),
    ('{"A": [[{"Z": 0}], [{"Z": 1}]]}', ["unknown node 'Z'"]),
    ('{"A": [[{"A": 2}], [{"A": 1}]]}', ["must be 0 or 1"]),
    ('{"A": [[{"A": true}], [{"A": 1}]]}', ["must be 0 or 1"]),
    ('{"A": [["A"], [{"A": 1}]]}', ["implicant must be an object"]),
    (PRIMES_OK.replace('"B": [[{"A": 1}]', '"B": [[{"A": 0}]'), ["B", "not the complement"]),
    ("[" * 100_000, ["nested too deeply"]),
])
def test_primes_errors(text, words):
    from mtorlogic.formats.primes import parse_primes

    with pytest.raises(InputError) as caught:
        parse_primes(text, source="p.primes")
    message = str(caught.value)
    assert message.startswith("p.primes"), message
    for word in words:
        assert word in message, message


def test_primes_reads_inputs_and_constants():
    from mtorlogic.formats.primes import parse_primes

    model = parse_primes(PRIMES_OK[:-1] + ', "C": [[], [{}]], "D": [[{}], []]}',
                         source="p.primes")
    assert model.inputs == ("A",)
    assert model.functions["C"] == parse("1") and model.functions["D"] == parse("0")
    assert model.functions["B"] == parse("!A")


# ----------------------------------------------------------------------------------- MaBoSS

def _cmaboss(model: Model):
    """The cmaboss module built for the model's size, or skip with what to install."""
    import importlib

    for size in (64, 128, 256, 512, 1024):
        if len(model) <= size:
            module = "cmaboss" if size == 64 else f"cmaboss_{size}n"
            try:
                return importlib.import_module(module)
            except ImportError:
                pytest.skip("cmaboss is not installed (pip install cmaboss): MaBoSS cannot "
                            "be asked to read the exported files")
    pytest.skip("model too large for cmaboss")


def _from_maboss_logic(text: str, names: dict[str, str]):
    back = {mapped: original for original, mapped in names.items()}
    words = re.sub(r"\bAND\b", "&", re.sub(r"\bOR\b", "|", re.sub(r"\bNOT\b", "!", text)))
    return parse(re.sub(r"[A-Za-z_][A-Za-z0-9_]*", lambda m: back[m.group(0)], words))


@pytest.mark.parametrize("source", ["mtor", "names"])
def test_maboss_reads_our_export_as_the_same_network(source, tmp_path):
    from mtorlogic.formats import save_model
    from mtorlogic.formats.maboss import maboss_names

    model = load_model("mtor") if source == "mtor" else parse_rules(
        "input p-AKT\ninput AND\nNode = p-AKT & !AND\nx.y = Node | 1\nN_x_y = !x.y & 0\n",
        source="names.rules")
    cmaboss = _cmaboss(model)
    written = save_model(model, tmp_path / "m.bnd")
    assert written == [tmp_path / "m.bnd", tmp_path / "m.cfg"]
    names = maboss_names(model.names)
    assert len(set(names.values())) == len(model)
    network = cmaboss.MaBoSSNet(network=str(tmp_path / "m.bnd"))
    assert sorted(network.keys()) == sorted(names.values())
    algebra = FunctionAlgebra(model.names)
    for node in model.nodes:
        found = _from_maboss_logic(network[names[node.name]].get_logic(), names)
        assert algebra.equivalent(found, node.function), node.name


def test_maboss_simulation_reaches_our_fixed_point_with_inputs_at_zero(tmp_path):
    from mtorlogic.formats import save_model

    # With the input S at 0 (the .cfg's choice), every trajectory ends in A=1, B=0, C=1.
    model = parse_rules("input S\nA = !S | B\nB = S & A\nC = A & !B\n", source="s.rules")
    cmaboss = _cmaboss(model)
    save_model(model, tmp_path / "s.bnd")
    result = cmaboss.MaBoSSSim(network=str(tmp_path / "s.bnd"),
                               config=str(tmp_path / "s.cfg")).run()
    fixed_points = result.get_fp_table()
    assert len(fixed_points) == 1
    probability, state = next(iter(fixed_points.values()))
    assert probability == 1.0 and set(state.split(" -- ")) == {"A", "C"}


# ---------------------------------------------------------------------- names, everywhere

def test_long_names_survive_every_format(tmp_path):
    from mtorlogic.formats import save_model

    long = "L" * 249
    model = parse_rules(f"input {long}\nB = !{long} & B.x\nB.x = {long}\n", source="l.rules")
    for fmt in FORMATS:
        assert_same_logic(model, round_trip(model, fmt))
    save_model(model, tmp_path / "l.primes")
    assert_same_logic(model, load_model(tmp_path / "l.primes"))


def test_booleannet_writer_refuses_names_read_as_rank_prefixes():
    model = parse_rules("input 1:x\nB = 1:x\n", source="k.rules")
    with pytest.raises(InputError, match="rank prefix"):
        format_booleannet(model)


@pytest.mark.parametrize("fmt", ["rules", "bnet", "booleannet", "sbml"])
def test_parsers_accept_a_leading_byte_order_mark(fmt):
    model = parse_rules("input A\nB = !A\n", source="b.rules")
    write, read = FORMATS[fmt]
    assert_same_logic(model, read("\ufeff" + write(model), source=f"b.{fmt}"))


@pytest.mark.parametrize("name", ["a b", "$x$", "x\n", "1", "", "é"])
def test_make_model_refuses_names_no_format_could_write(name):
    from mtorlogic.model import Node, make_model

    with pytest.raises(InputError, match="bad node name"):
        make_model([Node(name, parse("1"))], source="api")
