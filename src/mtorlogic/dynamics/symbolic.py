"""Symbolic (BDD) asynchronous dynamics of a subspace, via biodivine-aeon.

The subspace's free nodes form a sub-network whose functions have the fixed values plugged
in; aeon's saturation-based reachability and Xie–Beerel attractor search then run on that
smaller network. Its variables are named ``v<i>`` after the node's index in the model.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

from ..logic import variable_name, variable_node
from .system import LogicalSystem, Space

if TYPE_CHECKING:  # pragma: no cover
    import numpy
    from biodivine_aeon import AsynchronousGraph, Bdd, BooleanNetwork, ColoredVertexSet, VariableId


def aeon_network(functions: Mapping[int, "Bdd"], position: Mapping[Any, int]) -> "BooleanNetwork":
    """An aeon ``BooleanNetwork`` whose variables ``v<i>`` are the given nodes in
    ascending index order, each with its update function (a BDD over the model's variable
    set; ``position`` maps its BDD variables to node indices).

    Built from the variable list rather than from BNET text, which aeon orders by name
    (``v1 < v10 < v100 < v2``): symbolic reachability is very sensitive to the BDD variable
    order, and model order keeps regulators near their targets (on bbm004 the backward
    basin of the minimal trap spaces took 36 s in model order, minutes by name, before
    saturation learned to skip steps).
    """
    from biodivine_aeon import BooleanNetwork

    nodes = sorted(functions)
    regulations: list[str] = []
    texts: list[str] = []
    for node in nodes:
        bdd = functions[node]
        regulations.extend(f"{variable_name(position[var])} -?? {variable_name(node)}"
                           for var in bdd.support_set())
        texts.append(_dnf_text(bdd, position))
    return BooleanNetwork([variable_name(node) for node in nodes], regulations, [], texts)


def _dnf_text(bdd: "Bdd", position: Mapping[Any, int]) -> str:
    """A DNF of a BDD in aeon's expression syntax, variables named ``v<node index>``."""
    terms = []
    for clause in bdd.to_dnf(optimize=True):
        literals = [variable_name(position[var]) if value else "!" + variable_name(position[var])
                    for var, value in clause.items()]
        terms.append("(" + " & ".join(literals) + ")" if literals else "true")
    return " | ".join(terms) if terms else "false"


