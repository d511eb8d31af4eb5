"""Exact reasoning about update functions with binary decision diagrams.

The BDDs come from biodivine-aeon's ``BddVariableSet``; expressions reach it through
index-based names (``v0``, ``v1``...) so any node name is safe.
"""
from __future__ import annotations

from typing import Mapping, Sequence

from .expressions import FALSE, TRUE, Expression


class FunctionAlgebra:
    """BDDs of update functions over a fixed, ordered list of node names."""

    def __init__(self, names: Sequence[str]):
        from biodivine_aeon import BddVariableSet

        self.names = tuple(names)
        self.index = {name: i for i, name in enumerate(self.names)}
        self.variables = BddVariableSet([f"v{i}" for i in range(len(self.names))])

    def bdd(self, expression: Expression):
        """The BDD of ``expression``, built bottom-up with BDD operations (parsing the
        printed text in aeon is far slower on the large functions of BBM models)."""
        import boolean

        if expression == TRUE:
            return self.variables.mk_true()
        if expression == FALSE:
            return self.variables.mk_false()
        if isinstance(expression, boolean.Symbol):
            return self.variables.mk_literal(self._variable(str(expression.obj)), True)
        if isinstance(expression, boolean.NOT):
            return self.bdd(expression.args[0]).l_not()
        parts = [self.bdd(arg) for arg in expression.args]
        combine = "l_and" if isinstance(expression, boolean.AND) else "l_or"
        while len(parts) > 1:  # balanced folding keeps intermediate BDDs small
            parts = [getattr(parts[i], combine)(parts[i + 1]) if i + 1 < len(parts) else parts[i]
                     for i in range(0, len(parts), 2)]
        return parts[0]

    def _variable(self, name: str):
        return self.variables.find_variable(f"v{self.index[name]}")

    def dnf(self, bdd) -> list[dict[str, int]]:
        """A disjunctive normal form of ``bdd``: terms as ``{name: value}``.

        Any DNF is exact for trap-space reasoning: a term meets a subspace iff its literals
        agree with the subspace's fixed values.
        """
        return [{self.names[int(self.variables.get_variable_name(var)[1:])]: int(value)
                 for var, value in clause.items()}
                for clause in bdd.to_dnf(optimize=True)]

    def equivalent(self, left: Expression, right: Expression) -> bool:
        return self.bdd(left).semantic_eq(self.bdd(right))

    def restrict(self, bdd, values: Mapping[str, int]):
        return bdd.r_restrict({self.variables.find_variable(f"v{self.index[n]}"): bool(v)
                               for n, v in values.items()})

    def essential_regulators(self, expression: Expression) -> dict[str, int]:
        """Regulators that matter, with their sign: +1 activating, -1 inhibiting, 0 both."""
        bdd = self.bdd(expression)
        signs: dict[str, int] = {}
        for var in bdd.support_set():
            name = self.names[int(self.variables.get_variable_name(var)[1:])]
            low = bdd.r_restrict({var: False})
            high = bdd.r_restrict({var: True})
            rising = low.l_and_not(high).is_false()   # f(x=0) implies f(x=1)
            falling = high.l_and_not(low).is_false()  # f(x=1) implies f(x=0)
            signs[name] = 1 if rising else (-1 if falling else 0)
        return signs
