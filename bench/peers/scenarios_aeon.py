"""Peer for bench/scenarios.py: biodivine-aeon exact asynchronous attractors of every .bnet in a folder.

usage: python bench/peers/scenarios_aeon.py DIR
One process for the whole folder (like `mtorlogic check` for the whole suite): for each
`DIR/*.bnet` (sorted) `BooleanNetwork.from_bnet(text).infer_valid_graph()`,
`AsynchronousGraph`, `Attractors.attractors`, and each attractor's smallest enclosing
subspace. Prints one JSON object {"tool", "results": {stem: [values, ...]}, "errors": {...}}.
"""

from __future__ import annotations

import json
import os
import sys


def main() -> None:
    if len(sys.argv) != 2:
        sys.stderr.write(f"usage: {sys.argv[0]} DIR\n")
        sys.exit(2)
    folder = sys.argv[1]
    from biodivine_aeon import AsynchronousGraph, Attractors, BooleanNetwork

    results, errors = {}, {}
    for name in sorted(f for f in os.listdir(folder) if f.endswith(".bnet")):
        stem = name[: -len(".bnet")]
        try:
            with open(os.path.join(folder, name)) as f:
                text = f.read()
            # .bnet carries no regulation annotations: derive a consistent graph from the rules
            bn = BooleanNetwork.from_bnet(text).infer_valid_graph()
            graph = AsynchronousGraph(bn)
            atts = []
            for att in Attractors.attractors(graph):
                space = att.vertices().enclosing_named_subspace()
                atts.append({v: (int(space[v]) if v in space else "*") for v in bn.variable_names()})
            results[stem] = atts
            sys.stderr.write(f"solved {stem}\n")  # progress: counted by the harness on timeout
            sys.stderr.flush()
        except Exception as e:  # report, keep going
            errors[stem] = f"{type(e).__name__}: {e}"[-500:]
    json.dump({"tool": "biodivine-aeon", "results": results, "errors": errors}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
