"""Percolation of constants: the values a subspace forces, transitively.

If, given the fixed values of a trap space, a node's update function is constant, every
trajectory eventually fixes that node to the constant and never leaves it again; fixing it
and repeating yields the smallest trap space reachable this way. Percolation is the cheap
first step of every analysis: with inputs fixed, most real models collapse to a small core.

Two forms of one algorithm: :func:`percolate` on ``dict`` subspaces, for one-off closures,
and :class:`MaskPercolation` on bit masks (``known`` = which nodes are fixed, ``vals`` = their
values), memoised, which the screens use for thousands of closures of one network
(:attr:`LogicalSystem.percolation`). Tests check that they agree.
"""
from __future__ import annotations

from typing import Any, Iterable

from .cache import BoundedCache
from .system import LogicalSystem, Space

Masks = tuple[int, int]
"""A subspace as bit masks ``(known, vals)``: bit ``i`` of ``known`` says node ``i`` is
fixed, bit ``i`` of ``vals`` its value (0 where not fixed)."""


def to_masks(space: Space) -> Masks:
    known = vals = 0
    for node, value in space.items():
        known |= 1 << node
        vals |= int(value) << node
    return known, vals


def bits(mask: int) -> list[int]:
    """The positions of the set bits of ``mask``, ascending."""
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


def from_masks(known: int, vals: int) -> dict[int, int]:
    return {node: vals >> node & 1 for node in bits(known)}


class MaskPercolation:
    """Percolation on bit masks, with each node's constancy test memoised by the values of
    its regulators (one BDD restriction per node and distinct regulator values, ever)."""

    def __init__(self, system: LogicalSystem):
        self.system = system
        self.support = [sum(1 << r for r in regs) for regs in system.regulators]
        # one memo per node, keyed by its regulators' (known, vals) bits
        self._constancy: list[BoundedCache[tuple[int, int], int | None]] = [
            BoundedCache() for _ in range(len(system))]

    def restrict(self, bdd: Any, nodes: Iterable[int], known: int, vals: int) -> Any:
        """``bdd`` with the fixed values of ``nodes`` plugged in."""
        variables = self.system.bdd_variables
        fixed = {variables[i]: bool(vals >> i & 1) for i in nodes if known >> i & 1}
        return bdd.r_restrict(fixed) if fixed else bdd

    def constant(self, node: int, known: int, vals: int) -> int | None:
        """1 or 0 when the node's function is constant given the fixed values, else
        ``None``."""
        mask = self.support[node]
        key = (known & mask, vals & mask)
        memo = self._constancy[node]
        if key in memo:
            return memo[key]
        bdd = self.restrict(self.system.functions[node], self.system.regulators[node], *key)
        result = 1 if bdd.is_true() else 0 if bdd.is_false() else None
        memo[key] = result
        return result

    def closure(self, known: int, vals: int, pending: Iterable[int] | None = None) -> Masks:
        """The percolation closure of ``(known, vals)``: repeatedly fix every free node
        whose function is constant given the fixed values, examining ``pending`` first
        (default: every free node) and then the targets of whatever becomes fixed. Fixed
        nodes are kept as given.

        Complexity: each node is re-examined only when one of its regulators becomes
        fixed, so O(E) memoised constancy tests.
        """
        targets = self.system.targets
        todo: Iterable[int] = range(len(self.system)) if pending is None else pending
        while todo:
            changed = []
            for node in todo:
                if known >> node & 1:
                    continue
                value = self.constant(node, known, vals)
                if value is not None:
                    known |= 1 << node
                    vals |= value << node
                    changed.append(node)
            todo = {t for node in changed for t in targets[node] if not known >> t & 1}
        return known, vals


def percolate(system: LogicalSystem, space: Space) -> dict[int, int]:
    """The percolation closure of ``space``.

    Repeatedly fix every free node whose update function, restricted to the fixed values,
    is constant. Fixed nodes of ``space`` are kept as given (for a trap space, which is
    what callers pass, they are consistent). The same algorithm as
    :meth:`MaskPercolation.closure`, without its memo: one-off closures (an attractor
    search percolates each trap space once) do not pay for building it.

    Parameters: ``system``, the compiled network; ``space``, fixed values by node index.
    Returns: the enlarged dict of fixed values.
    Complexity: each node is re-examined only when one of its regulators becomes fixed, so
    O(E) BDD restrictions, each linear in the BDD's size.
    """
    fixed = dict(space)
    pending: Iterable[int] = set(range(len(system))) - fixed.keys()
    while pending:
        changed = []
        for node in pending:
            bdd = system.restricted(node, fixed)
            if bdd.is_true():
                fixed[node] = 1
                changed.append(node)
            elif bdd.is_false():
                fixed[node] = 0
                changed.append(node)
        pending = {t for node in changed for t in system.targets[node] if t not in fixed}
    return fixed


def is_trap_space(system: LogicalSystem, space: Space) -> bool:
    """Whether no transition leaves ``space``: every fixed node's function is constant at
    its fixed value inside the space."""
    for node, value in space.items():
        bdd = system.restricted(node, space)
        if not (bdd.is_true() if value else bdd.is_false()):
            return False
    return True


def trap_space_closure(system: LogicalSystem, space: Space) -> dict[int, int]:
    """The smallest trap space containing ``space`` (a subspace): free every fixed node
    whose function can take the other value, until nothing changes."""
    fixed = dict(space)
    changed = True
    while changed:
        changed = False
        for node, value in list(fixed.items()):
            bdd = system.restricted(node, fixed)
            if not (bdd.is_true() if value else bdd.is_false()):
                del fixed[node]
                changed = True
    return fixed
