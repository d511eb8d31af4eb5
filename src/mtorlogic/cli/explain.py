"""``mtorlogic explain SCENARIO NODE``: why a node is on, off, oscillating or mixed.

``--json`` prints SPEC §5's object, extended compatibly (docs/explain.md lists the extra
keys). Heavy imports happen inside the command, so ``mtorlogic --help`` stays fast.
"""
from __future__ import annotations

import click

from ..dynamics.results import SEMANTICS
from .options import Assignments, limit_options, make_limits, merge_option


@click.command()
@click.argument("scenario")
@click.argument("node")
@click.option("--against", metavar="OTHER",
              help="Contrast with this scenario (a .toml file or bundled name): the clamps "
                   "that differ and the path along which the change reaches NODE.")
@click.option("--set", "assignments", type=Assignments(), multiple=True,
              callback=merge_option, metavar="NODE=0|1",
              help="Set a node on top of the scenario's clamps (a knockout, an activation, a "
                   "drug); repeat. Explains a screen's hit: --set A=1 --set B=0 --against "
                   "BASE. NODE*=0|1 sets NODE and all its levels (NODE_2... or NODE_high).")
@click.option("--model", "model", metavar="PATH",
              help="Run on this model instead of the scenario's own (`mtor` = bundled).")
@click.option("--semantics", type=click.Choice(SEMANTICS),
              help="Use this semantics instead of the scenario's own.")
@click.option("--full", is_flag=True,
              help="List (and draw) every step of the chain, not only the path to NODE.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (SPEC §5).")
@click.option("--picture", metavar="FILE.svg|png", type=click.Path(dir_okay=False),
              help="Also draw the causal subgraph: nodes coloured by value, the chain's edges "
                   "highlighted, AND-gates shown.")
@limit_options
def explain(scenario: str, node: str, against: str | None, assignments: dict[str, int],
            model: str | None, semantics: str | None, full: bool, as_json: bool,
            picture: str | None, max_explicit_nodes: int, max_candidates: int,
            max_trap_spaces: int, max_seconds: float, max_memory: float | None) -> None:
    """Explain why NODE is on, off, oscillating or mixed in the attractors SCENARIO (a .toml
    file or the name of a bundled scenario) reaches. NODE may also be a Boolean expression
    over nodes (a screen's target, '!mTORC1 & !AKT_S473'), explained as a node `target`.

    For on/off: the fewest of the scenario's clamps that force the value (its roots), and
    the chain from them, each step naming the regulator values that make its rule give its
    value. Where no clamps force it, the self-sustaining loop that holds it. For an
    oscillation: the negative feedback loop that drives it and what keeps it running. For
    mixed: each group of attractors, explained.

    \b
    Examples:
      mtorlogic explain 08_rapamycin_acute S6K1 --against 01_fed
      mtorlogic explain 13_tsc_loss_no_insulin mTORC1 --against 05_insulin_withdrawal
      mtorlogic explain 01_fed AKT_S473
      mtorlogic explain 01_fed Autophagy --set Torin1=1 --against 01_fed
      mtorlogic explain 13_tsc_loss_no_insulin '!mTORC1 & !AKT_S473' --set Rapamycin=1
    """
    from ..analysis.explain import explain as run_explain

    limits = make_limits(max_explicit_nodes, max_candidates, max_seconds, max_trap_spaces,
                         max_memory=max_memory)
    explanation = run_explain(scenario, node, model=model, semantics=semantics,
                              against=against,
                              perturbation=assignments,
                              limits=limits)
    if picture is not None:
        explanation.picture(picture, full=full)
    if as_json:
        import json

        click.echo(json.dumps(explanation.to_json(), indent=1))
    else:
        click.echo(explanation.text(full=full))
