"""Symbolic (BDD) asynchronous dynamics of a subspace, via biodivine-aeon.

The subspace's free nodes form a sub-network whose functions have the fixed values plugged
in; aeon's saturation-based reachability and Xie–Beerel attractor search then run on that
smaller network. Its variables are named ``v<i>`` after the node's index in the model.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .system import LogicalSystem, Space


def _dnf_text(system: LogicalSystem, bdd) -> str:
    if bdd.is_true():
        return "true"
    if bdd.is_false():
        return "false"
    terms = []
    for term in system.algebra.dnf(bdd):
        literals = [f"v{system.algebra.index[name]}" if value else f"!v{system.algebra.index[name]}"
                    for name, value in term.items()]
        terms.append("(" + " & ".join(literals) + ")")
    return " | ".join(terms)


@dataclass(eq=False)
class SubspaceGraph:
    """aeon's asynchronous graph of the sub-network of ``space``'s free nodes."""

    system: LogicalSystem
    space: dict[int, int]
    free: list[int]
    graph: object

    @classmethod
    def build(cls, system: LogicalSystem, space: Space) -> "SubspaceGraph":
        from biodivine_aeon import AsynchronousGraph, BooleanNetwork

        free = [i for i in range(len(system)) if i not in space]
        lines = ["targets, factors"]
        for node in free:
            lines.append(f"v{node}, {_dnf_text(system, system.restricted(node, space))}")
        network = BooleanNetwork.from_bnet("\n".join(lines))
        return cls(system, dict(space), free, AsynchronousGraph(network))

    def vertices(self, state_or_space: Space):
        """The symbolic set of states of the sub-network matching the given fixed values."""
        named = {f"v{node}": bool(value) for node, value in state_or_space.items()
                 if node not in self.space}
        return self.graph.mk_subspace(named)

    def union(self, spaces: Sequence[Space]):
        result = self.graph.mk_empty_colored_vertices()
        for space in spaces:
            result = result.union(self.vertices(space))
        return result

    def forward(self, initial):
        """Every state reachable from ``initial``, by saturation: variables join one at a
        time (highest index first) and the set is closed under the joined variables before
        the next joins, which keeps intermediate BDDs small (aeon's ``reach_fwd`` ran for
        minutes on bbm210's 86-node core; this takes seconds)."""
        reach = initial
        joined: list = []
        waiting = sorted(self.graph.network_variables(), reverse=True)
        while True:
            moved = True
            while moved:
                moved = False
                for variable in joined:
                    successors = self.graph.var_post_out(variable, reach)
                    if not successors.is_empty():
                        reach = reach.union(successors)
                        moved = True
                        break
            for variable in waiting:
                successors = self.graph.var_post_out(variable, reach)
                if not successors.is_empty():
                    reach = reach.union(successors)
                    waiting.remove(variable)
                    joined = sorted([*joined, variable], reverse=True)
                    break
            else:
                return reach

    def backward(self, initial):
        from biodivine_aeon import Reachability

        return Reachability.reach_bwd(self.graph, initial)

    def attractors(self, restriction=None) -> list:
        """Attractors (terminal SCCs) inside the (forward-closed) restriction, as colored
        vertex sets; ``None`` means the whole subspace."""
        from biodivine_aeon import Attractors

        if restriction is None:
            return list(Attractors.attractors(self.graph))
        return list(Attractors.xie_beerel(self.graph, restriction))

    def attractor_from(self, state: Space):
        """The attractor reached from ``state`` by pivoting (Xie & Beerel 2000): take the
        forward set of a pivot; if every state of it can reach the pivot back, it is an
        attractor; otherwise move the pivot to a state that cannot, whose forward set is
        strictly smaller. Returns a colored vertex set."""
        from biodivine_aeon import AsynchronousGraph, Reachability

        pivot = self.vertices(state)
        while True:
            forward = self.forward(pivot)
            inside = AsynchronousGraph.restrict(self.graph, forward) \
                if hasattr(AsynchronousGraph, "restrict") else self.graph
            back = Reachability.reach_bwd(inside, pivot).intersect(forward)
            escaped = forward.minus(back)
            if escaped.is_empty():
                return forward
            pivot = self.vertices(self.pick_state(escaped))

    def describe(self, vertex_set) -> tuple[int, dict[int, int]]:
        """Size and smallest enclosing subspace (full fixed values) of a vertex set."""
        vertices = vertex_set.vertices()
        fixed = dict(self.space)
        for name, value in (vertices.enclosing_named_subspace() or {}).items():
            fixed[int(name[1:])] = int(value)
        return int(vertices.cardinality()), fixed

    def states(self, vertex_set) -> list[dict[int, int]]:
        """Every state of a (small) vertex set, as full fixed-value dicts."""
        return [self._state(valuation) for valuation in vertex_set.vertices().items()]

    def pick_state(self, vertex_set) -> dict[int, int]:
        """One state of a non-empty vertex set."""
        return self._state(next(iter(vertex_set.vertices().pick_singleton().items())))

    def _state(self, valuation) -> dict[int, int]:
        state = dict(self.space)
        for variable, value in valuation.items():
            state[int(self.graph.get_network_variable_name(variable)[1:])] = int(value)
        return state

