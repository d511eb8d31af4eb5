"""Peer for bench/scenarios.py: PyBoolNet exact asynchronous attractors of every .bnet in a folder.

usage: python bench/peers/scenarios_pyboolnet.py DIR
One process for the whole folder: for each `DIR/*.bnet` (sorted) `bnet2primes`, then
`compute_attractors(primes, "asynchronous")` (minimal trap spaces by clingo, random walk +
NuSMV CTL checks of completeness, univocality and faithfulness). Each attractor is reported
as its minimal trap space when that space is faithful (then it is the attractor's smallest
enclosing subspace) or as a fixed point; otherwise as null (not comparable: no extra NuSMV
runs here). Prints one JSON object {"tool", "results": {stem: [values|null, ...]},
"exact": {stem: bool}, "errors": {...}}.

Set-up quirks (as bench/peers' single-model pyboolnet script): NuSMV-A needs libtinfo.so.5
and the libreadline.so.6 next to it, in binaries/linux64/NuSMV-a, which PyBoolNet 3.0.16 does
not put on LD_LIBRARY_PATH; NuSMV rejects one-character names, so variables are renamed.
"""

from __future__ import annotations

import json
import logging
import os
import sys

from _common import nusmv_dir, safe_names


def main() -> None:
    if len(sys.argv) != 2:
        sys.stderr.write(f"usage: {sys.argv[0]} DIR\n")
        sys.exit(2)
    folder = sys.argv[1]
    d = nusmv_dir()
    old = os.environ.get("LD_LIBRARY_PATH")
    os.environ["LD_LIBRARY_PATH"] = d + (os.pathsep + old if old else "")
    logging.disable(logging.INFO)
    from pyboolnet.attractors import compute_attractors
    from pyboolnet.file_exchange import bnet2primes

    results, exact, errors = {}, {}, {}
    for name in sorted(f for f in os.listdir(folder) if f.endswith(".bnet")):
        stem = name[: -len(".bnet")]
        try:
            primes, back = safe_names(bnet2primes(os.path.join(folder, name)))
            res = compute_attractors(primes, "asynchronous")
            ok = res["is_complete"] == "yes"
            atts = []
            for att in res["attractors"]:
                mts = att["min_trap_space"]
                ok = ok and mts["is_univocal"] == "yes"
                if att["is_steady"]:
                    vals = att["state"]["dict"]
                elif mts["is_faithful"] == "yes":
                    vals = {v: mts["dict"].get(v, "*") for v in primes}
                else:
                    atts.append(None)
                    continue
                atts.append({back.get(k, k): v for k, v in vals.items()})
            results[stem] = atts
            sys.stderr.write(f"solved {stem}\n")  # progress: counted by the harness on timeout
            sys.stderr.flush()
            exact[stem] = ok
        except Exception as e:
            errors[stem] = f"{type(e).__name__}: {e}"[-500:]
    json.dump({"tool": "pyboolnet", "results": results, "exact": exact, "errors": errors}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
