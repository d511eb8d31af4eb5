"""Cycles of the signed interaction graph of a subspace: negative feedback vertex sets and
the nodes upstream of cycles."""
from __future__ import annotations

from typing import Collection, Iterable, Sequence

from .scc import strongly_connected_components
from .system import LogicalSystem, Space


def signed_edges(system: LogicalSystem, space: Space) -> dict[tuple[int, int], int]:
    """Edges ``(regulator, target) -> sign`` among the free nodes of ``space``: +1, -1, or 0
    when the influence's sign depends on context."""
    edges = {}
    for target in range(len(system)):
        if target in space:
            continue
        bdd = system.restricted(target, space)
        for variable in bdd.support_set():
            regulator = system.position[variable]
            low, high = bdd.r_restrict({variable: False}), bdd.r_restrict({variable: True})
            rising, falling = low.l_and_not(high).is_false(), high.l_and_not(low).is_false()
            edges[(regulator, target)] = 1 if rising else (-1 if falling else 0)
    return edges


def _sign_balanced(component: set[int], edges: dict[tuple[int, int], int]) -> bool:
    """Whether a strongly connected component has no negative cycle: its nodes admit a
    2-colouring in which positive edges keep and negative edges flip the colour."""
    parity: dict[int, int] = {}
    inside = [(u, v, s) for (u, v), s in edges.items() if u in component and v in component]
    if any(s == 0 for _, _, s in inside):
        return False
    neighbours: dict[int, list[tuple[int, int]]] = {n: [] for n in component}
    for u, v, s in inside:
        flip = 0 if s > 0 else 1
        neighbours[u].append((v, flip))
        neighbours[v].append((u, flip))
    for start in component:
        if start in parity:
            continue
        parity[start] = 0
        stack = [start]
        while stack:
            node = stack.pop()
            for other, flip in neighbours[node]:
                wanted = parity[node] ^ flip
                if other not in parity:
                    parity[other] = wanted
                    stack.append(other)
                elif parity[other] != wanted:
                    return False
    return True


def _components(nodes: set[int], edges: dict[tuple[int, int], int]) -> list[set[int]]:
    """Strongly connected components with a cycle (size > 1 or a self-loop)."""
    successors: dict[int, list[int]] = {n: [] for n in nodes}
    for u, v in edges:
        if u in nodes and v in nodes:
            successors[u].append(v)
    return [set(component) for component in strongly_connected_components(successors)
            if len(component) > 1 or (component[0], component[0]) in edges]


def negative_feedback_vertex_set(system: LogicalSystem, space: Space) -> set[int]:
    """A small set of free nodes whose removal leaves no negative cycle (greedy).

    Repeatedly takes, inside a component that still has a negative cycle, the node with
    the largest product of in- and out-degree; then drops, latest pick first, every node
    the others make unnecessary (reverse delete: the result is minimal, not minimum).
    Any negative feedback vertex set keeps :func:`candidate_states` exact, but the
    candidates multiply with its size: on bbm280 the greedy set has 39 nodes and 41,104
    candidates (7 s of clingo), the minimal one 28 and 6,406 (1 s).
    """
    edges = signed_edges(system, space)
    free = set(system.free(space))
    remaining = set(free)
    picked: list[int] = []

    def balanced(nodes: set[int]) -> bool:
        return all(_sign_balanced(c, edges) for c in _components(nodes, edges))

    while True:
        unbalanced = [c for c in _components(remaining, edges) if not _sign_balanced(c, edges)]
        if not unbalanced:
            chosen = set(picked)
            for node in reversed(picked):
                if balanced(free - (chosen - {node})):
                    chosen.discard(node)
            return chosen
        for component in unbalanced:
            ins = dict.fromkeys(component, 0)
            outs = dict.fromkeys(component, 0)
            for u, v in edges:
                if u in component and v in component:
                    outs[u] += 1
                    ins[v] += 1
            pick = max(sorted(component), key=lambda node: ins[node] * outs[node])
            picked.append(pick)
            remaining.discard(pick)


def retained_values(system: LogicalSystem, space: Space, feedback: set[int],
                    avoid: list[dict[int, int]]) -> dict[int, int]:
    """Values for the feedback vertex set that keep attractor candidates few (biobalm's
    heuristic): the values of the avoided subspace sharing fewest feedback nodes, then each
    node's majority output. Any choice is correct; this one is usually small."""
    retained: dict[int, int] = {}
    if avoid:
        least = min(avoid, key=lambda trap: len(feedback & trap.keys()))
        retained.update({node: value for node, value in least.items()
                         if node in feedback and node not in space})
    for node in sorted(feedback - retained.keys()):
        bdd = system.restricted(node, space)
        retained[node] = int(bdd.cardinality() > bdd.l_not().cardinality())
    return retained


def core_and_tail(free: Iterable[int], regulators: Sequence[Collection[int]],
                  targets: Sequence[Collection[int]]) -> tuple[set[int], list[int]]:
    """Split ``free`` nodes into the **core** (nodes on a cycle among free nodes, or with a
    path to one) and the acyclic **tail** the core drives, in topological order
    (regulators before targets).

    ``regulators[i]`` and ``targets[i]`` are node ``i``'s in- and out-neighbours in some
    interaction graph (entries outside ``free`` are ignored). The tail is what repeatedly
    peeling free nodes with no free target (self-loops count as cycles) removes.

    Complexity: O(V + E) over the free nodes.
    """
    remaining = set(free)
    outgoing = {i: len((set(targets[i]) & remaining) - {i}) for i in remaining}
    queue = [i for i in remaining if outgoing[i] == 0 and i not in regulators[i]]
    removed: list[int] = []
    while queue:
        node = queue.pop()
        remaining.discard(node)
        removed.append(node)
        for regulator in regulators[node]:
            if regulator in remaining and regulator != node:
                outgoing[regulator] -= 1
                if outgoing[regulator] == 0 and regulator not in regulators[regulator]:
                    queue.append(regulator)
    return remaining, removed[::-1]


def upstream_of_cycles(system: LogicalSystem, space: Space) -> set[int]:
    """The free nodes of ``space`` that lie on a cycle of its interaction graph (the
    functions restricted to ``space``, essential regulators only) or have a path to one:
    the core of :func:`core_and_tail`. The other free nodes form an acyclic tail that the
    cycles drive.

    Complexity: O(V + E) on the interaction graph of the free nodes.
    """
    edges = signed_edges(system, space)
    size = len(system)
    regulators: list[set[int]] = [set() for _ in range(size)]
    targets: list[set[int]] = [set() for _ in range(size)]
    for u, v in edges:
        regulators[v].add(u)
        targets[u].add(v)
    return core_and_tail(system.free(space), regulators, targets)[0]
