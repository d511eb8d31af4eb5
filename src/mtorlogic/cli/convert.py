"""``mtorlogic convert IN OUT``."""
from __future__ import annotations

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
    .sbml/.xml (SBML-qual), .booleannet, .primes (PyBoolNet primes); .bnd writes a MaBoSS
    .bnd and its .cfg. IN may be `mtor`, the bundled model. OUT is never overwritten
    without --force."""
    from ..errors import InputError
    from ..formats import existing_outputs, load_model, save_model

    model = load_model(source)
    existing = existing_outputs(target)  # a MaBoSS .bnd's .cfg too; bad paths: InputError
    if existing and not force:
        raise InputError("already exists; pass --force to replace it", str(existing[0]))
    written = save_model(model, target)
    names = ", ".join([target] + [str(path) for path in written[1:]])
    click.echo(f"wrote {names}: {len(model)} nodes, {len(model.inputs)} inputs", err=True)
