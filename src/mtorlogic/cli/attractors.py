"""``mtorlogic attractors MODEL``: every attractor, or those reached from a start.

Inputs stay free unless set (the command's contract), and free inputs multiply the attractors: each
combination of their values is an environment of its own. The text output says how many
inputs are free and how many combinations that makes, and points to the three ways of
setting them: ``--set``, ``--scenario NAME`` (a scenario's environment, other inputs 0) and
``--unset-inputs 0``. When the attractors are too many to show side by side they are
summarised, grouped by the values of a few nodes (``--by``); ``--all`` lists every one.
"""
from __future__ import annotations

import json
import sys
import time
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Sequence

import click

from ..dynamics.results import SEMANTICS
from .options import DEFAULT_LIMITS, Assignments, limit_options, make_limits, merge_option
from .run import NodeList

GROUP_NODES = 6
"""The summary groups by at most this many nodes unless ``--by`` says otherwise."""


@contextmanager
def status_line(interval: float = 0.25) -> Iterator[Callable[[str], None] | None]:
    """A progress callback that keeps one status line on stderr, at most every
    ``interval`` seconds, erased at the end; silent unless stderr is a terminal, so pipes
    and files get only the results."""
    if not sys.stderr.isatty():
        yield None
        return
    import shutil

    last = [0.0]

    def show(message: str) -> None:
        now = time.monotonic()
        if now - last[0] >= interval:
            last[0] = now
            width = shutil.get_terminal_size().columns - 1
            sys.stderr.write("\r\033[K" + message[:width])
            sys.stderr.flush()

    try:
        yield show
    finally:
        sys.stderr.write("\r\033[K")
        sys.stderr.flush()


SET_INPUTS = "--set, --scenario NAME or --unset-inputs 0"
"""How the command line sets inputs (the Python API says it its own way)."""


def free_inputs_note(free: Sequence[str], total: int, how: str = SET_INPUTS) -> str:
    """One sentence: how many inputs are free, how many environments that makes, and how
    to set them."""
    combinations = 2 ** len(free)
    names = ", ".join(free[:5]) + (", …" if len(free) > 5 else "")
    return (f"{len(free)} of {total} inputs are free ({names}): the attractors cover all "
            f"{combinations:,} combinations of their values. Set them with {how}.")


def grouping_nodes(model: Any, attractors: Sequence[Any], by: Sequence[str] | None) -> list[str]:
    """The nodes the summary groups by: ``by``, or the default columns of ``run`` that
    differ between the attractors (else any differing nodes), at most :data:`GROUP_NODES`."""
    if by:
        return list(by)
    from .run import default_columns

    def differs(name: str) -> bool:
        return len({str(a.values[name]) for a in attractors}) > 1

    preferred = [n for n in default_columns([model]) if differs(n)]
    others = [n for n in model.names if differs(n) and n not in preferred]
    return (preferred + others)[:GROUP_NODES] or list(model.names[:1])


@click.command(epilog="""\b
Examples:
  mtorlogic attractors mtor --scenario 08_rapamycin_acute
                       the attractors behind a scenario (its inputs set, the rest 0)
  mtorlogic attractors mtor --unset-inputs 0 --set Insulin=1 --set Glucose=1 --set Oxygen=1
                       amino-acid-starved cells, every other input 0
  mtorlogic attractors docs/examples/toy.rules --by RAG,mTORC1
                       (in a checkout) every environment, grouped by RAG and mTORC1
  mtorlogic attractors docs/examples/toy.rules --set Insulin=1 --initial Leucine=0
                       only those reached from states with Leucine=0""")
@click.argument("model_path", metavar="MODEL")
@click.option("--semantics", type=click.Choice(SEMANTICS), default=None,
              help="Update semantics [default: asynchronous, or the scenario's].")
@click.option("--set", "assignments", type=Assignments(), multiple=True,
              callback=merge_option, metavar="NODE=0|1",
              help="Clamp a node (an input, a knockout, a constitutive activation); repeat. "
                   "NODE*=0|1 clamps NODE and all its levels (NODE_2, NODE_3... or "
                   "NODE_high).")
@click.option("--scenario", "scenario_name", metavar="NAME",
              help="Set the inputs, drugs and mutations of this scenario (file or bundled "
                   "name; inputs it leaves out are 0), and start where its `initial` phase "
                   "ends. --set applies on top.")
