"""Peer: mpbn most-permissive attractors (= minimal trap spaces).

usage: python bench/peers/mpbn.py MODEL.bnet
NOT the exact asynchronous task: most-permissive attractors are the minimal trap spaces,
which can miss asynchronous attractors (motif-avoidant ones) or lump several together.
Checked against the `most-permissive` reference. `size` is the number of states of the
trap space (2^free nodes), which is what an MP attractor covers.
"""

from __future__ import annotations

import importlib.util
import os
import sys

# These scripts are named like the tools they run: drop their own folder from the import
# path so that `import mpbn` finds the library, and load the shared helpers by path.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]
_spec = importlib.util.spec_from_file_location("_bench_peer_common", os.path.join(_HERE, "_common.py"))
_common = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_common)
attractor, emit, usage_path = _common.attractor, _common.emit, _common.usage_path


def main() -> None:
    path = usage_path()
    import mpbn

    net = mpbn.MPBooleanNetwork(path)
    result = []
    for space in net.attractors():
        free = sum(1 for v in space.values() if v == "*")
        result.append(attractor(space, 2**free))
    emit("most-permissive", result, tool="mpbn")


if __name__ == "__main__":
    main()
