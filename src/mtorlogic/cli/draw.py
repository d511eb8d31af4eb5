"""``mtorlogic draw [MODEL]``: a picture of the signed interaction graph (SVG or PNG)."""
from __future__ import annotations

import click


class NodeList(click.ParamType):
    """Node names separated by commas (``mTORC1,S6K1``); the option may be repeated.
    Names are checked against the model later, where a suggestion can be made."""

    name = "NODE[,NODE...]"

    def convert(self, value, param, ctx) -> tuple[str, ...]:
        if isinstance(value, tuple):
            return value
        names = tuple(part.strip() for part in str(value).split(",") if part.strip())
        if not names:
            self.fail(f"expected node names separated by commas, got {value!r}", param, ctx)
        return names


NODES = NodeList()


@click.command()
@click.argument("model_path", metavar="[MODEL]", required=False)
@click.option("--scenario", "scenario_path", metavar="FILE",
              help="Colour nodes by what they do in the attractors this scenario reaches "
                   "(a .toml file or the name of a bundled scenario, e.g. 08_rapamycin_acute).")
@click.option("--nodes", "node_lists", type=NODES, multiple=True,
              help="Draw only these nodes (and the edges among them); repeatable.")
@click.option("--depth", type=click.IntRange(0, 10), default=0, show_default=True,
              help="With --nodes: also draw every node up to this many edges away.")
@click.option("--title", help="Title at the top left (default: the scenario's name).")
@click.option("--limit", type=click.IntRange(1), default=400, show_default=True,
              help="Most nodes drawn; more is refused with a hint to draw a subset.")
@click.option("-o", "--output", "output", metavar="FILE.svg|FILE.png",
              help="Write the picture here (format from the suffix); default: SVG on stdout.")
def draw(model_path: str | None, scenario_path: str | None, node_lists: tuple[tuple[str, ...], ...],
         depth: int, title: str | None, limit: int, output: str | None) -> None:
    """Draw MODEL's signed interaction graph: a .rules, .bnet, .sbml or .booleannet file, or
    `mtor` (the default) for the bundled model.

    Green arrows activate, red bars inhibit; a small & above a node gathers regulators
    that are needed together (one term of the rule). Nodes are boxed by pathway part (the
    section headers of a .rules file) and filled by value with --scenario: green on, grey
    off, yellow oscillates, purple mixed (the attractors reached disagree).

    \b
    Examples:
      mtorlogic draw -o mtor.svg
      mtorlogic draw --scenario 08_rapamycin_acute -o rapamycin.png
      mtorlogic draw --scenario 01_fed --nodes mTORC1 --depth 1 -o around_mtorc1.svg
    """
    from ..drawing import draw as draw_picture
    from ..drawing import neighbourhood

    values = None
    if scenario_path is not None:
        from ..readouts import run_scenario
        from .run import load_arguments

        scenario, = load_arguments([scenario_path], model=model_path)
        model = scenario.model
        values = dict(run_scenario(scenario).status)
        title = title if title is not None else scenario.name
    else:
        from ..formats import load_model

        model = load_model(model_path or "mtor")
    nodes = None
    if node_lists:
        nodes = [name for names in node_lists for name in names]
        nodes = neighbourhood(model, nodes, depth) if depth else nodes
    elif depth:
        raise click.BadParameter("--depth needs --nodes (the nodes to start from)",
                                 param_hint="--depth")
    svg = draw_picture(model, nodes=nodes, values=values, title=title, path=output,
                       limit=limit)
    if output is None:
        click.echo(svg, nl=False)
