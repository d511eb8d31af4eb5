"""``mtorlogic simulate SCENARIO``: population time courses (stochastic, asynchronous,
continuous time; :mod:`mtorlogic.dynamics.population` states the semantics).

``--json`` prints ``{"title", "cells", "seed", "rates": {"up": {...}, "down": {...}},
"stable_fraction", "times": [...], "activity": {NODE: [...]}}``; ``--csv`` prints
``time,NODE,...`` with one row per time point.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import click

from .draw import NODES
from .options import limit_options, make_limits

DEFAULT_NODES = ("mTORC1", "mTORC1_kinase", "mTORC2", "S6K1", "EIF4EBP1", "AKT_S473",
                 "AKT_S473_high", "ULK1", "Autophagy", "TFEB")
"""Reported without --nodes: those the model has (else every node that is not an input)."""


class RateType(click.ParamType):
    """``NODE=RATE`` (both directions) or ``NODE=UP,DOWN``: finite numbers >= 0."""

    name = "NODE=UP[,DOWN]"

    def convert(self, value, param, ctx) -> tuple[str, float, float]:
        if isinstance(value, tuple):
            return value
        name, equals, numbers = str(value).partition("=")
        parts = numbers.split(",")
        if not equals or not name.strip() or len(parts) > 2:
            self.fail(f"expected NODE=RATE or NODE=UP,DOWN, got {value!r}", param, ctx)
        try:
            rates = [float(part) for part in parts]
        except ValueError:
            self.fail(f"rates must be numbers, got {value!r}", param, ctx)
        if not all(math.isfinite(rate) and rate >= 0 for rate in rates):
            self.fail(f"rates must be finite and >= 0, got {value!r}", param, ctx)
        up, down = (rates[0], rates[0]) if len(rates) == 1 else (rates[0], rates[1])
        return name.strip(), up, down


def read_rates_file(path: str) -> tuple[dict[str, float], dict[str, float]]:
    """A rates file: a TOML ``[rates]`` table of ``NODE = RATE`` (both directions) or
    ``NODE = [UP, DOWN]``.

    :raises InputError: naming the file and key on any problem.
    """
    from ..errors import InputError
    from ..scenarios import tomllib  # the standard library's, or tomli before Python 3.11

    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("no such rates file", path) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read rates file ({error})", path) from None
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"TOML syntax error: {error}", path) from None
    unknown = [key for key in data if key != "rates"]
    if unknown or not isinstance(data.get("rates"), dict):
        raise InputError("expected one [rates] table of NODE = RATE or NODE = [UP, DOWN]",
                         path, key=unknown[0] if unknown else "rates")
    up: dict[str, float] = {}
    down: dict[str, float] = {}
    for name, value in data["rates"].items():
        pair = value if isinstance(value, list) else [value, value]
        if len(pair) != 2 or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                     and math.isfinite(v) and v >= 0 for v in pair):
            raise InputError(f"must be a number >= 0 or [UP, DOWN], not {value!r}", path,
                             key=f"rates.{name}")
        up[name], down[name] = float(pair[0]), float(pair[1])
    return up, down


@click.command()
@click.argument("scenario_path", metavar="SCENARIO")
@click.option("--after", "after_path", metavar="SCENARIO",
              help="Start from the attractors this other scenario reaches, with SCENARIO's "
                   "clamps applied at time 0 (as `initial` in a scenario file).")
@click.option("--model", "model", metavar="PATH",
              help="Run on this model instead of the scenario's own (`mtor` = bundled).")
@click.option("--nodes", "node_lists", type=NODES, multiple=True,
              help="Nodes to report (default: key readouts such as mTORC1, S6K1, EIF4EBP1).")
@click.option("--cells", type=click.IntRange(1), default=1000, show_default=True,
              help="Number of simulated cells.")
@click.option("--time", "end_time", type=click.FloatRange(0, min_open=True), default=20.0,
              show_default=True, help="End time (1 = mean waiting time of a unit-rate change).")
@click.option("--points", type=click.IntRange(2, 100_000), default=101, show_default=True,
              help="Evenly spaced sample times from 0 to --time.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Random seed; the same seed gives the same result.")
@click.option("--rate", "rate_items", type=RateType(), multiple=True,
              help="Rate of a node's changes (default 1); repeatable, e.g. S6K1=10 or "
                   "FOXO=0.1,0.5 (up, down).")
@click.option("--rates", "rates_file", metavar="FILE",
              help="A TOML file with a [rates] table (NODE = RATE or NODE = [UP, DOWN]); "
                   "--rate wins over it.")
@click.option("--max-events", type=click.IntRange(1), default=20_000, show_default=True,
              help="Most transitions one cell may take before the end time.")
@click.option("--plot", "plot_path", metavar="FILE.png|FILE.svg",
              help="Also draw the time course into this file.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV: time,NODE,... per time point.")
@limit_options
def simulate(scenario_path: str, after_path: str | None, model: str | None,
             node_lists: tuple[tuple[str, ...], ...], cells: int, end_time: float,
             points: int, seed: int, rate_items: tuple[tuple[str, float, float], ...],
             rates_file: str | None, max_events: int, plot_path: str | None, as_json: bool,
             as_csv: bool, **limit_values: Any) -> None:
    """Simulate a population of cells under SCENARIO and report, over time, the fraction
    of cells in which each node is active.

    Each cell is a continuous-time Markov chain (as in MaBoSS): a node whose rule
    disagrees with its value changes at its rate (1 unless --rate says otherwise). Cells
    start from the attractors of the scenario's `initial` phase (or of --after), with the
    scenario's clamps applied at time 0; without an earlier phase, unclamped nodes start
    at random. See docs/visual.md for the precise semantics.

    \b
    Examples:
      mtorlogic simulate 08_rapamycin_acute --after 01_fed --plot rapamycin.png
      mtorlogic simulate 46_rapamycin_washout --nodes mTORC1,S6K1 --csv
      mtorlogic simulate 01_fed --rate S6K1=10 --cells 10000 --json
    """
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    from ..dynamics.population import (
        PopulationLimits,
        Rates,
        plot_target,
        simulate_scenario,
    )
    from .run import load_arguments

    if plot_path:
        plot_target(plot_path)  # a bad path fails before the simulation, not after

    paths = [scenario_path] + ([after_path] if after_path else [])
    loaded = load_arguments(paths, model=model)
    scenario = loaded[0]
    after = loaded[1] if after_path else None
    up: dict[str, float] = {}
    down: dict[str, float] = {}
    if rates_file:
        up, down = read_rates_file(rates_file)
    for name, rate_up, rate_down in rate_items:
        up[name], down[name] = rate_up, rate_down
    names = scenario.model.names
    if node_lists:
        shown = tuple(dict.fromkeys(name for names_ in node_lists for name in names_))
    else:
        shown = tuple(node for node in DEFAULT_NODES if node in names) or tuple(
            name for name in names if name not in scenario.model.inputs)
    course = simulate_scenario(scenario, after=after, cells=cells, time=end_time,
                               points=points, rates=Rates(up, down), seed=seed, shown=shown,
                               limits=PopulationLimits(events=max_events),
                               search_limits=make_limits(**limit_values))
    if plot_path:
        course.save_plot(plot_path)
    if as_json:
        import json

        click.echo(json.dumps(course.to_json()))
    elif as_csv:
        click.echo(course.to_csv(), nl=False)
    else:
        click.echo(course.table())
