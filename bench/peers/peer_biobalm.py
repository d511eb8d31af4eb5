"""Peer: biobalm exact asynchronous attractors (succession diagram).

usage: python bench/peers/peer_biobalm.py MODEL.bnet
As biobalm's docs describe for exact attractors: build the succession diagram just enough
that every attractor is found (`expand_attractor_seeds`, which also looks for
motif-avoidant attractors), then the full attractor sets of the expanded nodes
(`expanded_attractor_sets`), each a symbolic set of states.
"""

from __future__ import annotations

from _common import attractor, emit, usage_path


def main() -> None:
    path = usage_path()
    from biobalm import SuccessionDiagram

    sd = SuccessionDiagram.from_file(path)
    sd.expand_attractor_seeds()
    names = list(sd.network.variable_names())
    result = []
    for _node, sets in sd.expanded_attractor_sets().items():
        for verts in sets:
            space = verts.enclosing_named_subspace()
            values = {name: space.get(name, "*") for name in names}
            result.append(attractor(values, int(verts.cardinality())))
    emit("asynchronous", result, tool="biobalm")


if __name__ == "__main__":
    main()
