"""``mtorlogic scenarios [FOLDER]``: the scenarios there are, by name, with their titles.

``--json`` prints one object::

    {"scenarios": [{"name": "01_fed", "title": "Fed cells: ...", "covers": "Behaviour 1",
                    "initial": null | "05_insulin_withdrawal", "checks": 40}]}

``covers`` is the part of the model or the literature behaviour the scenario's description
opens with (``Behaviour 7``, ``Part J``, ``Multi-phase``), ``""`` when it names none;
``checks`` counts its ``[expect]`` and ``[compare]`` lines.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click

# The parenthetical after "Behaviour 1 (with 15 and 17)" stays in the description: the
# column names what is covered, the title says how.
_COVERS = re.compile(r"^(Behaviours? [0-9]+(?:(?:, | and |-)[0-9]+)*|Parts? [A-L][A-L/ ]*"
                     r"|Multi-phase)")


def covers(description: str) -> str:
    """The behaviour(s) or part(s) a description opens with, or ``""``."""
    match = _COVERS.match(description.strip())
    return match.group(1).strip(" /") if match else ""


@click.command(epilog="""\b
Examples:
  mtorlogic scenarios                 the bundled scenarios
  mtorlogic scenarios my_scenarios/   the .toml files of a folder
  mtorlogic run 08_rapamycin_acute    run one of them by name""")
@click.argument("folder", required=False,
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def scenarios(folder: Path | None, as_json: bool) -> None:
    """List scenarios: name (what `run`, `check` and `attractors --scenario` accept),
    the behaviour or model part it covers, and its title. Without FOLDER, the bundled
    ones."""
    from ..errors import InputError
    from ..presentation import WIDTH, format_table, shorten
    from ..scenarios import bundled_scenarios, load_scenarios

    paths = sorted(folder.glob("*.toml")) if folder is not None else list(bundled_scenarios())
    if not paths:
        raise InputError("no scenario files (*.toml) here", str(folder or "bundled"))
    loaded = load_scenarios(paths)
    entries: list[dict[str, Any]] = [
        {"name": s.label if folder is None else s.shown_path, "title": s.name,
         "covers": covers(s.description),
         "initial": s.initial.shown_path if s.initial is not None else None,
         "checks": len(s.expect) + (len(s.compare.items()) if s.compare else 0)}
        for s in loaded]
    if as_json:
        import json

        click.echo(json.dumps({"scenarios": entries}, indent=2))
        return
    name_width = max(len(e["name"]) for e in entries)
    covers_width = max(len("covers"), *(len(e["covers"]) for e in entries))
    title_width = max(20, WIDTH - name_width - covers_width - 4)
    click.echo(format_table(["name", "covers", "title"],
                            [[e["name"], e["covers"], shorten(e["title"], title_width)]
                             for e in entries]))
    click.echo(f"\n{len(entries)} scenario(s); `mtorlogic run NAME` runs one, "
               "`--json` gives full titles.")
