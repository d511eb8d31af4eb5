"""Population time courses (``mtorlogic.dynamics.population``, ``mtorlogic simulate``):
against the exact transient probabilities of the continuous-time Markov chain on small
networks, starts from an earlier phase, agreement with the exact attractors of a bundled
scenario, the outputs, and bad input."""
from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from click.testing import CliRunner

from mtorlogic.cli import main
from mtorlogic.dynamics.population import (
    PopulationLimits,
    Rates,
    scenario_starts,
    simulate_population,
    simulate_scenario,
)
from mtorlogic.errors import InputError, LimitExceeded
from mtorlogic.formats.bnet import parse_bnet
from mtorlogic.scenarios import load_scenario, resolve_scenario_argument

# a negative loop (a damped oscillation in probability) with a side branch d = a & !b
LOOP = """\
targets, factors
a, !c
b, a
c, b
d, a & !b
"""


def exact_course(model, rates: Rates, p0: dict[tuple[int, ...], float], times):
    """P(node = 1) at each time: p(t) = p(0) expm(Q t) over all 2^n states, Q built from
    the same semantics (node i changes at up_i/down_i when f_i(x) != x_i)."""
    from scipy.linalg import expm

    from mtorlogic.dynamics.system import LogicalSystem

    n = len(model)
    states = list(itertools.product((0, 1), repeat=n))
    index = {s: k for k, s in enumerate(states)}
    up, down = rates.arrays(model)
    successor = LogicalSystem.from_model(model).evaluate(np.array(states, dtype=bool))
    generator = np.zeros((len(states), len(states)))
    for k, state in enumerate(states):
        for i in range(n):
            if bool(successor[k, i]) != bool(state[i]):
                flipped = list(state)
                flipped[i] = 1 - state[i]
                rate = down[i] if state[i] else up[i]
                generator[k, index[tuple(flipped)]] += rate
                generator[k, k] -= rate
    start = np.array([p0.get(s, 0.0) for s in states])
    values = np.array(states, dtype=float)
    return np.array([start @ expm(generator * t) @ values for t in times])


def assert_close(simulated, exact, cells):
    sigma = np.sqrt(np.clip(exact * (1 - exact), 1e-4, None) / cells)
    worst = np.max(np.abs(simulated - exact) / sigma)
    assert worst < 5.0, f"simulation off by {worst:.1f} standard errors"


@pytest.mark.slow
@pytest.mark.parametrize("rates", [Rates(), Rates(up={"a": 3.0, "b": 0.5}, down={"c": 0.25})])
def test_agrees_with_exact_transient_probabilities(rates):
    model = parse_bnet(LOOP)
    cells, time, points = 20_000, 6.0, 13
    course = simulate_population(model, [{"a": 0, "b": 0, "c": 0, "d": 0}], cells=cells,
                                 time=time, points=points, rates=rates, seed=3)
    exact = exact_course(model, rates, {(0, 0, 0, 0): 1.0}, course.times)
    assert course.activity.shape == (points, 4)
    assert_close(course.activity, exact, cells)
    # the comparison can fail: the same simulation at other rates is far from this answer
    other = simulate_population(model, [{"a": 0, "b": 0, "c": 0, "d": 0}], cells=cells,
                                time=time, points=points, rates=Rates(up={"a": 10.0}), seed=3)
    with pytest.raises(AssertionError):
        assert_close(other.activity, exact, cells)


def test_random_starts_are_uniform_over_unset_nodes():
    model = parse_bnet(LOOP)
    cells = 20_000
    course = simulate_population(model, [{"d": 1}], cells=cells, time=3.0, points=7, seed=5)
    p0 = {s: 1 / 8 for s in itertools.product((0, 1), repeat=4) if s[3] == 1}
    assert_close(course.activity, exact_course(model, Rates(), p0, course.times), cells)


def test_fixed_points_stay_and_seeds_reproduce():
    model = parse_bnet("a, a & b\nb, a\nc, !a\n")
    course = simulate_population(model, [{"a": 1, "b": 1, "c": 0}], cells=50, time=5.0)
    assert np.all(course.activity == np.array([1.0, 1.0, 0.0]))
    assert course.stable == 1.0
    loop = parse_bnet(LOOP)
    first = simulate_population(loop, cells=300, time=4.0, seed=11)
    again = simulate_population(loop, cells=300, time=4.0, seed=11)
    other = simulate_population(loop, cells=300, time=4.0, seed=12)
    assert np.array_equal(first.activity, again.activity)
    assert not np.array_equal(first.activity, other.activity)


