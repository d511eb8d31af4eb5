"""Shared helpers for the peer scripts: read a .bnet path, print SPEC §5 JSON."""

from __future__ import annotations

import json
import sys


def usage_path() -> str:
    if len(sys.argv) != 2:
        sys.stderr.write(f"usage: {sys.argv[0]} MODEL.bnet\n")
        sys.exit(2)
    return sys.argv[1]


def emit(semantics: str, attractors: list[dict], **extra) -> None:
    """Print one SPEC §5 object; attractors sorted for stable diffs."""

    def key(a: dict):
        return sorted((k, str(v)) for k, v in a["values"].items())

    out = {"semantics": semantics, "attractors": sorted(attractors, key=key)}
    out.update(extra)
    json.dump(out, sys.stdout, sort_keys=False)
    sys.stdout.write("\n")
    sys.stdout.flush()


def attractor(values: dict, size: int | None) -> dict:
    vals = {k: ("*" if v == "*" else int(v)) for k, v in sorted(values.items())}
    return {"size": size, "fixed_point": size == 1, "values": vals}
