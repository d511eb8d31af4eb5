"""``mtorlogic attractors MODEL``: the JSON shape of SPEC §5, --set, the table, and bad
input (exit 2, one readable message, never a traceback)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))

from brute_force import Oracle, key  # noqa: E402
from mtorlogic.cli import main  # noqa: E402
from mtorlogic.formats.bnet import parse_bnet  # noqa: E402

# u is an input; with u = 1, a and b oscillate (a 4-cycle); with u = 0 a and b are a toggle
# switch with two fixed points; c follows a.
BNET = """\
targets, factors
u, u
a, (u & !b) | (!u & !b)
b, (u & a) | (!u & !a)
c, a
"""


@pytest.fixture
def model_file(tmp_path):
    path = tmp_path / "small.bnet"
    path.write_text(BNET)
    return path


def run(*arguments: str):
    return CliRunner().invoke(main, ["attractors", *map(str, arguments)])


def assert_error(result, *words: str, one_line: bool = True) -> None:
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    if one_line:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("mtorlogic: error: ")
    for word in words:
        assert word in result.stderr, result.stderr


def oracle_summary(text: str, semantics: str, clamps=None):
    model = parse_bnet(text)
    if clamps:
        model = model.clamp(clamps)
    return Oracle.from_model(model).summary(semantics)


@pytest.mark.parametrize("semantics", ["asynchronous", "synchronous", "most-permissive"])
def test_json_shape_and_content(model_file, semantics):
    result = run(model_file, "--semantics", semantics, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"semantics", "attractors"}
    assert data["semantics"] == semantics
    assert isinstance(data["attractors"], list) and data["attractors"]
    for attractor in data["attractors"]:
        assert set(attractor) == {"size", "fixed_point", "values"}
        assert type(attractor["size"]) is int and attractor["size"] >= 1
        assert type(attractor["fixed_point"]) is bool
        assert attractor["fixed_point"] == (attractor["size"] == 1)
        assert list(attractor["values"]) == ["u", "a", "b", "c"] or \
            set(attractor["values"]) == {"u", "a", "b", "c"}
        for value in attractor["values"].values():
            assert value in (0, 1, "*") and type(value) in (int, str)
    got = sorted((key(a["values"]), a["size"]) for a in data["attractors"])
    assert got == oracle_summary(BNET, semantics)


def test_json_has_stars_and_fixed_points(model_file):
    data = json.loads(run(model_file, "--json").stdout)
    values = [a["values"] for a in data["attractors"]]
    assert {"u": 1, "a": "*", "b": "*", "c": "*"} in values
    assert {"u": 0, "a": 1, "b": 0, "c": 1} in values
    assert {"u": 0, "a": 0, "b": 1, "c": 0} in values
    assert len(values) == 3
    cycle = next(a for a in data["attractors"] if a["values"]["u"] == 1)
    assert cycle["size"] == 8 and cycle["fixed_point"] is False
    assert data["semantics"] == "asynchronous"  # the default


def test_set_clamps_nodes(model_file):
    data = json.loads(run(model_file, "--set", "u=0", "--json").stdout)
    assert sorted(key(a["values"]) for a in data["attractors"]) == \
        [key({"u": 0, "a": 0, "b": 1, "c": 0}), key({"u": 0, "a": 1, "b": 0, "c": 1})]
    data = json.loads(run(model_file, "--set", "u=0", "--set", "a=1", "--json").stdout)
    assert [a["values"] for a in data["attractors"]] == [{"u": 0, "a": 1, "b": 0, "c": 1}]
    data = json.loads(run(model_file, "--set", "u=1", "--semantics", "synchronous",
                          "--json").stdout)
    got = sorted((key(a["values"]), a["size"]) for a in data["attractors"])
    assert got == oracle_summary(BNET, "synchronous", {"u": 1})


def test_table_mentions_the_count(model_file):
    result = run(model_file)
    assert result.exit_code == 0, result.output
    assert "3 asynchronous attractors" in result.stdout
    result = run(model_file, "--set", "u=1")
    assert "1 asynchronous attractor" in result.stdout
    assert "1 asynchronous attractors" not in result.stdout
    result = run(model_file, "--semantics", "most-permissive")
    assert "3 most-permissive attractors" in result.stdout


@pytest.mark.parametrize("bad", ["X=2", "u=2", "u", "=1", "u=yes"])
def test_bad_set_value_is_a_usage_error(model_file, bad):
    result = run(model_file, "--set", bad)
    assert_error(result, "--set", one_line=False)


def test_unknown_node_in_set(model_file):
    assert_error(run(model_file, "--set", "Nope=1"), "Nope", str(model_file))


def test_missing_file(tmp_path):
    missing = tmp_path / "absent.bnet"
    assert_error(run(missing), str(missing))


def test_unparsable_model(tmp_path):
    path = tmp_path / "broken.bnet"
    path.write_text("a, b &\n")
    assert_error(run(path), str(path))


def test_unknown_semantics(model_file):
    result = run(model_file, "--semantics", "general")
    assert result.exit_code == 2 and "Traceback" not in result.stderr


def test_limit_exceeded_is_reported(tmp_path):
    path = tmp_path / "ring.bnet"
    path.write_text("".join(f"x{i}, !x{(i + 1) % 5} | x{(i + 2) % 5}\n" for i in range(5)))
    result = run(path, "--semantics", "synchronous", "--max-synchronous-nodes", "3")
    assert_error(result, "limit", "--max-synchronous-nodes")
    ring = tmp_path / "odd.bnet"
    ring.write_text("".join(f"r{i}, !r{(i + 1) % 21}\n" for i in range(21)))
    result = run(ring, "--max-seconds", "0.000001")
    assert_error(result, "limit", "--max-seconds")


def test_limit_options_change_the_path_not_the_answer(model_file):
    default = json.loads(run(model_file, "--json").stdout)
    symbolic = json.loads(run(model_file, "--json", "--max-explicit-nodes", "1",
                              "--max-candidates", "1").stdout)
    assert sorted(map(json.dumps, default["attractors"])) == \
        sorted(map(json.dumps, symbolic["attractors"]))


@pytest.mark.parametrize("semantics", ["asynchronous", "most-permissive"])
def test_trap_space_limit_is_reported(tmp_path, semantics):
    """Five independent switches beside an oscillator: 32 minimal trap spaces, more than
    the limit allows; with the limit raised, all 32 attractors come back."""
    path = tmp_path / "switches.bnet"
    path.write_text("targets, factors\n" + "".join(f"s{i}, s{i}\n" for i in range(5))
                    + "a, !c\nb, a\nc, b\n")
    arguments = [path, "--semantics", semantics, "--max-explicit-nodes", "2"]
    assert_error(run(*arguments, "--max-trap-spaces", "31"), "more than 31 minimal trap spaces",
                 "--max-trap-spaces")
    result = run(*arguments, "--max-trap-spaces", "32", "--json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["attractors"]) == 32


# ---------------------------------------------------------------------------------------
# free inputs, scenarios, starts and summaries


def test_free_inputs_are_counted_and_set_three_ways(model_file, tmp_path):
    result = run(model_file)
    assert "1 of 1 inputs are free (u): the attractors cover all 2 combinations" in \
        " ".join(result.stdout.split())
    assert "--unset-inputs 0" in result.stdout
    zero = run(model_file, "--unset-inputs", "0", "--json")
    assert json.loads(zero.stdout)["attractors"] == json.loads(
        run(model_file, "--set", "u=0", "--json").stdout)["attractors"]
    assert "free" not in run(model_file, "--unset-inputs", "0").stdout
    (tmp_path / "on.toml").write_text(f'name = "On"\nmodel = "{model_file.name}"\n'
                                      "[inputs]\nu = 1\n")
    on = json.loads(run(model_file, "--scenario", tmp_path / "on.toml", "--json").stdout)
    assert on["attractors"] == json.loads(
        run(model_file, "--set", "u=1", "--json").stdout)["attractors"]


@pytest.mark.slow
def test_scenario_by_bundled_name_matches_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    from_attractors = json.loads(run("mtor", "--scenario", "08_rapamycin_acute",
                                     "--json").stdout)["attractors"]
    from_run = json.loads(CliRunner().invoke(main, ["run", "--json", "08_rapamycin_acute"])
                          .stdout)["scenarios"][0]["attractors"]
    assert from_attractors == from_run
    # A multi-phase scenario starts where its initial phase ends, as `run` does.
    from_attractors = json.loads(run("mtor", "--scenario", "46_rapamycin_washout",
                                     "--json").stdout)["attractors"]
    from_run = json.loads(CliRunner().invoke(main, ["run", "--json", "46_rapamycin_washout"])
                          .stdout)["scenarios"][0]["attractors"]
    assert from_attractors == from_run
    assert_error(run("mtor", "--scenario", "08_Rapamycin_acute"),
                 "did you mean '08_rapamycin_acute'")


def test_initial_keeps_only_the_reachable_attractors(model_file):
    # With u = 0, a and b form a toggle switch: a=1 stays in (a=1, b=0).
    both = json.loads(run(model_file, "--set", "u=0", "--json").stdout)["attractors"]
    assert len(both) == 2
    [one] = json.loads(run(model_file, "--set", "u=0", "--initial", "a=1,b=0",
                           "--json").stdout)["attractors"]
    assert one["values"] == {"u": 0, "a": 1, "b": 0, "c": 1}
    two = json.loads(run(model_file, "--set", "u=0", "--initial", "a=1,b=0", "--initial",
                         "a=0,b=1", "--json").stdout)["attractors"]
    assert two == both
    assert "reachable from the start states" in run(model_file, "--set", "u=0", "--initial",
                                                    "a=1,b=0").stdout


@pytest.mark.parametrize("arguments, words", [
    (["--initial", "a=2"], ["--initial", "expected NODE=0 or NODE=1", "'a=2'"]),
    (["--initial", "A=1"], ["unknown node 'A'", "did you mean 'a'"]),
    (["--by", "C"], ["unknown node 'C'", "did you mean 'c'"]),
    (["--unset-inputs", "1"], ["--unset-inputs"]),
    (["--scenario", "nowhere/x.toml"], ["no such scenario file"]),
    (["--set", "U=1"], ["did you mean 'u'"]),
])
def test_bad_new_options_exit_2_with_one_line(model_file, arguments, words):
    result = run(model_file, *arguments)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr and result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    for word in words:
        assert word in line


def test_many_attractors_are_summarised_by_chosen_nodes(tmp_path):
    """Six independent switches: 64 fixed points, too many side by side."""
    path = tmp_path / "switches.bnet"
    path.write_text("targets, factors\n" + "".join(f"s{i}, s{i}\n" for i in range(6))
                    + "x, s0 & s1\n")
    result = run(path, "--by", "x")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "switches: 64 asynchronous attractors (7 nodes), grouped by x"
    assert lines[1].split() == ["x", "attractors", "fixed", "points", "sizes"]
    assert lines[3].split() == ["0", "48", "48", "1", "×48"]
    assert lines[4].split() == ["1", "16", "16", "1", "×16"]
    assert "6 of 6 inputs are free" in result.stdout and "64 combinations" in result.stdout
    default = run(path)
    assert "grouped by" in default.stdout
    assert max(len(line) for line in default.stdout.splitlines()) <= 100
    listed = run(path, "--all")
    assert "A64" in listed.stdout and "grouped" not in listed.stdout


def test_trap_space_limit_with_free_inputs_suggests_setting_them(tmp_path):
    path = tmp_path / "switches.bnet"
    path.write_text("targets, factors\n" + "".join(f"s{i}, s{i}\n" for i in range(5))
                    + "a, !c\nb, a\nc, b\n")
    result = run(path, "--max-explicit-nodes", "2", "--max-trap-spaces", "31")
    assert_error(result, "with 5 inputs free (32 combinations of their values)",
                 "--unset-inputs 0", "--max-trap-spaces")


def test_scenario_with_an_initial_phase_starts_where_it_ends(tmp_path):
    """A memory switch: s stays on once t has turned it on. After a phase with t = 1, the
    t = 0 phase reaches only s = 1; the clamped network alone has both attractors."""
    (tmp_path / "memory.bnet").write_text("t, t\ns, s | t\n")
    (tmp_path / "on.toml").write_text('name = "On"\nmodel = "memory.bnet"\n[inputs]\nt = 1\n')
    (tmp_path / "after.toml").write_text('name = "After"\nmodel = "memory.bnet"\n'
                                         'initial = "on.toml"\n')
    model = tmp_path / "memory.bnet"
    assert len(json.loads(run(model, "--set", "t=0", "--json").stdout)["attractors"]) == 2
    [after] = json.loads(run(model, "--scenario", tmp_path / "after.toml",
                             "--json").stdout)["attractors"]
    assert after["values"] == {"t": 0, "s": 1}
