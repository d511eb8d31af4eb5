"""Strongly connected components of small directed graphs, in plain Python."""
from __future__ import annotations

from typing import Hashable, Mapping, Sequence, TypeVar

Node = TypeVar("Node", bound=Hashable)


def strongly_connected_components(successors: Mapping[Node, Sequence[Node]]
                                  ) -> list[list[Node]]:
    """The strongly connected components of a directed graph (Tarjan 1972, iterative, so
    deep graphs do not hit Python's recursion limit).

    Parameters:
        successors: each node's successors; every successor must be a key as well.
    Returns: the components, each a list of nodes, in reverse topological order (a
    component comes before every component that has an edge into it).
    Complexity: O(V + E).
    """
    index: dict[Node, int] = {}
    low: dict[Node, int] = {}
    on_stack: set[Node] = set()
    stack: list[Node] = []
    found: list[list[Node]] = []
    for root in successors:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(successors[root]))]
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(successors[child])))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    found.append(component)
    return found
