"""Percolation of constants: the values a subspace forces, transitively.

If, given the fixed values of a trap space, a node's update function is constant, every
trajectory eventually fixes that node to the constant and never leaves it again; fixing it
and repeating yields the smallest trap space reachable this way. Percolation is the cheap
first step of every analysis: with inputs fixed, most real models collapse to a small core.
"""
from __future__ import annotations

from .system import LogicalSystem, Space


def percolate(system: LogicalSystem, space: Space) -> dict[int, int]:
    """The percolation closure of ``space``.

    Repeatedly fix every free node whose update function, restricted to the fixed values,
    is constant. Fixed nodes of ``space`` are kept as given (for a trap space, which is
    what callers pass, they are consistent).

    Parameters: ``system``, the compiled network; ``space``, fixed values by node index.
    Returns: the enlarged dict of fixed values.
    Complexity: each node is re-examined only when one of its regulators becomes fixed, so
    O(E) BDD restrictions, each linear in the BDD's size.
    """
    fixed = dict(space)
    pending = set(range(len(system))) - fixed.keys()
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
