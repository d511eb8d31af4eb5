"""``mtorlogic run [SCENARIO...]``: what each scenario does to the key readouts.

Also the helpers ``check`` shares: choosing and loading the scenarios named on the command
line, and showing progress on stderr.

``--json`` prints one object::

    {"scenarios": [
      {"file": "scenarios/fed.toml", "name": "Fed cells", "model": "/.../rules/mtor.rules",
       "semantics": "asynchronous", "initial": null | "scenarios/other.toml",
       "clamps": {"Insulin": 1, "Rapamycin": 0, ...},
       "activity_exact": true,
       "attractors": [{"size": 1, "fixed_point": true, "values": {"mTORC1": 1, ...}}],
       "nodes": {"mTORC1": {"status": "on" | "off" | "oscillates" | "mixed",
                            "activity": 1.0}, ...}}]}

``--csv`` prints one row per scenario and node: ``file,name,node,status,activity``.
"""
from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence, TypeVar

import click

from ..dynamics.results import SEMANTICS

if TYPE_CHECKING:  # pragma: no cover
    from ..readouts import ScenarioResult
    from ..scenarios import Scenario

T = TypeVar("T")

PROGRESS_AFTER = 3
"""Progress is shown on stderr when more scenarios than this run."""

READOUTS = (  # (node, column heading, shown inverted)
    ("mTORC1", "mTORC1", False),
    ("mTORC2", "mTORC2", False),
    ("S6K1", "S6K1", False),
    ("EIF4EBP1", "p-4E-BP1", True),  # EIF4EBP1 = 1 is hypophosphorylated 4E-BP1 (SPEC §1)
    ("AKT_S473", "AKT_S473", False),
    ("AMPK", "AMPK", False),
    ("ULK1", "ULK1", False),
    ("Autophagy", "Autophagy", False),
    ("Translation", "Translation", False),
    ("TFEB", "TFEB", False),
)


def load_arguments(arguments: Sequence[str], *, model: str | None = None,
                   semantics: str | None = None) -> "tuple[Scenario, ...]":
    """The scenarios named on the command line (paths, or names of bundled scenarios), or
    every bundled scenario when none is named; loaded and validated.

    :raises InputError: on a bad file, or when no scenario is named and none is bundled.
    """
    from ..errors import InputError
    from ..scenarios import bundled_scenarios, load_scenarios, resolve_scenario_argument

    paths = ([resolve_scenario_argument(argument) for argument in arguments] if arguments
             else list(bundled_scenarios()))
    if not paths:
        from ..resources import bundled_path

        raise InputError("no scenario named and no bundled scenarios found",
                         str(bundled_path("scenarios")))
    return load_scenarios(paths, model=model, semantics=semantics)


def progress(items: Sequence[T], label: str) -> Iterator[T]:
    """Iterate over ``items``, showing a progress bar on stderr (never stdout) when there
    are more than :data:`PROGRESS_AFTER`."""
    if len(items) <= PROGRESS_AFTER:
        yield from items
        return
    with click.progressbar(items, label=label, file=sys.stderr,
                           item_show_func=lambda item: getattr(item, "label", None)) as bar:
        yield from bar


def scenario_json(scenario: "Scenario") -> dict:
    """The fields that identify a scenario in JSON output."""
    return {"file": str(scenario.path), "name": scenario.name}


def result_json(result: "ScenarioResult") -> dict:
    """One scenario's entry in ``run --json`` (module docstring)."""
    scenario = result.scenario
    return {
        **scenario_json(scenario),
        "model": scenario.model_path,
        "semantics": scenario.semantics,
        "initial": str(scenario.initial.path) if scenario.initial is not None else None,
        "clamps": scenario.clamps,
        "activity_exact": result.activity_exact,
        "attractors": [attractor.to_json() for attractor in result.attractors],
        "nodes": {node: {"status": result.status[node], "activity": result.activity[node]}
                  for node in scenario.model.names},
    }


def cell(status: str, activity: float, *, inverse: bool = False, exact: bool = True) -> str:
    """A table cell: ``on``, ``off``, ``osc .62`` (oscillates, at 1 62% of the time) or
    ``mix .50`` (differs between attractors); ``inverse`` swaps on and off (p-4E-BP1 is
    EIF4EBP1 off); ``~`` marks an activity estimated by simulation."""
    if inverse:
        status = {"on": "off", "off": "on"}.get(status, status)
        activity = 1.0 - activity
    if status in ("on", "off"):
        return status
    share = f"{activity:.2f}".lstrip("0")
    return f"{'osc' if status == 'oscillates' else 'mix'} {'' if exact else '~'}{share}"


def table(results: Sequence["ScenarioResult"]) -> str:
    """The readable table: one row per scenario (named by its file, which is unique and
    short; ``--json`` has the full names), one column per key readout found in the models
    (every non-input node when the model has none of them), and a legend."""
    from ..presentation import format_table

    present = {node for result in results for node in result.scenario.model.names}
    columns = [(node, heading, inverse) for node, heading, inverse in READOUTS
               if node in present]
    if not columns:
        seen: dict[str, None] = {}
        for result in results:
            model = result.scenario.model
            seen.update((node, None) for node in model.names if node not in model.inputs)
        columns = [(node, node, False) for node in seen]
    rows = [[cell(result.status[node], result.activity[node], inverse=inverse,
                  exact=result.activity_exact) if node in result.status else "-"
             for node, _, inverse in columns] for result in results]
    lines = [format_table(["scenario"] + [heading for _, heading, _ in columns],
                          [[result.scenario.label] + row for result, row in zip(results, rows)])]
    legend = ["on/off: in every state of every attractor reached",
              "osc .62: oscillates, at 1 for 62% of the time; mix .50: differs between "
              "attractors (mean activity)"]
    if any(inverse for _, _, inverse in columns):
        legend.append("p-4E-BP1: EIF4EBP1 off (phosphorylated, eIF4E released)")
    if not all(result.activity_exact for result in results):
        legend.append("~: activity estimated by simulation")
    return "\n".join(lines + [""] + legend)


def csv_text(results: Iterable["ScenarioResult"]) -> str:
    """``--csv``: a header and one row per scenario and node."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["file", "name", "node", "status", "activity"])
    for result in results:
        for node in result.scenario.model.names:
            writer.writerow([str(result.scenario.path), result.scenario.name, node,
                             result.status[node], f"{result.activity[node]:.6g}"])
    return buffer.getvalue()


@click.command()
@click.argument("scenarios", nargs=-1, metavar="[SCENARIO]...")
@click.option("--model", "model", metavar="PATH",
              help="Run on this model instead of the scenarios' own (`mtor` = bundled).")
@click.option("--semantics", type=click.Choice(SEMANTICS),
              help="Use this semantics instead of the scenarios' own.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV, one row per scenario × node.")
def run(scenarios: tuple[str, ...], model: str | None, semantics: str | None, as_json: bool,
        as_csv: bool) -> None:
    """Run scenarios and show the key readouts: on, off, or oscillating with the share of
    time active (osc .62), and mix when attractors disagree.

    A SCENARIO is a .toml file or the name of a bundled scenario (`fed`); with none, every
    bundled scenario runs on the bundled model.
    """
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    from ..readouts import run_scenario

    loaded = load_arguments(scenarios, model=model, semantics=semantics)
    cache: dict = {}
    results = [run_scenario(scenario, cache) for scenario in progress(loaded, "running")]
    if as_json:
        import json

        click.echo(json.dumps({"scenarios": [result_json(r) for r in results]}, indent=2))
    elif as_csv:
        click.echo(csv_text(results), nl=False)
    else:
        click.echo(table(results))
