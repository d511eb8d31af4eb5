"""``NODE=0|1``: one parser (:mod:`mtorlogic.assignments`) behind every command and file that
reads it; bad tokens are one line naming the option and the token, exit 2."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from mtorlogic.assignments import merge_assignments, parse_assignment
from mtorlogic.cli import main


@pytest.mark.parametrize("token, bare, expected", [
    ("A=1", False, ("A", 1)),
    (" A = 0 ", False, ("A", 0)),
    ("A", True, ("A", None)),
    ("A=1", True, ("A", 1)),
])
def test_good_tokens(token, bare, expected):
    assert parse_assignment(token, bare=bare) == expected


@pytest.mark.parametrize("token, bare", [
    ("A", False), ("A=2", False), ("A=", False), ("=1", False), ("", False),
    ("A=01", True), ("=", True), ("A=true", True),
])
def test_bad_tokens_name_the_token(token, bare):
    with pytest.raises(ValueError) as error:
        parse_assignment(token, bare=bare)
    assert repr(token.strip()) in str(error.value)
    assert "NODE=0 or NODE=1" in str(error.value)


def test_merge_refuses_a_node_set_both_ways_only():
    assert merge_assignments([("A", 1), ("B", 0), ("A", 1)]) == {"A": 1, "B": 0}
    with pytest.raises(ValueError, match="A is set to both 0 and 1"):
        merge_assignments([("A", 1), ("A", 0)])


@pytest.mark.parametrize("arguments, words", [
    (["attractors", "mtor", "--set", "TSC=2"], ["'--set'", "'TSC=2'"]),
    (["attractors", "mtor", "--set", "TSC"], ["'--set'", "'TSC'"]),
    (["attractors", "mtor", "--set", "TSC=1", "--set", "TSC=0"],
     ["'--set'", "TSC is set to both 0 and 1"]),
    (["attractors", "mtor", "--set", "TSC=1,TSC=0"], ["'--set'", "TSC is set to both"]),
    (["attractors", "mtor", "--initial", "TSC=1,RAG=x"], ["'--initial'", "'RAG=x'"]),
    (["attractors", "mtor", "--initial", "TSC=1,TSC=0"], ["'--initial'", "TSC is set to both"]),
    (["explain", "01_fed", "mTORC1", "--set", "Torin1=yes"], ["'--set'", "'Torin1=yes'"]),
    (["explain", "01_fed", "mTORC1", "--set", "Torin1=1", "--set", "Torin1=0"],
     ["'--set'", "Torin1 is set to both 0 and 1"]),
    (["screen", "01_fed", "-t", "mTORC1", "--nodes", "TSC,RAG=2"], ["'--nodes'", "'RAG=2'"]),
])
def test_every_command_refuses_bad_assignments_in_one_line(arguments, words):
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    for word in words:
        assert word in line, line


def test_repeated_and_listed_sets_are_one_clamp_set():
    """``--set A=1 --set B=0`` and ``--set A=1,B=0`` clamp the same nodes."""
    runner = CliRunner()
    one = runner.invoke(main, ["attractors", "mtor", "--unset-inputs", "0", "--set",
                               "Insulin=1", "--set", "TSC=0", "--json"])
    two = runner.invoke(main, ["attractors", "mtor", "--unset-inputs", "0", "--set",
                               "Insulin=1,TSC=0", "--json"])
    assert one.exit_code == 0, one.output
    assert one.output == two.output