def test_starts_are_shared_evenly_between_cells():
    model = parse_bnet("a, b\nb, a\n")  # a two-node swap
    starts = [{"a": 1, "b": 0}, {"a": 0, "b": 1}, {"a": 1, "b": 1}, {"a": 0, "b": 0}]
    frozen = Rates(up={"a": 0, "b": 0}, down={"a": 0, "b": 0})
    course = simulate_population(model, starts, cells=8, time=1.0, rates=frozen)
    assert list(course.activity[0]) == [0.5, 0.5]
    ordered = [{"a": 1, "b": 1}] * 50 + [{"a": 0, "b": 0}] * 50  # as attractor listings are
    course = simulate_population(model, ordered, cells=10, time=1.0, rates=frozen)
    assert 0 < course.activity[0, 0] < 1  # a random subset, not the first ten listed


def test_zero_rate_freezes_a_node():
    model = parse_bnet(LOOP)
    course = simulate_population(model, [{"a": 0, "b": 0, "c": 0, "d": 0}], cells=200,
                                 time=5.0, rates=Rates(up={"a": 0.0}))
    assert np.all(course.activity == 0.0)  # nothing can start without a


def test_earlier_phase_sets_the_start_and_clamps_apply_at_time_zero():
    """Fed cells given rapamycin (``--after 01_fed``): at time 0 the fed attractor's values
    with the drug on; mTORC1 then falls (README: rapamycin turns mTORC1 off)."""
    rapamycin = load_scenario(resolve_scenario_argument("08_rapamycin_acute"))
    fed = load_scenario(resolve_scenario_argument("01_fed"))
    _, starts = scenario_starts(rapamycin, after=fed)
    assert all(start["Rapamycin"] == 1 and start["mTORC1"] == 1 for start in starts)
    course = simulate_scenario(rapamycin, after=fed, cells=400, time=15.0, seed=1)
    assert course.of("Rapamycin")[0] == 1.0 and course.of("mTORC1")[0] == 1.0
    assert course.of("mTORC1")[-1] < 0.05
    assert course.title == "01_fed → 08_rapamycin_acute"


@pytest.mark.slow
def test_long_run_matches_the_exact_attractors_of_a_two_phase_scenario():
    """Rapamycin washout (``initial = 08_rapamycin_acute``): after a long time every node
    the attractor engine finds on is on in (nearly) every cell, every off node off."""
    from mtorlogic.readouts import run_scenario

    scenario = load_scenario(resolve_scenario_argument("46_rapamycin_washout"))
    status = run_scenario(scenario).status
    course = simulate_scenario(scenario, cells=500, time=60.0, points=3, seed=2)
    assert course.of("mTORC1")[0] == 0.0  # it starts from the rapamycin attractor
    for name, value in status.items():
        if value == "on":
            assert course.of(name)[-1] >= 0.97, name
        elif value == "off":
            assert course.of(name)[-1] <= 0.03, name


@pytest.mark.slow
def test_outputs_and_plot(tmp_path):
    model = parse_bnet(LOOP)
    course = simulate_population(model, cells=100, time=2.0, points=5, shown=("a", "d"))
    lines = course.to_csv().splitlines()
    assert lines[0] == "time,a,d" and len(lines) == 6 and lines[-1].startswith("2,")
    data = course.to_json()
    assert data["times"] == [0.0, 0.5, 1.0, 1.5, 2.0]
    header = course.table(columns=9).splitlines()[1].split()
    assert header[3:] == ["0", "0.5", "1", "1.5", "2"]  # every point when there are few
    assert course.table(columns=3).splitlines()[1].split()[3:] == ["0", "1", "2"]
    assert set(data["activity"]) == {"a", "d"}
    assert data["activity"]["a"] == [round(float(v), 6) for v in course.of("a")]
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    figure = course.plot()
    assert isinstance(figure, Figure)
    assert [line.get_label() for line in figure.axes[0].get_lines()] == ["a", "d"]
    course.save_plot(str(tmp_path / "course.svg"))
    assert (tmp_path / "course.svg").read_text().lstrip().startswith("<?xml")


