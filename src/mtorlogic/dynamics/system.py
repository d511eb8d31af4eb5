"""The compiled form of a model that every algorithm works on.

A :class:`LogicalSystem` holds each node's update function as a BDD over the model's nodes
(indexed ``0..n-1`` in model order), evaluates them on states (vectorised or one state at a
time, see :mod:`.evaluation`), and owns the naming of BDD variables (``v<i>`` for node
``i``). A *space* (subspace) is a ``dict[int, int]`` of fixed node values; nodes left out are
free. Obtain one with ``LogicalSystem.from_model(model)``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Mapping

from ..logic import FunctionAlgebra, variable_name, variable_node
from ..model import Model
from .evaluation import CompiledFunction, ScalarFunction

if TYPE_CHECKING:  # pragma: no cover
    import numpy

    from .percolation import MaskPercolation

Space = Mapping[int, int]


@dataclass(frozen=True, eq=False)
class LogicalSystem:
    """Update functions as BDDs, with the dependency structure algorithms need."""

    names: tuple[str, ...]
    algebra: FunctionAlgebra
    functions: tuple[Any, ...]  # one aeon Bdd per node

    @classmethod
    def from_model(cls, model: Model) -> "LogicalSystem":
        """The system of ``model``'s update functions (any nesting depth)."""
        algebra = FunctionAlgebra(model.names)
        return cls(model.names, algebra, tuple(algebra.bdd(node.function) for node in model.nodes))

    def __len__(self) -> int:
        return len(self.names)

    # -- naming and subspaces ------------------------------------------------------------

    @staticmethod
    def variable_name(node: int) -> str:
        """The name of node ``node``'s variable in BDDs and aeon networks (``v<node>``)."""
        return variable_name(node)

    @staticmethod
    def node_of(name: str) -> int:
        """The node index of a variable named by :meth:`variable_name`."""
        return variable_node(name)

    def free(self, space: Space) -> list[int]:
        """The nodes ``space`` leaves free, ascending."""
        return [i for i in range(len(self.names)) if i not in space]

    @cached_property
    def bdd_variables(self) -> tuple[Any, ...]:
        variables = self.algebra.variables
        return tuple(variables.find_variable(variable_name(i)) for i in range(len(self.names)))

    @cached_property
    def position(self) -> dict:
        """The node index of each BDD variable."""
        return {var: i for i, var in enumerate(self.bdd_variables)}

    @cached_property
    def regulators(self) -> tuple[frozenset[int], ...]:
        """Nodes each function depends on (essential support only)."""
        position = self.position
        return tuple(frozenset(position[var] for var in bdd.support_set())
                     for bdd in self.functions)

    @cached_property
    def targets(self) -> tuple[frozenset[int], ...]:
        """Nodes whose function depends on each node."""
        out: list[set[int]] = [set() for _ in self.names]
        for target, regulators in enumerate(self.regulators):
            for regulator in regulators:
                out[regulator].add(target)
        return tuple(frozenset(t) for t in out)

    @cached_property
    def percolation(self) -> "MaskPercolation":
        """Percolation on bit masks, memoised for this system (see :mod:`.percolation`)."""
        from .percolation import MaskPercolation

        return MaskPercolation(self)

    def restricted(self, node: int, space: Space) -> Any:
        """Node's function with the space's fixed values plugged in."""
        bdd = self.functions[node]
        relevant = {self.bdd_variables[i]: bool(space[i]) for i in self.regulators[node]
                    if i in space}
        return bdd.r_restrict(relevant) if relevant else bdd

    def named(self, space: Space) -> dict[str, int]:
        return {self.names[i]: v for i, v in space.items()}

    # -- evaluation ----------------------------------------------------------------------

    @cached_property
    def compiled(self) -> tuple[CompiledFunction, ...]:
        """Each node's update function compiled for evaluation."""
        return tuple(CompiledFunction.from_bdd(bdd) for bdd in self.functions)

    def evaluate(self, states: "numpy.ndarray") -> "numpy.ndarray":
        """Every update function on every state: ``states`` is a boolean array of shape
        ``(cells, nodes)`` in model node order; the result has the same shape and its
        column ``i`` is node ``i``'s function on each row (the synchronous successor).

        Vectorised over rows (no per-row Python loop), no code generation, any nesting
        depth of the source rules. Complexity: O(cells × Σ regulators) for functions of at
        most 16 regulators, O(cells × BDD size) for larger ones.
        """
        import numpy as np

        states = np.asarray(states, dtype=bool)
        if states.ndim != 2 or states.shape[1] != len(self.names):
            raise ValueError(f"states must have shape (cells, {len(self.names)}), "
                             f"not {states.shape}")
        out = np.empty_like(states)
        for node, function in enumerate(self.compiled):
            out[:, node] = function.on_states(states)
        return out

    def evaluate_node(self, node: int, states: "numpy.ndarray") -> "numpy.ndarray":
        """Node ``node``'s update function on every row of ``states`` (as in
        :meth:`evaluate`): a boolean array of length ``cells``."""
        return self.compiled[node].on_states(states)

    @cached_property
    def scalar_functions(self) -> tuple[ScalarFunction, ...]:
        """Each node's update function on one state (a sequence of 0/1 in node order), for
        loops that advance a single state, such as seeded random walks."""
        return tuple(function.scalar() for function in self.compiled)
