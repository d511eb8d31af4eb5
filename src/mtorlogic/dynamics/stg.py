"""The state-transition graph of a small network, as a networkx graph."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Model
from .explicit import async_edges, successor_bits
from .results import SEMANTICS, Limits
from .system import LogicalSystem

if TYPE_CHECKING:  # pragma: no cover
    import networkx


def state_transition_graph(model: Model, semantics: str = "asynchronous", *,
                           limits: Limits = Limits()) -> "networkx.DiGraph":
    """Every state of ``model`` and its transitions.

    Nodes are states written as strings of 0/1 in model node order (``"0110"``);
    asynchronous edges carry ``node``, the name of the node that changes. Under the
    synchronous semantics each state has one successor (itself for a fixed point). Only
    asynchronous and synchronous graphs exist; the most-permissive semantics has no finite
    state graph of this kind.

    Raises :class:`LimitExceeded` when the graph would have more than
    ``limits.stg_states`` states. Complexity: O(n 2^n).
    """
    import networkx as nx
    import numpy as np

    if semantics not in SEMANTICS[:2]:
        raise ValueError("state-transition graphs exist for asynchronous and synchronous only")
    size = len(model)
    if 2 ** size > limits.stg_states:
        from ..errors import LimitExceeded

        raise LimitExceeded(f"state-transition graph would have 2^{size} states",
                            limits.stg_states, "raise Limits.stg_states, or clamp nodes and "
                            "use find_attractors instead")
    system = LogicalSystem.from_model(model)
    free = list(range(size))
    # Bit j of a code is node j; the label lists node 0 first.
    label = [format(code, f"0{size}b")[::-1] if size else "" for code in range(1 << size)]
    graph = nx.DiGraph(semantics=semantics, nodes=model.names)
    graph.add_nodes_from(label)
    if semantics == "asynchronous":
        sources, targets = async_edges(system, {}, free)
        for source, target in zip(sources.tolist(), targets.tolist()):
            changed = (source ^ target).bit_length() - 1
            graph.add_edge(label[source], label[target], node=model.names[changed])
    else:
        codes = np.arange(1 << size, dtype=np.int64)
        successor = np.zeros_like(codes)
        for j, next_value in enumerate(successor_bits(system, {}, free, codes)):
            successor |= next_value.astype(np.int64) << j
        graph.add_edges_from((label[c], label[s]) for c, s in enumerate(successor.tolist()))
    return graph