def test_bad_arguments_and_limits():
    model = parse_bnet(LOOP)
    with pytest.raises(InputError, match="did you mean 'a'"):
        simulate_population(model, rates=Rates(up={"aa": 2.0}))
    with pytest.raises(InputError, match=">= 0"):
        simulate_population(model, rates=Rates(up={"a": -1.0}))
    with pytest.raises(InputError, match="unknown node 'e'"):
        simulate_population(model, [{"e": 1}])
    with pytest.raises(InputError, match="positive"):
        simulate_population(model, time=0)
    with pytest.raises(LimitExceeded, match="cells"):
        simulate_population(model, cells=11, limits=PopulationLimits(cells=10))
    with pytest.raises(LimitExceeded, match="transitions"):
        simulate_population(model, cells=10, time=100.0, limits=PopulationLimits(events=20))


def run(*arguments: str):
    return CliRunner().invoke(main, ["simulate", *map(str, arguments)])


@pytest.mark.slow
def test_cli_csv_json_and_plot(tmp_path):
    result = run("46_rapamycin_washout", "--nodes", "mTORC1,S6K1", "--csv", "--points", "5",
                 "--cells", "200", "--time", "8")
    assert result.exit_code == 0, result.output
    rows = result.stdout.splitlines()
    assert rows[0] == "time,mTORC1,S6K1" and len(rows) == 6
    assert rows[1] == "0,0.0000,0.0000"
    plot = tmp_path / "washout.png"
    result = run("46_rapamycin_washout", "--json", "--cells", "200", "--rate", "S6K1=5,0.5",
                 "--plot", plot)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["rates"] == {"up": {"S6K1": 5.0}, "down": {"S6K1": 0.5}}
    assert "mTORC1" in data["activity"] and len(data["times"]) == 101
    assert plot.read_bytes()[:4] == b"\x89PNG"
    rates = tmp_path / "rates.toml"
    rates.write_text("[rates]\nS6K1 = 0\n")
    # fed cells given rapamycin lose S6K1, unless its rate is 0: then it keeps its start
    result = run("08_rapamycin_acute", "--after", "01_fed", "--rates", rates, "--nodes",
                 "S6K1", "--csv", "--cells", "50", "--points", "3")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == ["0,1.0000", "10,1.0000", "20,1.0000"]
    result = run("08_rapamycin_acute", "--after", "01_fed", "--nodes", "S6K1", "--csv",
                 "--cells", "50", "--points", "3")
    assert result.stdout.splitlines()[-1] == "20,0.0000"


@pytest.mark.parametrize("arguments, words, one_line", [
    (["01_fed", "--nodes", "mTORC11"], ["unknown node 'mTORC11'", "did you mean"], True),
    (["01_fed", "--rate", "S6K=2"], ["unknown node 'S6K'", "did you mean 'S6K1'"], True),
    (["01_fed", "--rate", "S6K1=fast"], ["--rate", "numbers"], False),
    (["01_fed", "--rate", "S6K1=-1"], ["--rate", ">= 0"], False),
    (["01_fed", "--rates", "missing.toml"], ["missing.toml", "no such rates file"], True),
    (["01_fed", "--plot", "no/dir/x.png"], ["no/dir/x.png", "no folder"], True),
    (["01_fed", "--plot", "x.pdf"], ["x.pdf", ".png or .svg"], True),
    (["no_such", "--csv"], ["no_such", "no such scenario file"], True),
    (["01_fed", "--max-events", "3"], ["limit reached", "--max-events"], True),
])
def test_cli_bad_input_exits_2(tmp_path, monkeypatch, arguments, words, one_line):
    monkeypatch.chdir(tmp_path)
    result = run(*arguments)
    assert result.exit_code == 2, result.output
    assert result.stdout == "" and "Traceback" not in result.stderr
    if one_line:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("mtorlogic: error: "), result.stderr
    for word in words:
        assert word in result.stderr, result.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_bad_rates_file(tmp_path):
    rates = tmp_path / "rates.toml"
    rates.write_text("[rates]\nS6K1 = [1, -2]\n")
    result = run("01_fed", "--rates", rates)
    assert result.exit_code == 2 and "rates.S6K1" in result.stderr and str(rates) in result.stderr
