"""Counting minimal trap spaces without listing them (``attractors --count``): the counts
and groups agree with the listed minimal trap spaces and with brute force; past the time
budget the counts are lower bounds and the command exits 2."""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
from brute_force import random_network  # noqa: E402
from mtorlogic.cli import main  # noqa: E402
from mtorlogic.dynamics.attractors import count_minimal_trap_spaces, find_attractors  # noqa: E402
from mtorlogic.dynamics.results import Limits  # noqa: E402
from mtorlogic.errors import InputError  # noqa: E402
from mtorlogic.formats.bnet import parse_bnet  # noqa: E402

DATA = Path(__file__).parent / "data" / "bench"


@pytest.mark.parametrize("seed", range(25))
def test_counts_match_the_listed_minimal_trap_spaces(seed):
    """Grouped by two nodes, the counts are those of the most-permissive attractors (the
    minimal trap spaces) listed one by one; a group's fixed points are its single states,
    each an asynchronous fixed point (checked against brute force)."""
    net = random_network(seed)
    model = parse_bnet(net.text, source=f"random-{seed}.bnet")
    by = model.names[:2]
    counted = count_minimal_trap_spaces(model, by)
    listed = find_attractors(model, "most-permissive", activities=False)
    assert counted.complete and counted.total == len(listed)
    expected = Counter(tuple(a.values[n] for n in by) for a in listed)
    points = Counter(tuple(a.values[n] for n in by) for a in listed if a.size == 1)
    assert {k: n for k, (n, _) in counted.groups.items()} == dict(expected)
    assert {k: f for k, (_, f) in counted.groups.items() if f} == dict(points)
    oracle = net.oracle()
    brute_points = [a for a in oracle.attractors("asynchronous") if len(a) == 1]
    assert counted.fixed_points == len(brute_points)


def test_unknown_grouping_node_is_an_input_error():
    model = parse_bnet("a, b\nb, a\n")
    with pytest.raises(InputError, match="unknown node"):
        count_minimal_trap_spaces(model, ["c"])


def test_cli_count_groups_and_json():
    runner = CliRunner()
    path = str(Path(__file__).parents[1] / "docs" / "examples" / "toy.rules")
    text = runner.invoke(main, ["attractors", path, "--count", "--by", "RAG,mTORC1"])
    assert text.exit_code == 0, text.output
    assert text.output.splitlines()[0] == "toy: 4 minimal trap spaces, 3 of them fixed points"
    out = runner.invoke(main, ["attractors", path, "--count", "--by", "RAG", "--json"])
    data = json.loads(out.output)
    assert data["complete"] and data["minimal_trap_spaces"] == 4
    assert sum(g["minimal_trap_spaces"] for g in data["groups"]) == 4
    refused = runner.invoke(main, ["attractors", path, "--count", "--semantics", "synchronous"])
    assert refused.exit_code == 2 and "--count" in refused.output


@pytest.mark.slow
def test_cli_count_past_the_time_budget_gives_lower_bounds_and_exits_2():
    """bbm004 with every input off has more than 460,000 minimal trap spaces: in one
    second some are counted, the output says they are lower bounds, the exit status is 2."""
    runner = CliRunner()
    path = str(DATA / "hard" / "bbm004_erbb_receptor_signaling__in0.bnet")
    result = runner.invoke(main, ["attractors", path, "--count", "--by", "Erk",
                                  "--max-seconds", "1", "--json"])
    assert result.exit_code == 2
    data = json.loads(result.output.splitlines()[0])
    assert not data["complete"] and data["minimal_trap_spaces"] > 100
    assert "lower bounds" in result.output and "--max-seconds" in result.output
    # the budget bounds the search too: nothing listed, a limit, not a hang
    with pytest.raises(Exception, match="minimal trap spaces"):
        find_attractors(parse_bnet(Path(path).read_text(), source=path), "most-permissive",
                        limits=Limits(trap_spaces=1000), activities=False)
