"""Update functions evaluated from their BDDs: no generated code, any nesting depth.

A node's update function is compiled once from its reduced BDD (read through aeon's
``data_string``, a flat list of ``(variable, low, high)`` nodes, children before parents),
so how deeply the rule was nested in its source file no longer matters: a BDD's depth is at
most its number of variables. Two forms are derived from it:

- **vectorised** (:meth:`CompiledFunction.on_states`): the function's value on every row of
  a boolean state matrix, by a lookup table over the regulators' values when they are few
  (one gather and one table read per call) and by evaluating the BDD bottom-up with
  ``numpy.where`` otherwise;
- **scalar** (:meth:`CompiledFunction.scalar`): a closure for one state at a time, the hot
  loop of seeded random walks (a C-level ``itemgetter`` and a dict lookup when the function
  reads few nodes, a walk down the BDD otherwise).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

if TYPE_CHECKING:  # pragma: no cover
    import numpy

ScalarFunction = Callable[[Sequence[int]], bool]
"""A node's update function on one state (a sequence of 0/1 in model node order)."""

VECTOR_TABLE_REGULATORS = 16
"""Functions reading at most this many nodes are evaluated through a lookup table of
``2**k`` entries when vectorised; larger ones walk their BDD."""

SCALAR_TABLE_REGULATORS = 10
"""The same bound for the one-state form, whose table is a dict keyed by value tuples."""


@dataclass(frozen=True, eq=False)
class CompiledFunction:
    """One update function as a flat BDD over node indices.

    ``nodes[p]`` is ``(node index tested, low child, high child)`` for ``p >= 2``; pointers
    0 and 1 are the constants false and true; ``root`` is the function's pointer.
    ``regulators`` are the nodes the function depends on, ascending.
    """

    nodes: tuple[tuple[int, int, int], ...]
    root: int
    regulators: tuple[int, ...]

    @classmethod
    def from_bdd(cls, bdd: Any) -> "CompiledFunction":
        """Compile an aeon ``Bdd`` whose variable ``i`` is node ``i`` (the variable set of a
        :class:`~mtorlogic.logic.FunctionAlgebra`). Linear in the BDD's size."""
        nodes = tuple(tuple(int(part) for part in entry.split(","))
                      for entry in bdd.data_string().strip("|").split("|"))
        flat = tuple((n[0], n[1], n[2]) for n in nodes)
        regulators = tuple(sorted({variable for variable, _, _ in flat[2:]}))
        return cls(flat, len(flat) - 1, regulators)

    @property
    def constant(self) -> bool | None:
        """The function's value when it is constant, else ``None``."""
        return None if self.root > 1 else self.root == 1

    # -- vectorised --------------------------------------------------------------------

    def _walk(self, column: Callable[[int], "numpy.ndarray"], rows: int) -> "numpy.ndarray":
        """Bottom-up BDD evaluation; ``column(i)`` gives node ``i``'s values on the rows."""
        import numpy as np

        values = [np.zeros(rows, dtype=bool), np.ones(rows, dtype=bool)]
        for variable, low, high in self.nodes[2:]:
            values.append(np.where(column(variable), values[high], values[low]))
        return values[self.root]

    def _evaluate(self, column: Callable[[int], "numpy.ndarray"], rows: int) -> "numpy.ndarray":
        """The function on ``rows`` rows whose node values ``column(i)`` gives."""
        import numpy as np

        constant = self.constant
        if constant is not None:
            return np.full(rows, constant, dtype=bool)
        if len(self.regulators) <= VECTOR_TABLE_REGULATORS:
            _, table = self._table
            index = np.zeros(rows, dtype=np.int64)
            for j, node in enumerate(self.regulators):
                index |= column(node).astype(np.int64) << j
            return table[index]
        return self._walk(column, rows)

    @cached_property
    def _table(self) -> "tuple[numpy.ndarray, numpy.ndarray]":
        """``(weights, table)``: row ``r``'s value is ``table[states[r, regulators] @
        weights]``, bit ``j`` of the index being regulator ``j``."""
        import numpy as np

        k = len(self.regulators)
        codes = np.arange(1 << k, dtype=np.int64)
        bit = {node: j for j, node in enumerate(self.regulators)}
        table = self._walk(lambda node: ((codes >> bit[node]) & 1).astype(bool), 1 << k)
        return (1 << np.arange(k, dtype=np.int64)), table

    def on_states(self, states: "numpy.ndarray") -> "numpy.ndarray":
        """The function's value on every row of ``states`` (boolean, shape ``(rows,
        nodes)``, columns in model node order): a boolean array of length ``rows``.
        O(rows × regulators) with a table, O(rows × BDD size) without."""
        import numpy as np

        if self.constant is None and len(self.regulators) <= VECTOR_TABLE_REGULATORS:
            weights, table = self._table
            return table[states[:, list(self.regulators)].astype(np.int64) @ weights]
        return self._evaluate(lambda node: states[:, node], states.shape[0])

    def on_codes(self, codes: "numpy.ndarray", bit: Mapping[int, int]) -> "numpy.ndarray":
        """The function's value on integer-coded states: bit ``bit[i]`` of each code is
        node ``i``'s value (every node the function reads must have a bit). Walks the BDD
        (a one-off evaluation: building the lookup table would cost more)."""
        import numpy as np

        constant = self.constant
        if constant is not None:
            return np.full(len(codes), constant, dtype=bool)
        return self._walk(lambda node: ((codes >> bit[node]) & 1).astype(bool), len(codes))

    # -- one state at a time ---------------------------------------------------------

    def scalar(self) -> ScalarFunction:
        """A function of one state (a sequence of 0/1 or bools in node order)."""
        constant = self.constant
        if constant is not None:
            return lambda state: constant
        k = len(self.regulators)
        if k <= SCALAR_TABLE_REGULATORS:
            # The table is built in plain Python (at most 1,024 BDD walks): a small model's
            # random walks then need no NumPy, whose import would cost more than the walks.
            getter = itemgetter(*self.regulators)
            position = {node: j for j, node in enumerate(self.regulators)}
            size = max(self.regulators) + 1
            table = []
            for code in range(1 << k):
                state = [0] * size
                for node, j in position.items():
                    state[node] = (code >> j) & 1
                table.append(self.at(state))
            if k == 1:
                single = {0: table[0], 1: table[1]}
                return lambda state: single[getter(state)]
            lookup = {tuple((code >> j) & 1 for j in range(k)): value
                      for code, value in enumerate(table)}
            return lambda state: lookup[getter(state)]
        return self.at

    def at(self, state: Sequence[int]) -> bool:
        """The function on one state (0/1 or bools in node order) by walking down the BDD
        in plain Python: O(number of regulators), no table, no NumPy."""
        nodes, pointer = self.nodes, self.root
        while pointer > 1:
            variable, low, high = nodes[pointer]
            pointer = high if state[variable] else low
        return pointer == 1
