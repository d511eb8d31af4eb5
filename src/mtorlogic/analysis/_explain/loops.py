"""Loops behind a value: the cycle that holds a self-sustaining value, the negative
feedback loop that drives an oscillation, and the path from a loop to the node explained."""
from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence

Edges = Mapping[tuple[int, int], int]


def cycle_through(reasons: Mapping[int, Sequence[int]], start: int) -> list[int] | None:
    """The shortest cycle through ``start`` in a derivation (edges regulator -> node, from
    ``reasons``: node -> regulators), in forward order starting at ``start``; ``None`` when
    ``start`` is on no cycle. Breadth-first, O(V + E)."""
    successor: dict[int, int] = {}
    queue = deque([start])
    seen = {start}
    while queue:
        node = queue.popleft()
        for regulator in reasons.get(node, ()):
            if regulator == start:
                cycle = [start]
                while node != start:
                    cycle.append(node)
                    node = successor[node]
                return cycle
            if regulator not in seen:
                seen.add(regulator)
                successor[regulator] = node
                queue.append(regulator)
    return None


def _adjacency(edges: Edges) -> dict[int, list[tuple[int, int]]]:
    out: dict[int, list[tuple[int, int]]] = {}
    for (u, v), sign in sorted(edges.items()):
        out.setdefault(u, []).append((v, sign))
    return out


def negative_cycle_through(edges: Edges, start: int) -> list[int] | None:
    """A simple cycle with an odd number of negative edges, found from the shortest closed
    walk through ``start`` that has one (an edge of sign 0, dual, counts as either sign);
    in forward order. The cycle passes through ``start`` unless the shortest such walk
    repeats a node, in which case it is the negative cycle inside that walk. ``None`` when
    no negative closed walk passes through ``start``. Breadth-first search over
    (node, parity) pairs, O(V + E)."""
    adjacency = _adjacency(edges)
    parent: dict[tuple[int, int], tuple[int, int]] = {}
    queue = deque([(start, 0)])
    seen = {(start, 0)}
    while queue:
        node, parity = queue.popleft()
        for target, sign in adjacency.get(node, ()):
            for flip in ((0, 1) if sign == 0 else ((1,) if sign < 0 else (0,))):
                state = (target, parity ^ flip)
                if state == (start, 1):
                    walk = [node]
                    at = (node, parity)
                    while at != (start, 0):
                        at = parent[at]
                        walk.append(at[0])
                    return _simple_negative(list(reversed(walk)), edges)
                if state not in seen:
                    seen.add(state)
                    parent[state] = (node, parity)
                    queue.append(state)
    return None


def is_negative(cycle: Sequence[int], edges: Edges) -> bool:
    """Whether ``cycle`` (forward order, closing back to its first node) can act as a
    negative loop: an odd number of negative edges, or a dual (sign 0) edge."""
    signs = [edges[(cycle[i], cycle[(i + 1) % len(cycle)])] for i in range(len(cycle))]
    return 0 in signs or sum(1 for s in signs if s < 0) % 2 == 1


def _simple_negative(walk: list[int], edges: Edges) -> list[int]:
    """A simple negative cycle inside a negative closed ``walk`` (forward order, closing back
    to ``walk[0]``): the walk splits into simple cycles, and an odd total sign needs an odd
    one among them."""
    cycles: list[list[int]] = []
    stack: list[int] = []
    for node in walk + [walk[0]]:
        if node in stack:
            at = stack.index(node)
            cycles.append(stack[at:])
            del stack[at + 1:]
        else:
            stack.append(node)
    for cycle in cycles:
        if is_negative(cycle, edges):
            return cycle
    return cycles[0]  # unreachable for a negative walk; kept total for safety


def shortest_path(edges: Edges, sources: set[int], target: int) -> list[int] | None:
    """The shortest path (forward) from any of ``sources`` to ``target``, both ends
    included; ``None`` when ``target`` cannot be reached."""
    adjacency = _adjacency(edges)
    parent: dict[int, int] = {}
    queue = deque(sorted(sources))
    seen = set(sources)
    while queue:
        node = queue.popleft()
        if node == target:
            path = [node]
            while path[-1] not in sources:
                path.append(parent[path[-1]])
            return list(reversed(path))
        for successor, _ in adjacency.get(node, ()):
            if successor not in seen:
                seen.add(successor)
                parent[successor] = node
                queue.append(successor)
    return None


def driving_cycle(edges: Edges, target: int, *, negative: bool = True
                  ) -> tuple[list[int], list[int]] | None:
    """The cycle that drives ``target``: through ``target`` when there is one, else the
    one nearest upstream of it; a negative one (``negative``), or any (under synchronous
    updating a positive cycle can carry a pattern round and round). Returns
    ``(cycle, path)``: the cycle in forward order and the path from a cycle node to
    ``target`` (``[target]`` when on the cycle); ``None`` when no such cycle reaches
    ``target``."""
    regulators: dict[int, list[int]] = {}
    for (u, v) in edges:
        regulators.setdefault(v, []).append(u)

    def through(node: int) -> list[int] | None:
        return (negative_cycle_through(edges, node) if negative
                else cycle_through(regulators, node))

    queue = deque([target])
    seen = {target}
    while queue:  # target, then the nodes upstream of it, nearest first
        node = queue.popleft()
        cycle = through(node)
        if cycle is not None:
            path = [target] if target in cycle else shortest_path(edges, set(cycle), target)
            if path is not None:
                return cycle, path
        for regulator in sorted(regulators.get(node, ())):
            if regulator not in seen:
                seen.add(regulator)
                queue.append(regulator)
    return None
