"""The compiled form of a model that every algorithm works on.

A :class:`LogicalSystem` holds each node's update function as a BDD over the model's nodes
(indexed ``0..n-1`` in model order). A *space* (subspace) is a ``dict[int, int]`` of fixed
node values; nodes left out are free.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Mapping

from ..logic import FunctionAlgebra
from ..model import Model

Space = Mapping[int, int]


@dataclass(frozen=True, eq=False)
class LogicalSystem:
    """Update functions as BDDs, with the dependency structure algorithms need."""

    names: tuple[str, ...]
    algebra: FunctionAlgebra
    functions: tuple  # one Bdd per node

    @classmethod
    def from_model(cls, model: Model) -> "LogicalSystem":
        algebra = FunctionAlgebra(model.names)
        return cls(model.names, algebra, tuple(algebra.bdd(node.function) for node in model.nodes))

    def __len__(self) -> int:
        return len(self.names)

    @cached_property
    def bdd_variables(self) -> tuple:
        variables = self.algebra.variables
        return tuple(variables.find_variable(f"v{i}") for i in range(len(self.names)))

    @cached_property
    def position(self) -> dict:
        """The node index of each BDD variable."""
        return {var: i for i, var in enumerate(self.bdd_variables)}

    @cached_property
    def regulators(self) -> tuple[frozenset[int], ...]:
        """Nodes each function depends on (essential support only)."""
        position = self.position
        return tuple(frozenset(position[var] for var in bdd.support_set()) for bdd in self.functions)

    @cached_property
    def targets(self) -> tuple[frozenset[int], ...]:
        """Nodes whose function depends on each node."""
        out: list[set[int]] = [set() for _ in self.names]
        for target, regulators in enumerate(self.regulators):
            for regulator in regulators:
                out[regulator].add(target)
        return tuple(frozenset(t) for t in out)

    def restricted(self, node: int, space: Space):
        """Node's function with the space's fixed values plugged in."""
        bdd = self.functions[node]
        relevant = {self.bdd_variables[i]: bool(space[i]) for i in self.regulators[node]
                    if i in space}
        return bdd.r_restrict(relevant) if relevant else bdd

    def named(self, space: Space) -> dict[str, int]:
        return {self.names[i]: v for i, v in space.items()}
