"""Attractors as sets of states, before they are presented: one interface, two forms.

An attractor search yields :class:`ExplicitAttractor` (its states are listed, as tuples or as
integer codes of the free nodes of the subspace searched) or :class:`SymbolicAttractor` (a
biodivine-aeon vertex set, for attractors too large to list). Minimal trap spaces, the
attractors of the most-permissive semantics, are :class:`TrapSpaceAttractor`. Every form
answers the same questions: smallest enclosing subspace (``values``), ``size``, membership of
a state, one representative state, its states when few enough, and the same attractor moved
into another trap space with the same core network.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable, Hashable, Mapping, Sequence

from .system import Space

if TYPE_CHECKING:  # pragma: no cover
    import numpy

    from .symbolic import SubspaceGraph

State = tuple[int, ...]
"""A full state: 0/1 per node, in model node order."""


class AttractorSet(ABC):
    """What every form of attractor answers.

    ``values`` fixes the nodes constant on the attractor (its smallest enclosing subspace);
    ``size`` is its number of states; ``core`` identifies the core-network search that
    produced it (attractors moved between trap spaces with the same core share it, and with
    it their activities), or is ``None``.
    """

    values: dict[int, int]
    size: int
    core: Hashable | None

    @abstractmethod
    def contains(self, state: Sequence[int]) -> bool:
        """Whether a full state (0/1 in node order) belongs to the attractor."""

    @abstractmethod
    def representative(self) -> dict[int, int]:
        """One state of the attractor, as node -> value for every node."""

    @abstractmethod
    def listed(self, most: int) -> tuple[State, ...] | None:
        """The attractor's states when it has at most ``most`` of them (or they are known
        anyway), else ``None``."""

    def moved(self, trap: Space, nodes: int) -> "AttractorSet":
        """The attractor found in a trap space with the same core as ``trap`` (same free
        nodes, same values of their regulators), moved into ``trap`` (``nodes`` in the
        model): only the fixed values outside the core change."""
        raise NotImplementedError(f"{type(self).__name__} cannot be moved")

    def same_as(self, other: "AttractorSet") -> bool:
        """Whether two attractors are one (attractors are disjoint or equal)."""
        if self.size != other.size or self.values != other.values:
            return False
        state = self.representative()
        return other.contains([state[i] for i in range(len(state))])


@dataclass(frozen=True, eq=False)
class ExplicitAttractor(AttractorSet):
    """An attractor whose states are listed. When it comes from an explicit search of a
    subspace, ``coded`` holds ``(space, free, codes)``: the subspace's fixed values, its
    free nodes, and the sorted integer codes of the states (bit ``j`` = node ``free[j]``),
    which make membership a binary search and give exact activities. The states are then
    decoded only when asked for (``states`` is ``None``): the attractors of bbm002's cores
    have millions of states, which as tuples took seconds per trap space."""

    values: dict[int, int]
    size: int
    states: tuple[State, ...] | None
    coded: "tuple[dict[int, int], list[int], Sequence[int] | numpy.ndarray] | None" = None
    core: Hashable | None = None

    @classmethod
    def from_states(cls, states: Sequence[State]) -> "ExplicitAttractor":
        first = states[0]
        varying = {i for state in states for i, v in enumerate(state) if v != first[i]}
        values = {i: v for i, v in enumerate(first) if i not in varying}
        return cls(values, len(states), tuple(states))

    @classmethod
    def from_codes(cls, nodes: int, space: Space, free: list[int],
                   codes: "Sequence[int] | numpy.ndarray",
                   core: Hashable | None = None) -> "ExplicitAttractor":
        """The states of ``space`` (``nodes`` nodes in all, ``free`` the nodes it leaves
        free) whose free nodes spell one of ``codes`` (sorted ints: a list, or a NumPy
        array for large attractors)."""
        if hasattr(codes, "tolist"):  # a NumPy array
            import numpy as np

            array = np.asarray(codes)
            every, some = int(np.bitwise_and.reduce(array)), int(np.bitwise_or.reduce(array))
        else:
            every, some = ~0, 0  # bits set in every code, in some code
            for code in codes:
                every &= code
                some |= code
        values = dict(space)
        values.update({node: (every >> j) & 1 for j, node in enumerate(free)
                       if (every >> j) & 1 == (some >> j) & 1})
        return cls(dict(sorted(values.items())), len(codes), None,
                   (dict(space), free, codes), core)

    @cached_property
    def all_states(self) -> tuple[State, ...]:
        """Every state, decoded from the codes if need be."""
        if self.states is not None:
            return self.states
        assert self.coded is not None
        space, free, codes = self.coded
        base = self._base()
        if hasattr(codes, "tolist"):  # a NumPy array (a large attractor): spread its bits at once
            import numpy as np

            array = np.asarray(codes)
            table = np.tile(np.array(base, dtype=np.int8), (len(array), 1))
            for j, node in enumerate(free):
                table[:, node] = (array >> j) & 1
            return tuple(map(tuple, table.tolist()))
        states = []
        for code in codes:
            state = base[:]
            for j, node in enumerate(free):
                state[node] = (code >> j) & 1
            states.append(tuple(state))
        return tuple(states)

    def _base(self) -> list[int]:
        """A state with the subspace's fixed values (0 elsewhere); the subspace's fixed
        and free nodes are all the nodes."""
        assert self.coded is not None
        space, free, _ = self.coded
        base = [0] * (len(space) + len(free))
        for node, value in space.items():
            base[node] = value
        return base

    @cached_property
    def _members(self) -> frozenset[State]:
        return frozenset(self.all_states)

    def contains(self, state: Sequence[int]) -> bool:
        if any(state[i] != v for i, v in self.values.items()):
            return False
        if self.coded is not None:
            _, free, codes = self.coded
            code = sum(state[node] << j for j, node in enumerate(free))
            position = bisect_left(codes, code)
            return position < len(codes) and int(codes[position]) == code
        return tuple(state) in self._members

    def representative(self) -> dict[int, int]:
        if self.states is not None:
            return dict(enumerate(self.states[0]))
        assert self.coded is not None
        _, free, codes = self.coded
        state = self._base()
        for j, node in enumerate(free):
            state[node] = (int(codes[0]) >> j) & 1
        return dict(enumerate(state))

    def listed(self, most: int) -> tuple[State, ...] | None:
        if self.states is None and self.size > most:
            return None
        return self.all_states

    def moved(self, trap: Space, nodes: int) -> "ExplicitAttractor":
        if self.coded is None:
            return super().moved(trap, nodes)  # type: ignore[return-value]
        _, free, codes = self.coded
        return ExplicitAttractor.from_codes(nodes, trap, free, codes, self.core)


@dataclass(frozen=True, eq=False)
class SymbolicAttractor(AttractorSet):
    """An attractor as a symbolic vertex set of aeon's graph of a subspace."""

    values: dict[int, int]
    size: int
    graph: "SubspaceGraph"
    vertex_set: Any
    core: Hashable | None = None
    member: Callable[[Sequence[int]], bool] = field(repr=False, default=None)  # type: ignore[assignment]

    @classmethod
    def of(cls, graph: "SubspaceGraph", vertex_set: Any,
           core: Hashable | None = None) -> "SymbolicAttractor":
        size, values = graph.describe(vertex_set)
        return cls(values, size, graph, vertex_set, core, graph.membership(vertex_set))

    def contains(self, state: Sequence[int]) -> bool:
        if any(state[i] != v for i, v in self.values.items()):
            return False
        return self.member(state)

    def model_bdd(self) -> Any:
        """The attractor's states as a BDD over the free nodes of its subspace, in the
        variable set of the system's :class:`~mtorlogic.logic.FunctionAlgebra`."""
        source = self.graph.graph.symbolic_context().bdd_variable_set()
        variables = self.graph.system.algebra.variables
        return variables.transfer_from(self.vertex_set.vertices().to_bdd(), source)

    def representative(self) -> dict[int, int]:
        return self.graph.pick_state(self.vertex_set)

    def listed(self, most: int) -> tuple[State, ...] | None:
        if self.size > most:
            return None
        nodes = len(self.graph.system)
        return tuple(tuple(s[i] for i in range(nodes)) for s in self.graph.states(self.vertex_set))

    def moved(self, trap: Space, nodes: int) -> "SymbolicAttractor":
        graph = replace(self.graph, space=dict(trap))
        return SymbolicAttractor({**self.values, **trap}, self.size, graph, self.vertex_set,
                                 self.core, self.member)


@dataclass(frozen=True, eq=False)
class TrapSpaceAttractor(AttractorSet):
    """A whole subspace (a minimal trap space, under the most-permissive semantics)."""

    values: dict[int, int]
    size: int
    core: Hashable | None = None

    def contains(self, state: Sequence[int]) -> bool:
        return all(state[i] == v for i, v in self.values.items())

    def representative(self) -> dict[int, int]:
        raise NotImplementedError("a trap space has no single representative state")

    def listed(self, most: int) -> None:
        return None


def inside(inner: Mapping[int, int], outer: Mapping[int, int]) -> bool:
    """Whether subspace ``inner`` lies in subspace ``outer``."""
    return all(inner.get(node) == value for node, value in outer.items())
