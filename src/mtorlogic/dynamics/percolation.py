"""Percolation of constants: the values a subspace forces, transitively.

If, given the fixed values of a trap space, a node's update function is constant, every
trajectory eventually fixes that node to the constant and never leaves it again; fixing it
and repeating yields the smallest trap space reachable this way. Percolation is the cheap
first step of every analysis: with inputs fixed, most real models collapse to a small core.

Two forms of one algorithm, sharing one memo of constancy tests per network
(:attr:`LogicalSystem.percolation`): :func:`ranked_percolation` on ``dict`` subspaces, which
also reports the round in which each node became fixed and can be limited to a set of nodes
(explanations and exercises use the rounds; :func:`percolate` is its closure alone), and
:class:`MaskPercolation` on bit masks (``known`` = which nodes are fixed, ``vals`` = their
values), which the screens use for thousands of closures of one network. :func:`forced` is
one round on its own. Tests check that the forms agree.
"""
from __future__ import annotations

from typing import Any, Collection, Iterable, NamedTuple

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


class Ranked(NamedTuple):
    """A percolation closure with the round in which each node became fixed."""

    fixed: dict[int, int]
    """Fixed values by node index: the given space's, then each round's in node order."""
    rank: dict[int, int]
    """Node index -> round: 0 for the given space's nodes, ``k`` for a node fixed because
    its rule is constant given the values of rounds ``< k``."""


def forced(system: LogicalSystem, space: Space, nodes: Iterable[int] | None = None
           ) -> dict[int, int]:
    """One round of percolation: the nodes of ``nodes`` (default: every node, fixed or
    not) whose update function, restricted to the fixed values of ``space``, is constant,
    with that constant.

    Parameters: ``system``, the compiled network; ``space``, fixed values by node index;
    ``nodes``, the nodes to test, in the order the result lists them.
    Returns: node index -> 0/1, for the forced nodes only.
    Complexity: one memoised constancy test per node (:meth:`MaskPercolation.constant`,
    the system's memo).
    """
    known, vals = to_masks(space)
    constant = system.percolation.constant
    out = {}
    for node in range(len(system)) if nodes is None else nodes:
        value = constant(node, known, vals)
        if value is not None:
            out[node] = value
    return out


def ranked_percolation(system: LogicalSystem, space: Space, *,
                       within: Collection[int] | None = None) -> Ranked:
    """The percolation closure of ``space``, in rounds, with the round each node joined.

    Round 0 holds ``space``; a node gets round ``k`` when its rule, restricted to the
    values fixed in rounds ``< k``, is constant. Fixed nodes of ``space`` are kept as given
    (for a trap space, or clamps, which is what callers pass, they are consistent). The
    closure is the smallest percolation-closed superset of ``space``, unique whatever the
    order of the tests; the rounds are what an explanation needs (a node is only ever
    derived from nodes of earlier rounds) and count the links a change crosses.

    Parameters: ``system``, the compiled network; ``space``, fixed values by node index;
    ``within``, when given, restricts the closure to these nodes (nodes outside are never
    fixed unless ``space`` fixes them). For a set closed under regulators (every
    regulator of a member is a member) the values found are exactly those of the whole
    closure on that set, found faster.
    Returns: :class:`Ranked` ``(fixed, rank)``.
    Complexity: each node is re-examined only when one of its regulators becomes fixed, so
    O(E) constancy tests, memoised by the system (:attr:`LogicalSystem.percolation`).
    """
    fixed = dict(space)
    rank = dict.fromkeys(space, 0)
    known, vals = to_masks(space)
    constant = system.percolation.constant
    targets = system.targets
    # only a node with a fixed regulator, or with no regulator at all, can become constant
    pending = {t for node in fixed for t in targets[node]}
    pending |= {node for node, regs in enumerate(system.regulators) if not regs}
    if within is not None:
        pending.intersection_update(within)
    pending.difference_update(fixed)
    current = 0
    while pending:
        current += 1
        newly = []
        for node in sorted(pending):
            value = constant(node, known, vals)  # the masks hold earlier rounds only
            if value is not None:
                newly.append((node, value))
        for node, value in newly:
            fixed[node] = value
            rank[node] = current
            known |= 1 << node
            vals |= value << node
        pending = {t for node, _ in newly for t in targets[node]
                   if not known >> t & 1 and (within is None or t in within)}
    return Ranked(fixed, rank)


def percolate(system: LogicalSystem, space: Space) -> dict[int, int]:
    """The percolation closure of ``space``: repeatedly fix every free node whose update
    function, restricted to the fixed values, is constant.

    The fixed values of :func:`ranked_percolation` (same parameters, same complexity),
    for callers that do not need the rounds. :meth:`MaskPercolation.closure` computes the
    same closure on bit masks; tests check that they agree.
    """
    return ranked_percolation(system, space).fixed


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
