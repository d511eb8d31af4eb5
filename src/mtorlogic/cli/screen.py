"""``mtorlogic screen BASE... --target EXPR``: which perturbations give a phenotype.

``--json`` prints SPEC §5's object (with the compatible extensions listed in
:meth:`mtorlogic.analysis.report.ScreenReport.to_json`); ``--csv`` one row per
perturbation; the default is a readable ranked report. Heavy imports happen inside the
command, so ``mtorlogic --help`` stays fast.
"""
from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, Callable, Sequence

import click

from ..assignments import parse_assignment
from ..dynamics.results import SEMANTICS
from .options import limit_options, make_limits

if TYPE_CHECKING:  # pragma: no cover
    from ..analysis.spec import Items, ScreenSpec
    from ..analysis.store import Verdicts

    Results = dict[Items, Verdicts]

Choice = tuple[str, "int | None"]


class NodeChoices(click.ParamType):
    """``A,B=0,Rapamycin``: nodes to perturb, each bare (both values, or 1 for a drug
    input) or ``NODE=0|1``; ``none`` for no node (drugs only). Names are checked against
    the models once they are loaded (:func:`mtorlogic.analysis.plan.resolve_items`)."""

    name = "nodes"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> list[Choice]:
        if isinstance(value, list):
            return value
        text = str(value)
        if text.strip().lower() == "none":
            return []
        choices: list[Choice] = []
        for entry in (part.strip() for part in text.split(",")):
            if not entry:
                continue
            try:
                choices.append(parse_assignment(entry, bare=True))
            except ValueError as error:
                self.fail(str(error), param, ctx)
        if not choices:
            self.fail("nothing to screen: no node given (`none` screens the drugs only)",
                      param, ctx)
        return choices


class DrugChoices(click.ParamType):
    """``D1,D2``: drug inputs set to 1; ``none`` for no drug."""

    name = "drugs"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> list[str]:
        if isinstance(value, list):
            return value
        text = str(value)
        if text.strip().lower() == "none":
            return []
        names = [part.strip() for part in text.split(",") if part.strip()]
        if not names:
            self.fail("no drug given (use `none` for no drug)", param, ctx)
        return names


@click.command()
@click.argument("bases", nargs=-1, required=True, metavar="BASE...")
@click.option("--target", "-t", "targets", required=True, multiple=True, metavar="EXPR",
              help='The phenotype, a Boolean expression over nodes: "!mTORC1 & !AKT_S473", '
                   '"Autophagy" (! & | and parentheses). Repeat -t to screen several '
                   "targets in one report (with --output, target k is kept in "
                   "FILE-tk.jsonl).")
@click.option("--nodes", type=NodeChoices(), metavar="A,B=0,...",
              help="Perturb these: a bare non-input node gives its knockout and activation, "
                   "NODE=0|1 just that one, a drug input sets it to 1; `none`: drugs only. "
                   "Default: every non-input node both ways, plus the drugs.")
@click.option("--levels", "levels", is_flag=True,
              help="Perturb a node booleanised into levels (X with X_2, X_3, ...; X_b2, ...; "
                   "X_high) as a whole: X=0 sets every level 0, X=1 every level 1; a level "
                   "named in --nodes stands for its node. The report lists the groups.")
@click.option("--drugs", type=DrugChoices(), metavar="D1,D2|none",
              help="Drug inputs screened (set to 1). Default: the model's known drugs "
                   "(Rapamycin, Torin1, ...); added to --nodes only when given.")
@click.option("--max-size", "-k", type=click.IntRange(1, 6), metavar="K",
              help="Largest set screened: every single, pair, ... up to K "
                   "(default 2; in a grid, per axis, default 1).")
@click.option("--grid", "is_grid", is_flag=True,
              help="Screen mutations x drugs: every set of up to K perturbations from "
                   "--nodes combined with every set of up to K drugs (none included). "
                   "Several BASE files are the environments.")
@click.option("--semantics", type=click.Choice(SEMANTICS + ("all",)),
              help="Judge under this semantics instead of each scenario's own; `all`: "
                   "asynchronous, synchronous and most-permissive, and report where they "
                   "disagree.")
