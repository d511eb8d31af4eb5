"""``mtorlogic run [SCENARIO...]``: what each scenario does to the key readouts.

Also the helpers ``check`` and ``scenarios`` share: choosing and loading the scenarios named
on the command line, the ``--model``/``--semantics`` options, and progress on stderr.

``--json`` prints one object::

    {"scenarios": [
      {"file": "01_fed", "name": "Fed cells", "model": "mtor",
       "semantics": "asynchronous", "initial": null | "scenarios/other.toml",
       "clamps": {"Insulin": 1, "Rapamycin": 0, ...},
       "activity_exact": true,
       "attractors": [{"size": 1, "fixed_point": true, "values": {"mTORC1": 1, ...}}],
       "nodes": {"mTORC1": {"status": "on" | "off" | "oscillates" | "mixed",
                            "activity": 1.0}, ...}}]}

Files are named as on the command line: a bundled scenario by its stem, the bundled model
as ``mtor``. ``--csv`` prints one row per scenario and node: ``file,name,node,status,activity``.
"""
from __future__ import annotations

import sys
import textwrap
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence, TypeVar

import click

from ..dynamics.results import SEMANTICS
from .options import limit_options, make_limits

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Model
    from ..readouts import ScenarioResult
    from ..scenarios import Scenario

T = TypeVar("T")

PROGRESS_AFTER = 3
"""Progress is shown on stderr (a terminal only) when more scenarios than this run."""

READOUTS = ("mTORC1", "mTORC1_kinase", "mTORC2", "S6K1", "EIF4EBP1", "AKT_S473",
            "Autophagy")
"""The default columns on a model that has them all (the bundled model and its edits)."""

NOTES = {
    "mTORC1": "mTORC1: rapamycin-sensitive activity (FRB free; S6K1, ULK1); mTORC1_kinase: "
              "the lysosomal kinase, also on under rapamycin (4E-BP1 T37/46)",
    "mTORC1_kinase": "mTORC1_kinase: the lysosomal kinase engaged by Rheb and the Rags, "
                     "on under rapamycin",
    "EIF4EBP1": "EIF4EBP1 on: active 4E-BP1 (unphosphorylated, holds eIF4E); off: "
                "p-4E-BP1",
}
"""Legend lines for columns whose meaning a reader could mistake."""

MIN_LABEL = 16
"""The scenario column is never cut below this width."""


def model_options(command: Callable) -> Callable:
    """``--model`` and ``--semantics``: run scenarios on another model or semantics."""
    command = click.option("--semantics", type=click.Choice(SEMANTICS),
                           help="Use this semantics instead of the scenarios' own.")(command)
    command = click.option("--model", "model", metavar="PATH",
                           help="Run on this model instead of the scenarios' own (`mtor` = "
                                "bundled; `rules/mtor.rules` = your edited copy).")(command)
    return command


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
    """Iterate over ``items``, showing a progress bar on stderr when it is a terminal and
    there are more than :data:`PROGRESS_AFTER` (pipes and files get only the results)."""
    if len(items) <= PROGRESS_AFTER or not sys.stderr.isatty():
        yield from items
        return
    with click.progressbar(items, label=label, file=sys.stderr,
                           item_show_func=lambda item: getattr(item, "label", None)) as bar:
        yield from bar


def scenario_json(scenario: "Scenario") -> dict:
    """The fields that identify a scenario in JSON output."""
    return {"file": scenario.shown_path, "name": scenario.name}


def result_json(result: "ScenarioResult") -> dict:
    """One scenario's entry in ``run --json`` (module docstring)."""
    scenario = result.scenario
    return {
        **scenario_json(scenario),
        "model": scenario.shown_model,
        "semantics": scenario.semantics,
        "initial": scenario.initial.shown_path if scenario.initial is not None else None,
        "clamps": scenario.clamps,
        "activity_exact": result.activity_exact,
        "attractors": [attractor.to_json() for attractor in result.attractors],
        "nodes": {node: {"status": str(result.status[node]),
                         "activity": result.activity[node]}
                  for node in scenario.model.names},
    }


