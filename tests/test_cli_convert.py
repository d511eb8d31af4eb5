"""``mtorlogic convert IN OUT``: success, and bad input as one line on stderr with exit 2."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from mtorlogic.cli import main
from mtorlogic.formats import load_model
from mtorlogic.logic import FunctionAlgebra

RULES = """\
#: Insulin or IGF-1
input Insulin  [Liu & Sabatini 2020, Nat Rev Mol Cell Biol 21:183]
input Leucine
AKT    = Insulin & !S6K1
mTORC1 = AKT & Leucine   [Inoki 2003; Sancak 2008]
S6K1   = mTORC1
"""


def convert(*arguments: str):
    return CliRunner().invoke(main, ["convert", *arguments])


def assert_one_line_error(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("mtorlogic: error: ")
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]


@pytest.mark.parametrize("suffix", [".bnet", ".sbml", ".xml", ".booleannet", ".rules"])
def test_convert_writes_the_same_network(tmp_path, suffix):
    source = tmp_path / "small.rules"
    source.write_text(RULES)
    target = tmp_path / f"out{suffix}"
    result = convert(str(source), str(target))
    assert result.exit_code == 0, result.output
    assert "5 nodes, 2 inputs" in result.stderr
    original, converted = load_model(source), load_model(target)
    assert converted.names == original.names
    assert converted.inputs == ("Insulin", "Leucine")
    algebra = FunctionAlgebra(original.names)
    for name in original.names:
        assert algebra.equivalent(original.functions[name], converted.functions[name]), name


def test_convert_unknown_output_extension(tmp_path):
    source = tmp_path / "small.rules"
    source.write_text(RULES)
    result = convert(str(source), str(tmp_path / "out.txt"))
    assert_one_line_error(result, "out.txt", "'.txt'", "known: ")
    assert not (tmp_path / "out.txt").exists()


def test_convert_unknown_input_extension(tmp_path):
    source = tmp_path / "small.model"
    source.write_text(RULES)
    assert_one_line_error(convert(str(source), str(tmp_path / "out.bnet")), "'.model'")


def test_convert_syntax_error_names_file_and_line(tmp_path):
    source = tmp_path / "broken.rules"
    source.write_text(RULES.replace("AKT & Leucine", "AKT & (Leucine"))
    result = convert(str(source), str(tmp_path / "out.bnet"))
    assert_one_line_error(result, f"{source}:5:", "missing ')'")
    assert not (tmp_path / "out.bnet").exists()


def test_convert_missing_file(tmp_path):
    missing = tmp_path / "absent.rules"
    assert_one_line_error(convert(str(missing), str(tmp_path / "out.bnet")),
                          f"{missing}: no such file")


def test_convert_refusal_to_write_leaves_no_file(tmp_path):
    source = tmp_path / "words.rules"
    source.write_text("input and\nB = and\n")
    target = tmp_path / "out.booleannet"
    assert_one_line_error(convert(str(source), str(target)), "'and'", "BooleanNet")
    assert list(tmp_path.iterdir()) == [source]
