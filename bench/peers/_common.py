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


def nusmv_dir() -> str:
    """PyBoolNet's NuSMV-a folder, which holds the libreadline.so.6 NuSMV needs."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("pyboolnet")
    root = os.path.dirname(spec.origin)
    return os.path.join(root, "binaries", "linux64", "NuSMV-a")


def safe_names(primes: dict) -> tuple[dict, dict]:
    """PyBoolNet refuses one-character names (NuSMV needs two or more) and a few reserved
    ones; rename every variable to `v_NAME` in that case and return the way back."""
    reserved = {"successors", "steadystate", "steady"}
    if not any(len(x) == 1 or x.lower() in reserved or x.lower().endswith(("_image", "_steady")) for x in primes):
        return primes, {}
    prefix = "v_"
    while any(prefix + x in primes for x in primes):
        prefix = "v" + prefix  # keep the new names clear of the old ones
    fwd = {x: prefix + x for x in primes}
    new = {
        fwd[x]: [[{fwd[k]: v for k, v in term.items()} for term in side] for side in rule]
        for x, rule in primes.items()
    }
    return new, {v: k for k, v in fwd.items()}