@click.option("--unset-inputs", type=click.Choice(["free", "0"]), default="free",
              show_default=True,
              help="What inputs not set become: free (every combination) or 0, as in a "
                   "scenario file.")
@click.option("--initial", "initial", type=Assignments(), multiple=True,
              metavar="NODE=0|1,...",
              help="Only attractors reachable from these states (nodes left out are "
                   "free); repeat for several starts.")
@click.option("--by", "by", type=NodeList(), default=None,
              help="Summarise by the values of these nodes (default: a few that differ).")
@click.option("--all", "show_all", is_flag=True,
              help="List every attractor, however many (default: a summary when they do "
                   "not fit side by side).")
@click.option("--count", "count", is_flag=True,
              help="Only count the minimal trap spaces (each holds an attractor), grouped "
                   "--by nodes, streaming them without keeping them: for models with too "
                   "many attractors to list. Bounded by --max-seconds (then lower bounds).")
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object (described in docs/outputs.md).")
@click.option("--max-synchronous-nodes", type=click.IntRange(1, 30),
              default=DEFAULT_LIMITS.synchronous_nodes, show_default=True,
              help="Most free nodes the synchronous search enumerates.")
@limit_options
def attractors(model_path: str, semantics: str | None, assignments: dict[str, int],
               scenario_name: str | None, unset_inputs: str,
               initial: tuple[dict[str, int], ...], by: tuple[str, ...] | None,
               show_all: bool, count: bool, as_json: bool, max_explicit_nodes: int,
               max_synchronous_nodes: int, max_candidates: int, max_trap_spaces: int,
               max_seconds: float, max_memory: float | None) -> None:
    """List every attractor of MODEL (a .rules, .bnet, .sbml or .booleannet file, or `mtor`
    for the bundled model). Inputs stay free unless set; the output says how many are free
    and how many combinations of their values the attractors cover.

    Each attractor is shown by its smallest enclosing subspace: 1/0 for nodes fixed in it,
    * for nodes that change inside it (with their share of time at 1).
    """
    from ..dynamics.attractors import find_attractors
    from ..errors import LimitExceeded
    from ..formats import load_model
    from ..levels import expand_levels
    from .run import check_nodes

    model = load_model(model_path)
    limits = make_limits(max_explicit_nodes, max_candidates, max_seconds, max_trap_spaces,
                         max_synchronous_nodes, max_memory)
    clamps: dict[str, int] = {}
    starts: list[dict[str, int]] = [dict(start) for start in initial]
    if scenario_name is not None:
        clamps, phase_starts, scenario_semantics = _scenario(scenario_name, model_path,
                                                             limits)
        semantics = semantics or scenario_semantics
        starts = starts or phase_starts
    semantics = semantics or "asynchronous"
    clamps.update(expand_levels(assignments, model, "--set"))
    if unset_inputs == "0":
        clamps.update({name: 0 for name in model.inputs if name not in clamps})
    for start in starts:
        model.by_index(start, "--initial")
    # Clamps hold from time 0, as in a scenario's later phase: a start never sits at the
    # other value of a clamped node.
    starts = [{**start, **clamps} for start in starts]
    if by:
        check_nodes(by, [model])
    free = [name for name in model.inputs if name not in clamps]
    clamped = model.clamp(clamps)
    if count:
        _count(clamped, semantics, by or (), starts, limits, as_json)
        return
    with status_line() as progress:
        try:
            found = find_attractors(clamped, semantics, initial=starts or None, limits=limits,
                                    activities=not as_json, progress=progress)
        except LimitExceeded as error:
            if not free:
                raise
            raise LimitExceeded(f"{error.what} with {len(free)} inputs free "
                                f"({2 ** len(free):,} combinations of their values)",
                                error.limit, "set them with --set, --scenario NAME or "
                                "--unset-inputs 0, or " + error.how_to_raise) from None
    if as_json:
        click.echo(json.dumps({"semantics": semantics,
                               "attractors": [a.to_json() for a in found]}))
        return
    click.echo(attractor_text(clamped, found, semantics, free=free,
                              total_inputs=len(model.inputs), by=by, show_all=show_all,
                              started=bool(starts)))


