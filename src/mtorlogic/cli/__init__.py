"""The ``mtorlogic`` command: one sub-command per verb.

Each command module imports its heavy dependencies inside the command, so start-up stays
fast. Every :class:`~mtorlogic.errors.MtorlogicError` becomes one line on stderr and exit
status 2, never a traceback.
"""
from __future__ import annotations

import sys

import click

from ..errors import MtorlogicError


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except MtorlogicError as error:
            click.echo(f"mtorlogic: error: {error}", err=True)
            sys.exit(error.exit_code)
        except KeyboardInterrupt:
            click.echo("mtorlogic: interrupted", err=True)
            sys.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mtorlogic")
def main() -> None:
    """Model the mTOR signalling network as Boolean logic and predict how signalling
    outcomes change under nutrient, energy, hypoxia, drug and mutation scenarios.

    \b
    Start with:
      mtorlogic run                      every bundled scenario on the bundled model
      mtorlogic check                    do the scenarios show what the literature reports?
      mtorlogic attractors mtor --set Insulin=1 --set Leucine=1
    """


def _register() -> None:
    from . import attractors, check, convert, draw, exercise, explain, run, screen

    for command in (run.run, check.check, attractors.attractors, convert.convert,
                    screen.screen, draw.draw, explain.explain, exercise.exercises,
                    exercise.exercise):
        main.add_command(command)


_register()
