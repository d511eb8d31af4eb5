"""Peer: biodivine-aeon exact asynchronous attractors (symbolic SCC search).

usage: python bench/peers/peer_aeon.py MODEL.bnet
Plain documented use: AsynchronousGraph + Attractors.attractors; for each attractor its
state count and smallest enclosing subspace.
"""

from __future__ import annotations

from _common import attractor, emit, usage_path


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
