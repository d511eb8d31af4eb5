"""``mtorlogic convert IN OUT``."""
from __future__ import annotations

import click


@click.command()
@click.argument("source", metavar="IN")
@click.argument("target", metavar="OUT")
def convert(source: str, target: str) -> None:
    """Convert a model between formats, chosen by extension: .rules (native), .bnet,
    .sbml/.xml (SBML-qual), .booleannet. IN may be `mtor`, the bundled model."""
    from ..formats import load_model, save_model

    model = load_model(source)
    save_model(model, target)
    click.echo(f"wrote {target}: {len(model)} nodes, {len(model.inputs)} inputs", err=True)
