"""``mtorlogic convert IN OUT``."""
from __future__ import annotations

from pathlib import Path

import click


@click.command(epilog="""\b
Examples:
  mtorlogic convert mtor mtor.bnet            the bundled model as BNET
  mtorlogic convert my.sbml my.rules --force  replace my.rules if it exists""")
@click.argument("source", metavar="IN")
@click.argument("target", metavar="OUT")
@click.option("--force", is_flag=True, help="Replace OUT when it already exists.")
def convert(source: str, target: str, force: bool) -> None:
    """Convert a model between formats, chosen by extension: .rules (native), .bnet,
    .sbml/.xml (SBML-qual), .booleannet. IN may be `mtor`, the bundled model. OUT is
    never overwritten without --force."""
    from ..errors import InputError
    from ..formats import load_model, save_model

    model = load_model(source)
    if Path(target).exists() and not force:
        raise InputError("already exists; pass --force to replace it", target)
    save_model(model, target)
    click.echo(f"wrote {target}: {len(model)} nodes, {len(model.inputs)} inputs", err=True)