def cell(status: str, activity: float, *, exact: bool = True) -> str:
    """A table cell: ``on``, ``off``, ``osc .32`` (oscillates, at 1 32% of the time) or
    ``mix .50`` (differs between attractors; mean activity); ``~`` marks an activity
    estimated by simulation."""
    if status in ("on", "off"):
        return str(status)
    share = f"{activity:.2f}".lstrip("0")
    return f"{'osc' if status == 'oscillates' else 'mix'} {'' if exact else '~'}{share}"


def output_nodes(model: "Model") -> list[str]:
    """The nodes no other node's rule reads (the model's outputs), inputs left out; every
    non-input node when the model has none (all of them feed back)."""
    read = {regulator for node in model.nodes for regulator in node.regulators
            if regulator != node.name}
    outputs = [name for name in model.names if name not in read and name not in model.inputs]
    return outputs or [name for name in model.names if name not in model.inputs]


def default_columns(models: Iterable["Model"]) -> list[str]:
    """The key readouts on models that have them all, else each model's outputs."""
    columns: dict[str, None] = {}
    for model in models:
        wanted = READOUTS if all(n in model for n in READOUTS) else output_nodes(model)
        columns.update((node, None) for node in wanted)
    return list(columns)


def check_nodes(nodes: Sequence[str], models: Iterable["Model"]) -> None:
    """Every name in ``--nodes`` is a node of some model, else a one-line error with the
    closest name (case ignored)."""
    from ..errors import InputError
    from ..scenarios import suggest

    known: dict[str, None] = {}
    for model in models:
        known.update((name, None) for name in model.names)
    for node in nodes:
        if node not in known:
            raise InputError(f"unknown node {node!r}{suggest(node, known)}", key="--nodes")


def heading(node: str) -> str:
    """A column heading: long names with an underscore take two lines (``AKT`` over
    ``S473``) so the table stays narrow."""
    first, _, rest = node.partition("_")
    return f"{first}_\n{rest}" if rest and len(node) > 8 else node


def table(results: Sequence["ScenarioResult"], nodes: Sequence[str] | None = None, *,
          titles: bool = False, width: int | None = None) -> str:
    """The readable table: one row per scenario, named by its file stem (or its title
    with ``titles``), one column per node of ``nodes`` (default: :func:`default_columns`),
    and a legend that explains only what the table shows. Laid out to fit ``width``
    columns (default :data:`~mtorlogic.presentation.WIDTH`): long scenario names are cut
    (``…``) and columns that do not fit are left out and counted in the legend."""
    from ..presentation import WIDTH, format_table, shorten

    width = WIDTH if width is None else width
    models = [result.scenario.model for result in results]
    columns = list(nodes) if nodes else default_columns(models)
    cells = [[cell(result.status[node], result.activity[node], exact=result.activity_exact)
              if node in result.status else "-" for node in columns] for result in results]
    column_widths = [max([len(line) for line in heading(node).split("\n")]
                         + [len(row[i]) for row in cells]) for i, node in enumerate(columns)]
    labels = [result.scenario.name if titles else result.scenario.label for result in results]
    label_width = max([len("scenario")] + [len(label) for label in labels])
    kept = len(columns)
    while kept > 1 and (max(MIN_LABEL, len("scenario"))
                        + sum(w + 2 for w in column_widths[:kept])) > width:
        kept -= 1
    label_width = min(label_width, max(MIN_LABEL, width - sum(w + 2 for w in
                                                               column_widths[:kept])))
    rows = [[shorten(label, label_width)] + row[:kept] for label, row in zip(labels, cells)]
    lines = [format_table(["scenario"] + [heading(node) for node in columns[:kept]], rows),
             ""]
    notes = legend(results, columns[:kept], cells)
    if kept < len(columns):
        left = columns[kept:]
        notes.append(f"not shown (too wide): {', '.join(left[:6])}"
                     f"{', …' if len(left) > 6 else ''}; choose with --nodes")
    lines += [textwrap.fill(note, width, subsequent_indent="  ") for note in notes]
    return "\n".join(lines)


