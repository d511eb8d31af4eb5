"""Peer: biodivine-aeon exact asynchronous attractors (symbolic SCC search).

usage: python bench/peers/aeon.py MODEL.bnet
Plain documented use: AsynchronousGraph + Attractors.attractors; for each attractor its
state count and smallest enclosing subspace.
"""

from __future__ import annotations

import importlib.util
import os
import sys

# These scripts are named like the tools they run: drop their own folder from the import
# path so that `import biobalm` finds the library, and load the shared helpers by path.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]
_spec = importlib.util.spec_from_file_location("_bench_peer_common", os.path.join(_HERE, "_common.py"))
_common = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_common)
attractor, emit, usage_path = _common.attractor, _common.emit, _common.usage_path


def main() -> None:
    path = usage_path()
    from biodivine_aeon import AsynchronousGraph, Attractors, BooleanNetwork

    # .bnet carries no regulation annotations; derive a consistent graph from the rules
    # (otherwise a rule like `x, x | !x` fails the observability check).
    bn = BooleanNetwork.from_file(path).infer_valid_graph()
    graph = AsynchronousGraph(bn)
    result = []
    for att in Attractors.attractors(graph):
        verts = att.vertices()
        space = verts.enclosing_named_subspace()
        values = {name: space.get(name, "*") for name in bn.variable_names()}
        result.append(attractor(values, int(verts.cardinality())))
    emit("asynchronous", result, tool="biodivine-aeon")


if __name__ == "__main__":
    main()
