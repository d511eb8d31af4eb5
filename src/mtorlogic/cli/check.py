"""``mtorlogic check [SCENARIO...]``: do the scenarios show what their files expect?

Exit status 0 when every expectation and comparison holds, 1 when any fails, 2 on bad
input. ``--json`` prints one object::

    {"passed": false,
     "scenarios": [
       {"file": "scenarios/rapamycin.toml", "name": "Acute rapamycin", "passed": false,
        "findings": [
          {"kind": "expect", "node": "S6K1", "expected": "off", "found": "on",
           "passed": false},
          {"kind": "expect", "node": "ULK1", "expected": "on", "found": "mixed",
           "passed": false, "detail": "on in 1, off in 1 of 2 attractors"},
          {"kind": "compare", "node": "AKT_S473", "expected": "higher", "found": "same",
           "passed": false, "activity": 0.5, "reference_activity": 0.5,
           "reference": "fed.toml"}]}]}

Files are named as on the command line (a bundled scenario by its stem, ``01_fed``).
"""
from __future__ import annotations

import sys
from typing import Any

import click

from .options import limit_options, make_limits
from .run import load_arguments, model_options, progress, scenario_json


@click.command(epilog="""\b
Examples:
  mtorlogic check                                every bundled scenario
  mtorlogic check 08_rapamycin_acute             one bundled scenario
  mtorlogic check --model rules/mtor.rules       after editing your copy of the model
  mtorlogic check 01_fed --semantics synchronous does it still hold synchronously?""")
@click.argument("scenarios", nargs=-1, metavar="[SCENARIO]...")
@model_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@limit_options
def check(scenarios: tuple[str, ...], model: str | None, semantics: str | None,
          as_json: bool, **limit_values: Any) -> None:
    """Evaluate the [expect] and [compare] blocks of scenarios: PASS or FAIL for each, and
    for each failure what was expected and what was found. Exit 0 when all hold, 1 when any
    fails, 2 on bad input.

    A SCENARIO is a .toml file or the name of a bundled scenario (`01_fed`); with none,
    every bundled scenario is checked on the bundled model.
    """
    from ..readouts import evaluate

    loaded = load_arguments(scenarios, model=model, semantics=semantics)
    cache: dict = {}
    outcomes = []
    for scenario in progress(loaded, "checking"):
        _, findings = evaluate(scenario, cache, limits=make_limits(**limit_values))
        outcomes.append((scenario, findings, all(finding.passed for finding in findings)))
    passed = all(ok for _, _, ok in outcomes)
    if as_json:
        import json

        click.echo(json.dumps({"passed": passed, "scenarios": [
            {**scenario_json(scenario), "passed": ok,
             "findings": [finding.to_json() for finding in findings]}
            for scenario, findings, ok in outcomes]}, indent=2))
    else:
        for scenario, findings, ok in outcomes:
            note = "" if findings else "  (nothing to check)"
            click.echo(f"{'PASS' if ok else 'FAIL'}  {scenario.label}: {scenario.name}{note}")
            for finding in findings:
                if not finding.passed:
                    click.echo(f"      {finding.message()}")
        failed = sum(not ok for _, _, ok in outcomes)
        checks = [finding for _, findings, _ in outcomes for finding in findings]
        click.echo(f"{len(outcomes)} scenario(s): {len(outcomes) - failed} passed, {failed} "
                   f"failed ({len(checks)} check(s), "
                   f"{sum(not f.passed for f in checks)} failed)")
    if not passed:
        sys.exit(1)
