"""``mtorlogic attractors MODEL``."""
from __future__ import annotations

import json
import shutil
import sys
import time
from contextlib import contextmanager

import click

from ..dynamics.results import SEMANTICS, Limits

DEFAULT_LIMITS = Limits()
"""The defaults of the limit options are Limits' own (one place to change them)."""


def parse_assignments(items: tuple[str, ...], option: str) -> dict[str, int]:
    """``NODE=0|1`` strings to a dict; bad ones are usage errors (exit 2)."""
    values = {}
    for item in items:
        name, _, value = item.partition("=")
        if not name or value not in ("0", "1"):
            raise click.BadParameter(f"expected NODE=0 or NODE=1, got {item!r}",
                                     param_hint=option)
        values[name.strip()] = int(value)
    return values


def limit_options(command):
    """Options that bound exponential work, shared by commands that search attractors."""
    command = click.option("--max-explicit-nodes", type=click.IntRange(1, 30),
                           default=DEFAULT_LIMITS.explicit_nodes,
                           show_default=True,
                           help="Most free nodes (after percolation) explored state by "
                                "state.")(command)
    command = click.option("--max-candidates", type=click.IntRange(1),
                           default=DEFAULT_LIMITS.candidates,
                           show_default=True,
                           help="Most candidate states examined for attractors outside "
                                "minimal trap spaces before a symbolic fallback.")(command)
    command = click.option("--max-trap-spaces", type=click.IntRange(1),
                           default=DEFAULT_LIMITS.trap_spaces,
                           show_default=True,
                           help="Most minimal trap spaces enumerated (each holds at least "
                                "one attractor).")(command)
    command = click.option("--max-seconds", type=click.FloatRange(0, min_open=True),
                           default=DEFAULT_LIMITS.seconds, show_default=True,
                           help="Time budget of one attractor search.")(command)
    return command


def make_limits(max_explicit_nodes: int, max_candidates: int, max_seconds: float,
                max_trap_spaces: int,
                max_synchronous_nodes: int = DEFAULT_LIMITS.synchronous_nodes) -> Limits:
    return Limits(explicit_nodes=max_explicit_nodes, synchronous_nodes=max_synchronous_nodes,
                  candidates=max_candidates, trap_spaces=max_trap_spaces, seconds=max_seconds)


@contextmanager
def status_line(interval: float = 0.25):
    """A progress callback that keeps one status line on stderr, at most every
    ``interval`` seconds, erased at the end; silent unless stderr is a terminal, so pipes
    and files get only the results."""
    if not sys.stderr.isatty():
        yield None
        return
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


@click.command()
@click.argument("model_path", metavar="MODEL")
@click.option("--semantics", type=click.Choice(SEMANTICS), default="asynchronous",
              show_default=True, help="Update semantics.")
@click.option("--set", "assignments", multiple=True, metavar="NODE=0|1",
              help="Clamp a node (an input, a knockout, a constitutive activation); repeat.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (SPEC §5).")
@click.option("--max-synchronous-nodes", type=click.IntRange(1, 30),
              default=DEFAULT_LIMITS.synchronous_nodes, show_default=True,
              help="Most free nodes the synchronous search enumerates.")
@limit_options
def attractors(model_path: str, semantics: str, assignments: tuple[str, ...], as_json: bool,
               max_explicit_nodes: int, max_synchronous_nodes: int, max_candidates: int,
               max_trap_spaces: int, max_seconds: float) -> None:
    """List every attractor of MODEL (a .rules, .bnet, .sbml or .booleannet file, or `mtor`
    for the bundled model). Inputs stay free unless set with --set.

    Each attractor is shown by its smallest enclosing subspace: 1/0 for nodes fixed in it,
    * for nodes that change inside it.
    """
    from ..dynamics.attractors import find_attractors
    from ..formats import load_model

    model = load_model(model_path)
    model = model.clamp(parse_assignments(assignments, "--set"))
    limits = make_limits(max_explicit_nodes, max_candidates, max_seconds, max_trap_spaces,
                         max_synchronous_nodes)
    with status_line() as progress:
        found = find_attractors(model, semantics, limits=limits, activities=not as_json,
                                progress=progress)
    if as_json:
        click.echo(json.dumps({"semantics": semantics,
                               "attractors": [a.to_json() for a in found]}))
        return
    from ..presentation import attractor_table

    click.echo(attractor_table(model, found, semantics))
