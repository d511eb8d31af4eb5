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
"""
from __future__ import annotations

import sys

import click

from .run import load_arguments, progress, scenario_json


@click.command()
@click.argument("scenarios", nargs=-1, metavar="[SCENARIO]...")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def check(scenarios: tuple[str, ...], as_json: bool) -> None:
    """Evaluate the [expect] and [compare] blocks of scenarios: PASS or FAIL for each, and
    for each failure what was expected and what was found. Exit 0 when all hold, 1 when any
    fails, 2 on bad input.

    A SCENARIO is a .toml file or the name of a bundled scenario (`fed`); with none, every
    bundled scenario is checked on the bundled model.
    """
    from ..readouts import evaluate

    loaded = load_arguments(scenarios)
    cache: dict = {}
    outcomes = []
    for scenario in progress(loaded, "checking"):
        _, findings = evaluate(scenario, cache)
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