def _count(model: Any, semantics: str, by: Sequence[str], starts: Sequence[Any],
           limits: Any, as_json: bool) -> None:
    """``--count``: the minimal trap spaces counted and grouped; when the time budget ran
    out, the counts so far (lower bounds), then the limit on stderr and exit 2."""
    import textwrap

    from ..dynamics.attractors import count_minimal_trap_spaces
    from ..errors import InputError, OutOfTime
    from ..presentation import format_table

    if semantics == "synchronous" or starts:
        raise InputError("--count counts every minimal trap space: it works with the "
                         "asynchronous and most-permissive semantics and cannot restrict "
                         "them to start states (--initial, or a scenario's initial phase)")
    with status_line() as progress:
        counted = count_minimal_trap_spaces(model, by, limits=limits, progress=progress)
    if as_json:
        click.echo(json.dumps({"semantics": semantics, **counted.to_json()}))
    else:
        bound = "" if counted.complete else "at least "
        lines = [f"{model.name}: {bound}{counted.total:,} minimal trap spaces, "
                 f"{counted.fixed_points:,} of them fixed points"
                 + ("" if counted.complete else " (counting stopped at --max-seconds)")]
        if semantics == "asynchronous":
            lines.append(textwrap.fill(
                "Each holds at least one asynchronous attractor, a fixed point exactly "
                "one; attractors outside every minimal trap space are not counted.", 100))
        if by:
            rows = [[str(v) for v in group["values"].values()]
                    + [f"{group['minimal_trap_spaces']:,}", f"{group['fixed_points']:,}"]
                    for group in counted.to_json()["groups"]]
            lines.append(format_table([*by, "trap spaces", "fixed points"], rows))
        click.echo("\n".join(lines))
    if not counted.complete:
        raise OutOfTime(f"counting ran out of time after {counted.total:,} minimal trap "
                        "spaces (the counts shown are lower bounds)", limits.seconds)


def attractor_text(model: Any, found: Sequence[Any], semantics: str, *, free: Sequence[str],
                   total_inputs: int, by: Sequence[str] | None = None,
                   show_all: bool = False, started: bool = False,
                   how: str = SET_INPUTS) -> str:
    """The text output: the attractors side by side when they fit (or with ``show_all``),
    else grouped by a few nodes; then what the reader needs to know about free inputs."""
    import textwrap

    from ..presentation import WIDTH, attractor_summary, attractor_table

    listed = attractor_table(model, found, semantics)
    head, _, tail = listed.partition("\non in every attractor:")
    fits = all(len(line) <= WIDTH for line in head.splitlines())
    if show_all or (fits and not by):
        lines = [head] + [textwrap.fill(line, WIDTH, subsequent_indent="  ")
                          for line in ("on in every attractor:" + tail).splitlines()
                          if tail]
        text = "\n".join(lines)
    else:
        nodes = grouping_nodes(model, found, by)
        text = attractor_summary(model, found, semantics, nodes) + (
            "\n--all lists every attractor; --by NODE,... groups by other nodes; --json "
            "gives them all." if how == SET_INPUTS else "")
    notes = []
    if started:
        notes.append("Only attractors reachable from the start states are listed.")
    if free and started:
        notes.append(f"{len(free)} of {total_inputs} inputs are not set ({', '.join(free[:5])}"
                     f"{', …' if len(free) > 5 else ''}): each keeps the value it starts with, "
                     "every value where a start leaves it out.")
    elif free:
        notes.append(free_inputs_note(free, total_inputs, how))
    return "\n".join([text] + [textwrap.fill(note, WIDTH) for note in notes])


def _scenario(name: str, model_path: str, limits: Any
              ) -> tuple[dict[str, int], list[dict[str, int]], str]:
    """The clamps of scenario ``name`` on ``model_path``, the states its ``initial`` phase
    ends in or its ``[start]`` subspaces (none without either), and its semantics."""
    from ..readouts import clamped_starts, reached_attractors, starting_states
    from ..scenarios import load_scenario, resolve_scenario_argument

    scenario = load_scenario(resolve_scenario_argument(name), model=model_path)
    starts: list[dict[str, int]] = []
    if scenario.initial is not None:
        before = reached_attractors(scenario.initial, {}, limits=limits)
        starts = starting_states(before, scenario.initial.model.names, scenario.clamps)
    elif scenario.start is not None:
        starts = clamped_starts(scenario.start, scenario.clamps)
    return dict(scenario.clamps), starts, scenario.semantics