@click.option("--accept", type=click.Choice(["always", "sometimes"]), default="always",
              show_default=True,
              help="What counts as achieving the target for minimal sets and synergy: "
                   "`sometimes` also accepts verdicts that hold in some attractor states.")
@click.option("--model", "model", metavar="PATH",
              help="Run the scenarios on this model instead of their own (`mtor` = bundled).")
@click.option("--output", "-o", metavar="FILE.jsonl", type=click.Path(dir_okay=False),
              help="Append each finished verdict to this file as it comes; an interrupted "
                   "screen can be resumed from it.")
@click.option("--resume", is_flag=True,
              help="Continue the screen in --output, skipping finished perturbations.")
@click.option("--jobs", "-j", type=click.IntRange(1), metavar="N",
              help="Local worker processes (default: one per core; small screens run in "
                   "this process).")
@click.option("--scheduler", metavar="ADDRESS",
              help="Run on this Dask distributed scheduler (tcp://host:8786) instead of "
                   "locally; workers need mtorlogic installed.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (SPEC §5).")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV, one row per perturbation.")
@click.option("--plot", metavar="FILE.png|svg", type=click.Path(dir_okay=False),
              help="Also draw a heat map of the pairs (or of the grid).")
@click.option("--top", type=click.IntRange(1), default=20, show_default=True,
              help="Rows per ranked list in the readable report.")
