"""Peer: mpbn most-permissive attractors (= minimal trap spaces).

usage: python bench/peers/peer_mpbn.py MODEL.bnet
NOT the exact asynchronous task: most-permissive attractors are the minimal trap spaces,
which can miss asynchronous attractors (motif-avoidant ones) or lump several together.
Checked against the `most-permissive` reference. `size` is the number of states of the
trap space (2^free nodes), which is what an MP attractor covers.
"""

from __future__ import annotations

from _common import attractor, emit, usage_path


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
