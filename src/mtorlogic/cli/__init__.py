"""The ``mtorlogic`` command: one sub-command per verb.

Each command module imports its heavy dependencies inside the command, so start-up stays
fast. Every :class:`~mtorlogic.errors.MtorlogicError` and every usage error becomes one line
on stderr and exit status 2, never a traceback or a usage screen.
"""
from __future__ import annotations

import sys
from typing import Any

import click

from ..errors import MtorlogicError


def _one_line(text: str) -> str:
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


_COMMANDS = {
    # command name: (module, function); a module is imported only when its command runs
    # (or `--help` lists them all), so `mtorlogic attractors small.bnet` never loads the
    # screen, the web server or the exercises.
    "run": ("run", "run"),
    "check": ("check", "check"),
    "scenarios": ("scenarios", "scenarios"),
    "attractors": ("attractors", "attractors"),
    "convert": ("convert", "convert"),
    "screen": ("screen", "screen"),
    "explain": ("explain", "explain"),
    "exercises": ("exercise", "exercises"),
    "exercise": ("exercise", "exercise"),
    "simulate": ("simulate", "simulate"),
    "draw": ("draw", "draw"),
    "serve": ("serve", "serve"),
}


class _Group(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in _COMMANDS:
            return None
        from importlib import import_module

        module, attribute = _COMMANDS[name]
        command = getattr(import_module(f"{__name__}.{module}"), attribute)
        assert isinstance(command, click.Command)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MtorlogicError as error:
            click.echo(f"mtorlogic: error: {_one_line(str(error))}", err=True)
            sys.exit(error.exit_code)
        except KeyboardInterrupt:
            click.echo("mtorlogic: interrupted", err=True)
            sys.exit(130)

    def main(self, args: Any = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        # click's own error output is a usage screen of three lines or more; ours is one
        # line naming the command and where to read more.
        try:
            status = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as error:
            if type(error).__name__ == "NoArgsIsHelpError":  # bare `mtorlogic`: the help
                click.echo(error.ctx.get_help() if error.ctx is not None else "")
                sys.exit(0)
            command = error.ctx.command_path if error.ctx is not None else "mtorlogic"
            click.echo(f"{command}: error: {_one_line(error.format_message())} "
                       f"(see `{command} --help`)", err=True)
            sys.exit(error.exit_code)
        except click.ClickException as error:
            click.echo(f"mtorlogic: error: {_one_line(error.format_message())}", err=True)
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("mtorlogic: interrupted", err=True)
            sys.exit(130)
        sys.exit(status if isinstance(status, int) else 0)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mtorlogic")
def main() -> None:
    """Model the mTOR signalling network as Boolean logic and predict how signalling
    outcomes change under nutrient, energy, hypoxia, drug and mutation scenarios.

    \b
    Start with:
      mtorlogic scenarios                the bundled scenarios and their titles
      mtorlogic run 01_fed 08_rapamycin_acute
                                         what fed cells and rapamycin do to the readouts
      mtorlogic check                    do the scenarios show what the literature reports?
      mtorlogic attractors mtor --scenario 08_rapamycin_acute
                                         the attractors behind one scenario
    """