@dataclass(eq=False)
class SubspaceGraph:
    """aeon's asynchronous graph of the sub-network of ``space``'s free nodes."""

    system: LogicalSystem
    space: dict[int, int]
    free: list[int]
    functions: dict[int, "Bdd"]  # each free node's function, ``space``'s values plugged in
    graph: "AsynchronousGraph"
    check: Callable[[], None] | None = None

    @classmethod
    def build(cls, system: LogicalSystem, space: Space,
              check: Callable[[], None] | None = None) -> "SubspaceGraph":
        """The graph of ``space``'s sub-network; ``check`` is called between symbolic
        steps (it raises to stop a search, e.g. when the time budget is spent)."""
        from biodivine_aeon import AsynchronousGraph

        free = system.free(space)
        functions = {node: system.restricted(node, space) for node in free}
        network = aeon_network(functions, system.position)
        return cls(system, dict(space), free, functions, AsynchronousGraph(network), check)

    def vertices(self, state_or_space: Space) -> "ColoredVertexSet":
        """The symbolic set of states of the sub-network matching the given fixed values."""
        named = {variable_name(node): bool(value) for node, value in state_or_space.items()
                 if node not in self.space}
        return self.graph.mk_subspace(named)

    def union(self, spaces: Sequence[Space]) -> "ColoredVertexSet":
        result = self.graph.mk_empty_colored_vertices()
        for space in spaces:
            result = result.union(self.vertices(space))
        return result

    def forward(self, initial: "ColoredVertexSet") -> "ColoredVertexSet":
        """Every state reachable from ``initial`` (saturation, see :meth:`_saturate`)."""
        return self._saturate(initial, self.graph.var_post_out)

    def backward(self, initial: "ColoredVertexSet",
                 until: "ColoredVertexSet | None" = None) -> "ColoredVertexSet":
        """Every state that can reach ``initial`` (saturation, see :meth:`_saturate`); with
        ``until``, possibly only part of them: the search stops as soon as it holds all of
        ``until`` (the result then contains ``until``; otherwise it is the whole set)."""
        return self._saturate(initial, self.graph.var_pre_out, until)

    def candidates(self, feedback: set[int], retained: Mapping[int, int]) -> "ColoredVertexSet":
        """The states of the subspace in which every free node outside ``feedback`` is
        stable and every node of ``feedback`` is stable or holds its retained value:
        :func:`~mtorlogic.dynamics.trapspaces.candidate_states` as a symbolic set (with
        ``feedback`` a negative feedback vertex set, every attractor contains one).

        They are the fixed points of the network in which a feedback node ``u`` retained
        at 1 updates to ``u | f_u`` and one retained at 0 to ``u & f_u``; aeon finds them
        without enumerating them (bbm004: four million in 0.1 s).
        """
        from biodivine_aeon import AsynchronousGraph, FixedPointsComp, VertexSet

        variables = self.system.algebra.variables
        functions = {}
        for node, function in self.functions.items():
            if node in feedback:
                own = variables.mk_literal(self.system.bdd_variables[node], True)
                function = own.l_or(function) if retained[node] else own.l_and(function)
            functions[node] = function
        relaxed = AsynchronousGraph(aeon_network(functions, self.system.position))
        fixed = FixedPointsComp.create_from(relaxed).symbolic_vertices()
        context = self.graph.symbolic_context()
        vertices = context.transfer_from(fixed.to_bdd(), relaxed.symbolic_context())
        return self.graph.mk_unit_colored_vertices().intersect_vertices(
            VertexSet(context, vertices))

    def _saturate(self, initial: "ColoredVertexSet",
                  step: Callable[["VariableId", "ColoredVertexSet"], "ColoredVertexSet"],
                  until: "ColoredVertexSet | None" = None) -> "ColoredVertexSet":
        """The closure of ``initial`` under ``step`` (one variable's successors or
        predecessors outside the set), by saturation with chaining: variables join one at
        a time (highest index first, the bottom of the BDD order) and the set is closed
        under the joined variables before the next joins (after every growth, stepping
        from the bottom-most joined variable again), which keeps intermediate BDDs
        small (aeon's ``reach_fwd`` ran for minutes on bbm210's 86-node core; this takes
        seconds). ``check`` runs between steps (time budget).

        A variable is stepped again only after a neighbour's step grew the set: if ``v``
        has nothing new to add for ``R`` and ``w`` neither reads nor is read by ``v``, then
        ``v`` adds nothing to ``R`` plus ``w``'s step either. (A state ``s`` one ``v``-move
        from a new state ``n = w(r)``, ``r`` in ``R``, is one ``w``-move from ``t = v(r)``;
        as ``f_v`` ignores ``w`` and ``f_w`` ignores ``v``, those moves are enabled as
        well, so ``t`` is in ``R`` and ``s`` was added by ``w``'s step.) A step is also
        idempotent: moving ``v`` back from a state it added leads into ``R``. On bbm004
        this skips three calls in four, nearly all of which found nothing.
        """
        reach = initial
        joined: list[VariableId] = []
        waiting = sorted(self.graph.network_variables(), reverse=True)
        stale = set(waiting)  # variables whose step may add something

        def grown(variable: "VariableId") -> bool:
            nonlocal reach
            stale.discard(variable)
            found = step(variable, reach)
            if found.is_empty():
                return False
            reach = reach.union(found)
            stale.update(self.neighbours[variable])
            return True

        while True:
            while stale.intersection(joined):
                # After a growth, start again from the bottom of the order: the lower
                # variables' cheap steps settle before a higher one steps again (bbm002__r1's
                # basin: 3 s instead of 5.5 s, as passes over every joined variable).
                for variable in joined:
                    if variable in stale and grown(variable):
                        break
                if self.check is not None:
                    self.check()
            if until is not None and until.minus(reach).is_empty():
                return reach
            for variable in waiting:
                if variable in stale and grown(variable):
                    waiting.remove(variable)
                    joined = sorted([*joined, variable], reverse=True)
                    break
            else:
                return reach

    @cached_property
    def neighbours(self) -> dict["VariableId", set["VariableId"]]:
        """Each network variable's regulators and targets in the sub-network (not itself)."""
        variable: dict[int, VariableId] = {}
        for node in self.free:
            found = self.graph.find_network_variable(variable_name(node))
            assert found is not None  # every free node is a variable of the sub-network
            variable[node] = found
        result: dict[VariableId, set[VariableId]] = {v: set() for v in variable.values()}
        for node, function in self.functions.items():
            for regulator in function.support_set():
                other = self.system.position[regulator]
                if other in variable and other != node:
                    result[variable[node]].add(variable[other])
                    result[variable[other]].add(variable[node])
        return result

    def attractors(self, restriction: "ColoredVertexSet | None" = None
                   ) -> list["ColoredVertexSet"]:
        """Attractors (terminal SCCs) inside the (forward-closed) restriction, as colored
        vertex sets; ``None`` means the whole subspace."""
        from biodivine_aeon import Attractors

        if restriction is None:
            return list(Attractors.attractors(self.graph))
        return list(Attractors.xie_beerel(self.graph, restriction))

    def attractor_from(self, state: Space) -> "ColoredVertexSet":
        """The attractor reached from ``state`` by pivoting (Xie & Beerel 2000): take the
        forward set of a pivot; if every state of it can reach the pivot back, it is an
        attractor; otherwise move the pivot to a state that cannot, whose forward set is
        strictly smaller. Returns a colored vertex set."""
        pivot = self.vertices(state)
        while True:
            forward = self.forward(pivot)
            # A path from a state of ``forward`` stays in ``forward`` (its states are all
            # reachable from the pivot), so the backward set of the pivot met with
            # ``forward`` is the backward set inside ``forward``. It may stop once it holds
            # all of ``forward``: the pivot is then in an attractor, the usual case
            # (bbm002__r1: 0.05 s, against 0.35 s for aeon's backward in the restricted graph).
            back = self.backward(pivot, until=forward).intersect(forward)
            escaped = forward.minus(back)
            if escaped.is_empty():
                return forward
            pivot = self.vertices(self.pick_state(escaped))

    def membership(self, vertex_set: "ColoredVertexSet") -> Callable[[Sequence[int]], bool]:
        """A fast test of whether a full state (values in model node order) lies in
        ``vertex_set``: its BDD evaluated on the state, without building a symbolic set
        per state as :meth:`vertices` does."""
        from biodivine_aeon import BddValuation

        variables = self.graph.symbolic_context().bdd_variable_set()
        nodes = [variable_node(variables.get_variable_name(v)) for v in variables.variable_ids()]
        bdd = vertex_set.vertices().to_bdd()
        return lambda state: bdd(BddValuation(variables, [bool(state[n]) for n in nodes]))

    def codes(self, vertex_set: "ColoredVertexSet") -> "list[int] | numpy.ndarray":
        """The states of a vertex set as sorted integer codes over :attr:`free` (bit ``j``
        is node ``free[j]``, as in :mod:`.explicit`): each cube of the set's BDD expanded
        in turn, in plain Python up to 65,536 states (importing NumPy takes longer) and
        with NumPy beyond.
        O(states + cubes × free nodes)."""
        variables = self.graph.symbolic_context().bdd_variable_set()
        position = {node: j for j, node in enumerate(self.free)}
        bit = {variable: position[variable_node(variables.get_variable_name(variable))]
               for variable in variables.variable_ids()}
        vertices = vertex_set.vertices()
        cubes = []
        for clause in vertices.to_bdd().clause_iterator():
            fixed = {bit[variable]: value for variable, value in clause.items()}
            base = sum(1 << j for j, value in fixed.items() if value)
            cubes.append((base, [j for j in range(len(self.free)) if j not in fixed]))
        if int(vertices.cardinality()) <= 1 << 16:
            found = []
            for base, open_bits in cubes:
                for count in range(1 << len(open_bits)):
                    code = base
                    for i, j in enumerate(open_bits):
                        code |= ((count >> i) & 1) << j
                    found.append(code)
            return sorted(found)
        import numpy as np

        parts = []
        for base, open_bits in cubes:
            spread = np.arange(1 << len(open_bits), dtype=np.int64)
            part = np.full(len(spread), base, dtype=np.int64)
            for i, j in enumerate(open_bits):
                part |= ((spread >> i) & 1) << j
            parts.append(part)
        return np.sort(np.concatenate(parts))

    def describe(self, vertex_set: "ColoredVertexSet") -> tuple[int, dict[int, int]]:
        """Size and smallest enclosing subspace (full fixed values) of a vertex set."""
        vertices = vertex_set.vertices()
        fixed = dict(self.space)
        for name, value in (vertices.enclosing_named_subspace() or {}).items():
            fixed[variable_node(name)] = int(value)
        return int(vertices.cardinality()), fixed

    def states(self, vertex_set: "ColoredVertexSet") -> list[dict[int, int]]:
        """Every state of a (small) vertex set, as full fixed-value dicts."""
        return [self._state(valuation) for valuation in vertex_set.vertices().items()]

    def pick_state(self, vertex_set: "ColoredVertexSet") -> dict[int, int]:
        """One state of a non-empty vertex set."""
        return self._state(next(iter(vertex_set.vertices().pick_singleton().items())))

    def _state(self, valuation: Any) -> dict[int, int]:
        state = dict(self.space)
        for variable, value in valuation.items():
            state[variable_node(self.graph.get_network_variable_name(variable))] = int(value)
        return state

