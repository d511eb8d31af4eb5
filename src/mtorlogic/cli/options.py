"""Click parameter types and options shared by the commands: ``NODE=0|1`` assignments
(parsed by :mod:`mtorlogic.assignments`, which non-click code uses too), and
the limits on exponential work, each defaulting to
:class:`~mtorlogic.dynamics.results.Limits`' own value (one place to change them)."""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Callable

import click

from ..assignments import merge_assignments, parse_assignment
from ..dynamics.results import Limits

DEFAULT_LIMITS = Limits()


class Assignments(click.ParamType):
    """``NODE=0|1``, or several separated by commas (``A=1,B=0``), as a dict; a node given
    both values is refused. For repeatable options, :func:`merge_option` joins the values
    and refuses a node set both ways across them."""

    name = "NODE=0|1"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> dict[str, int]:
        if isinstance(value, Mapping):
            return dict(value)
        try:
            pairs = [parse_assignment(token) for token in str(value).split(",")]
            return merge_assignments((name, v) for name, v in pairs if v is not None)
        except ValueError as error:
            self.fail(str(error), param, ctx)


def merge_option(ctx: click.Context, param: click.Parameter,
                 values: Sequence[Mapping[str, int]]) -> dict[str, int]:
    """Click callback of a repeatable :class:`Assignments` option: one dict, a node set to
    both 0 and 1 refused as a usage error (exit 2) naming the option."""
    try:
        return merge_assignments(pair for value in values for pair in value.items())
    except ValueError as error:
        raise click.BadParameter(str(error), ctx, param) from None


class PositiveNumber(click.ParamType):
    """A finite number above zero (``nan``, ``inf``, 0 and negatives are refused: a
    budget of ``nan`` seconds would never run out)."""

    name = "NUMBER"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> float:
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number", param, ctx)
        if not math.isfinite(number) or number <= 0:
            self.fail(f"{value!r}: give a finite number above 0", param, ctx)
        return number


def limit_options(command: Callable) -> Callable:
    """Options that bound exponential work, shared by commands that search attractors;
    the command receives them as keyword arguments for :func:`make_limits`."""
    options = [
        click.option("--max-explicit-nodes", type=click.IntRange(1, 30),
                     default=DEFAULT_LIMITS.explicit_nodes, show_default=True,
                     help="Most free nodes (after percolation) explored state by state."),
        click.option("--max-candidates", type=click.IntRange(1),
                     default=DEFAULT_LIMITS.candidates, show_default=True,
                     help="Most candidate states examined for attractors outside minimal "
                          "trap spaces before a symbolic fallback."),
        click.option("--max-trap-spaces", type=click.IntRange(1),
                     default=DEFAULT_LIMITS.trap_spaces, show_default=True,
                     help="Most minimal trap spaces enumerated (each holds at least one "
                          "attractor)."),
        click.option("--max-seconds", type=PositiveNumber(),
                     default=DEFAULT_LIMITS.seconds, show_default=True,
                     help="Time budget of one attractor search (in a screen: of one "
                          "perturbation)."),
        click.option("--max-memory", "max_memory", type=PositiveNumber(), metavar="MB",
                     default=DEFAULT_LIMITS.memory_mb,
                     help="Stop a search once the process holds this many megabytes of "
                          "memory (default: no bound)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def make_limits(max_explicit_nodes: int = DEFAULT_LIMITS.explicit_nodes,
                max_candidates: int = DEFAULT_LIMITS.candidates,
                max_seconds: float | None = DEFAULT_LIMITS.seconds,
                max_trap_spaces: int = DEFAULT_LIMITS.trap_spaces,
                max_synchronous_nodes: int = DEFAULT_LIMITS.synchronous_nodes,
                max_memory: float | None = DEFAULT_LIMITS.memory_mb) -> Limits:
    """The :class:`Limits` of the options' values."""
    return Limits(explicit_nodes=max_explicit_nodes, synchronous_nodes=max_synchronous_nodes,
                  candidates=max_candidates, trap_spaces=max_trap_spaces, seconds=max_seconds,
                  memory_mb=max_memory)
