"""Exact reasoning about update functions with binary decision diagrams.

The BDDs come from biodivine-aeon's ``BddVariableSet``; expressions reach it through
index-based names (``v0``, ``v1``...) so any node name is safe.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

from .expressions import TRUE, Expression


def variable_name(node: int) -> str:
    """The BDD (and aeon network) variable standing for the node of index ``node``."""
    return f"v{node}"


def variable_node(name: str) -> int:
    """The node index of a variable named by :func:`variable_name`."""
    return int(name[1:])


class FunctionAlgebra:
    """BDDs of update functions over a fixed, ordered list of node names."""

    def __init__(self, names: Sequence[str]):
        from biodivine_aeon import BddVariableSet

        self.names = tuple(names)
        self.index = {name: i for i, name in enumerate(self.names)}
        self.variables = BddVariableSet([variable_name(i) for i in range(len(self.names))])

    def bdd(self, expression: Expression) -> Any:
        """The BDD of ``expression``, built bottom-up with BDD operations (parsing the
        printed text in aeon is far slower on the large functions of BBM models).

        Iterative (an explicit stack in post-order), so any nesting depth is fine: the
        BDD's own depth is bounded by the number of variables, not by the text's.
        """
        import boolean

        operators = (boolean.NOT, boolean.AND, boolean.OR)
        literals: dict[object, Any] = {}  # each node's literal BDD, made once
        results: list[Any] = []
        stack: list[tuple[Expression, bool]] = [(expression, False)]
        while stack:
            item, expanded = stack.pop()
            if isinstance(item, boolean.Symbol):
                literal = literals.get(item.obj)
                if literal is None:
                    literal = literals[item.obj] = self.variables.mk_literal(
                        self._variable(str(item.obj)), True)
                results.append(literal)
            elif not isinstance(item, operators):
                results.append(self.variables.mk_true() if item == TRUE
                               else self.variables.mk_false())
            elif not expanded:
                stack.append((item, True))
                stack.extend((arg, False) for arg in reversed(item.args))
            elif isinstance(item, boolean.NOT):
                results.append(results.pop().l_not())
            else:
                count = len(item.args)
                parts = results[len(results) - count:]
                del results[len(results) - count:]
                combine = "l_and" if isinstance(item, boolean.AND) else "l_or"
                while len(parts) > 1:  # balanced folding keeps intermediate BDDs small
                    parts = [getattr(parts[i], combine)(parts[i + 1]) if i + 1 < len(parts)
                             else parts[i] for i in range(0, len(parts), 2)]
                results.append(parts[0])
        return results[0]

    def _variable(self, name: str) -> Any:
        return self.variables.find_variable(variable_name(self.index[name]))

    def dnf(self, bdd: Any) -> list[dict[str, int]]:
        """A disjunctive normal form of ``bdd``: terms as ``{name: value}``.

        Any DNF is exact for trap-space reasoning: a term meets a subspace iff its literals
        agree with the subspace's fixed values.
        """
        return [{self.names[variable_node(self.variables.get_variable_name(var))]: int(value)
                 for var, value in clause.items()}
                for clause in bdd.to_dnf(optimize=True)]

    def equivalent(self, left: Expression, right: Expression) -> bool:
        return self.bdd(left).semantic_eq(self.bdd(right))

    def restrict(self, bdd: Any, values: Mapping[str, int]) -> Any:
        return bdd.r_restrict({self._variable(n): bool(v)
                               for n, v in values.items()})

    def essential_regulators(self, expression: Expression) -> dict[str, int]:
        """Regulators that matter, with their sign: +1 activating, -1 inhibiting, 0 both."""
        bdd = self.bdd(expression)
        signs: dict[str, int] = {}
        for var in bdd.support_set():
            name = self.names[variable_node(self.variables.get_variable_name(var))]
            low = bdd.r_restrict({var: False})
            high = bdd.r_restrict({var: True})
            rising = low.l_and_not(high).is_false()   # f(x=0) implies f(x=1)
            falling = high.l_and_not(low).is_false()  # f(x=1) implies f(x=0)
            signs[name] = 1 if rising else (-1 if falling else 0)
        return signs
