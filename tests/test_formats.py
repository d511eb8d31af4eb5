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
BENCH = REPO.parent / "shared" / "bench"

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