@click.option("--probabilities", "with_probabilities", is_flag=True,
              help="For each `sometimes` verdict, the probability of the target in the long "
                   "run of the random asynchronous update from the start states (exact "
                   "absorption probabilities when at most 20,000 states are reachable, else "
                   "estimated from 1,000 seeded walks with a 95% interval); ranks by it.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@limit_options
def screen(bases: tuple[str, ...], targets: tuple[str, ...], nodes: list[Choice] | None,
           drugs: list[str] | None,
           max_size: int | None, is_grid: bool, semantics: str | None, accept: str,
           model: str | None, output: str | None, resume: bool, jobs: int | None,
           scheduler: str | None, as_json: bool, as_csv: bool, plot: str | None, top: int,
           with_probabilities: bool, quiet: bool, levels: bool, max_explicit_nodes: int,
           max_candidates: int, max_trap_spaces: int, max_seconds: float,
           max_memory: float | None) -> None:
    """Screen perturbations of the BASE scenarios (.toml files or bundled names) for the
    target phenotype: every single, pair, ... up to --max-size of the chosen knockouts
    (NODE=0), activations (NODE=1) and drugs, each judged in every attractor reached:
    always, sometimes or never.

    Reports, ranked: the minimal sets that achieve the target (no subset does) and the
    synergistic pairs (the pair does, neither single does). Several BASE scenarios are
    judged together: `always` then means in each of them.

    \b
    Examples:
      mtorlogic screen 13_tsc_loss_no_insulin -t '!mTORC1 & !AKT_S473'
      mtorlogic screen 01_fed -t 'EIF4EBP1 & !AKT_S473' --nodes Rapamycin,Torin1,Metformin
      mtorlogic screen 01_fed -t Autophagy -o screen.jsonl --resume --plot pairs.png
    """
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    if resume and output is None:
        raise click.UsageError("--resume needs --output FILE (the file to continue)")
    if scheduler is not None and jobs is not None:
        raise click.UsageError("choose one of --jobs and --scheduler")
    if plot is not None and len(targets) > 1:
        raise click.UsageError("--plot draws one target; give one -t")
    from ..analysis.plan import plan
    from ..analysis.report import ScreenReport
    from ..analysis.screen import build_spec
    from ..analysis.screen import screen as run_screen
    from .run import load_arguments

    if plot is not None:
        from ..analysis.plot import check_plot_target

        check_plot_target(plot)  # before the screen's work, not after it
    scenarios = load_arguments(bases, model=model,
                               semantics=semantics if semantics in SEMANTICS else None)
    models = [scenario.model for scenario in scenarios]
    limits = make_limits(max_explicit_nodes, max_candidates, max_seconds, max_trap_spaces,
                         max_memory=max_memory)
    chosen = plan(models, nodes=nodes, drugs=drugs, max_size=max_size, is_grid=is_grid,
                  levels=levels)
    specs = [build_spec(scenarios, target, semantics=semantics, limits=limits,
                        levels=chosen.levels)
             for target in targets]  # every target checked before any work starts
    if scheduler is not None:
        from ..analysis.cluster import connect

        connect(scheduler).close()  # fail early (exit 2) on an unreachable scheduler
    reports = []
    for number, spec in enumerate(specs, start=1):
        results = _run_with_progress(run_screen, spec, chosen.perturbations,
                                     output=_output_of(output, number, len(specs)),
                                     resume=resume, jobs=jobs, scheduler=scheduler,
                                     show=not quiet)
        chances = None
        if with_probabilities:
            from ..analysis.probabilities import sometimes_probabilities

            chances = sometimes_probabilities(spec, chosen.perturbations, results)
        reports.append(ScreenReport(spec, chosen, results, accept=accept,
                                    probabilities=chances))
    if plot is not None:
        from ..analysis.plot import heat_map

        heat_map(reports[0], plot)
    if as_json:
        import json

        shown = reports[0].to_json() if len(reports) == 1 else {
            "targets": list(targets), "screens": [report.to_json() for report in reports]}
        click.echo(json.dumps(shown, indent=1))
    elif as_csv:
        click.echo(_csv_of(reports), nl=False)
    else:
        rule = "\n\n" + "=" * 40 + "\n"
        click.echo(rule.join(report.table(top=top) for report in reports))


def _output_of(output: str | None, number: int, count: int) -> str | None:
    """The results file of target ``number`` of ``count``: ``output`` itself for one
    target, else ``FILE-t<number>.jsonl`` next to it."""
    if output is None or count == 1:
        return output
    from pathlib import Path

    path = Path(output)
    return str(path.with_name(f"{path.stem}-t{number}{path.suffix or '.jsonl'}"))


def _csv_of(reports: Sequence[Any]) -> str:
    """One report's CSV; for several targets, their rows under one header with a first
    ``target`` column."""
    if len(reports) == 1:
        return str(reports[0].csv_text())
    import csv
    import io

    tables = [list(csv.reader(io.StringIO(report.csv_text()))) for report in reports]
    header = max((table[0] for table in tables), key=len)  # with `error` if any has it
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["target", *header])
    for report, table in zip(reports, tables):
        for row in table[1:]:
            writer.writerow([report.spec.target, *row, *[""] * (len(header) - len(row))])
    return buffer.getvalue()


def _run_with_progress(run_screen: Callable[..., Results], spec: ScreenSpec,
                       perturbations: Sequence[Items], *, output: str | None, resume: bool,
                       jobs: int | None, scheduler: str | None, show: bool) -> Results:
    """Run the screen with a progress bar (with time left) on stderr; on an interruption,
    say where the finished results are."""
    import signal

    total = len(perturbations)
    bar = None
    previous = signal.getsignal(signal.SIGTERM)

    def terminate(signum: int, frame: object) -> None:  # a plain `kill`: like Ctrl-C
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    try:
        if show and total > 1 and sys.stderr.isatty():
            bar = click.progressbar(length=total, label="screening", file=sys.stderr,
                                    show_eta=True, show_pos=True)
            bar.__enter__()

        def progress(count: int) -> None:
            if bar is not None:
                bar.update(count)

        return run_screen(spec, perturbations, output=output, resume=resume, jobs=jobs,
                          scheduler=scheduler, progress=progress)
    except KeyboardInterrupt:
        if bar is not None:
            bar.__exit__(None, None, None)
            bar = None
        if output is not None:
            click.echo(f"mtorlogic: interrupted; finished verdicts are in {output}: add "
                       "--resume to continue", err=True)
        raise
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
        signal.signal(signal.SIGTERM, previous)