def legend(results: Sequence["ScenarioResult"], columns: Sequence[str],
           cells: Sequence[Sequence[str]]) -> list[str]:
    """What the cells mean, with examples taken from the table itself and wording that
    fits the semantics of the scenarios shown."""
    shown = [(result, row[:len(columns)]) for result, row in zip(results, cells)]
    lines = ["on/off: in every state of every attractor reached"]

    def example(prefix: str, semantics: str) -> str | None:
        return next((value for result, row in shown if result.scenario.semantics == semantics
                     for value in row if value.startswith(prefix)), None)

    for semantics in dict.fromkeys(result.scenario.semantics for result in results):
        osc = example("osc", semantics)
        if osc is None:
            continue
        share = osc.split()[-1].lstrip("~")
        percent = f"{round(float(share) * 100)}%"
        if semantics == "asynchronous":
            text = (f"changes inside every attractor reached, at 1 for {percent} of the time "
                    "(random asynchronous updates)")
        elif semantics == "synchronous":
            text = f"changes along every cycle reached, at 1 in {percent} of its states"
        else:
            text = ("free in every minimal trap space reached (most-permissive; counted "
                    "as .50)")
        lines.append(f"{osc}: {text}")
    mix = next((value for _, row in shown for value in row if value.startswith("mix")), None)
    if mix is not None:
        lines.append(f"{mix}: differs between the attractors reached (mean activity "
                     f"{mix.split()[-1].lstrip('~')})")
    if any("~" in value for _, row in shown for value in row):
        lines.append("~: activity estimated by simulation")
    curated = any("mTORC1_kinase" in result.scenario.model for result in results)
    notes = [NOTES[node] for node in columns if node in NOTES
             # mTORC1's note contrasts it with mTORC1_kinase: only where that node exists.
             and (node != "mTORC1" or curated)]
    if "mTORC1" in columns and "mTORC1_kinase" in columns:
        notes = [note for note in notes if not note.startswith("mTORC1_kinase:")]
    return lines + notes


def csv_text(results: Iterable["ScenarioResult"]) -> str:
    """``--csv``: a header and one row per scenario and node."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["file", "name", "node", "status", "activity"])
    for result in results:
        for node in result.scenario.model.names:
            writer.writerow([result.scenario.shown_path, result.scenario.name, node,
                             str(result.status[node]), f"{result.activity[node]:.6g}"])
    return buffer.getvalue()


class NodeList(click.ParamType):
    """``A,B,C``: node names, checked against the model once it is loaded."""

    name = "NODE,..."

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> tuple[str, ...]:
        if isinstance(value, tuple):
            return value
        nodes = tuple(part.strip() for part in str(value).split(",") if part.strip())
        if not nodes:
            self.fail("name at least one node, e.g. --nodes mTORC1,S6K1", param, ctx)
        return nodes


@click.command(epilog="""\b
Examples:
  mtorlogic run                                  every bundled scenario
  mtorlogic run 01_fed 08_rapamycin_acute        two bundled scenarios (see `mtorlogic scenarios`)
  mtorlogic run 01_fed --nodes mTORC1,S6K1,ULK1  choose the columns
  mtorlogic run --model rules/mtor.rules         your edited copy of the model
  mtorlogic run 01_fed --json                    everything, for programs""")
@click.argument("scenarios", nargs=-1, metavar="[SCENARIO]...")
@model_options
@click.option("--nodes", type=NodeList(), default=None,
              help="Columns to show, comma-separated (default: the key mTOR readouts, or "
                   "a foreign model's output nodes).")
@click.option("--titles", is_flag=True, help="Name rows by scenario title, not file name.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV, one row per scenario × node.")
@limit_options
def run(scenarios: tuple[str, ...], model: str | None, semantics: str | None,
        nodes: tuple[str, ...] | None, titles: bool, as_json: bool, as_csv: bool,
        **limit_values: Any) -> None:
    """Run scenarios and show the key readouts: on, off, or oscillating with the share of
    time active (osc .32), and mix when attractors disagree.

    A SCENARIO is a .toml file or the name of a bundled scenario (`01_fed`); with none,
    every bundled scenario runs on the bundled model.
    """
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    from ..readouts import run_scenario

    loaded = load_arguments(scenarios, model=model, semantics=semantics)
    if nodes:
        check_nodes(nodes, [scenario.model for scenario in loaded])
    cache: dict = {}
    limits = make_limits(**limit_values)
    results = [run_scenario(scenario, cache, limits=limits)
               for scenario in progress(loaded, "running")]
    if as_json:
        import json

        click.echo(json.dumps({"scenarios": [result_json(r) for r in results]}, indent=2))
    elif as_csv:
        click.echo(csv_text(results), nl=False)
    else:
        click.echo(table(results, nodes, titles=titles))
