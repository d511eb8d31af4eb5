"""Peer: biobalm exact asynchronous attractors (succession diagram).

usage: python bench/peers/biobalm.py MODEL.bnet
As biobalm's docs describe for exact attractors: build the succession diagram just enough
that every attractor is found (`expand_attractor_seeds`, which also looks for
motif-avoidant attractors), then the full attractor sets of the expanded nodes
(`expanded_attractor_sets`), each a symbolic set of states.
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
