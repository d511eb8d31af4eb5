"""Causal derivations: which fixed values force which, by percolation of constants.

Everything works on a compiled :class:`~mtorlogic.dynamics.system.LogicalSystem` of the
*unclamped* model and on spaces (``dict`` node index -> 0/1): a node fixed in the space is
held at its value (clamped), every other node follows its rule, and inputs left out are
free. That is exactly SPEC §5's "clamp the model to the roots alone, every other input left
free": :func:`~mtorlogic.dynamics.percolation.ranked_percolation` keeps a space's fixed
nodes as given, and its rounds make derivations well founded (a node is only ever explained
by nodes of earlier rounds).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from ...dynamics.percolation import ranked_percolation
from ...dynamics.system import LogicalSystem, Space

T = TypeVar("T")


def ancestors(system: LogicalSystem, targets: Iterable[int],
              cut: Iterable[int] = ()) -> frozenset[int]:
    """``targets`` and every node with a path to one of them in the interaction graph: all
    that the values of ``targets`` can depend on under percolation. Paths do not pass
    through the nodes of ``cut`` (held at their values, their regulators do not matter);
    those nodes are included when reached."""
    cut = set(cut)
    seen = set(targets)
    stack = [node for node in seen if node not in cut]
    while stack:
        node = stack.pop()
        for regulator in system.regulators[node]:
            if regulator not in seen:
                seen.add(regulator)
                if regulator not in cut:
                    stack.append(regulator)
    return frozenset(seen)


def forces(system: LogicalSystem, space: Space, wanted: Mapping[int, int],
           within: frozenset[int] | None = None) -> bool:
    """Whether percolating ``space`` fixes every node of ``wanted`` at its value; with
    ``within`` (the :func:`ancestors` of ``wanted``), percolating only inside it."""
    if within is not None:
        space = {i: v for i, v in space.items() if i in within}
    closure = ranked_percolation(system, space, within=within).fixed
    return all(closure.get(node) == value for node, value in wanted.items())


def sustains(system: LogicalSystem, closure: Space, held: Iterable[int]) -> bool:
    """Whether each node of ``held`` (fixed in ``closure``) gets its own value back from its
    rule inside ``closure``: the held values maintain themselves."""
    for node in held:
        bdd = system.restricted(node, closure)
        if not (bdd.is_true() if closure[node] else bdd.is_false()):
            return False
    return True


def is_constant(system: LogicalSystem, node: int, space: Space, value: int) -> bool:
    """Whether ``node``'s rule gives ``value`` whatever the nodes outside ``space`` do."""
    bdd = system.restricted(node, space)
    return bool(bdd.is_true() if value else bdd.is_false())


def implicant(system: LogicalSystem, node: int, value: int, space: Space,
              allowed: Iterable[int], preference: Callable[[int], Any]) -> tuple[int, ...]:
    """A prime implicant of ``node``'s rule (or of its negation, for ``value`` 0) made of
    the values ``space`` gives to the regulators in ``allowed``.

    Starts from every allowed regulator and drops, in decreasing ``preference`` order, each
    one whose removal still leaves the rule constant at ``value``; the result is prime
    because implicants are closed under adding literals. For an AND gate that is on it keeps
    every input; off, a single off input.

    Returns: the regulators kept, sorted by ``preference``.
    Raises: ``ValueError`` when the allowed values do not force ``value`` (a bug upstream).
    Complexity: O(r) restrictions for r regulators.
    """
    allowed = set(allowed)
    kept = {r: space[r] for r in system.regulators[node] if r in space and r in allowed}
    if not is_constant(system, node, kept, value):
        raise ValueError(f"{system.names[node]}={value} is not forced by {kept}")
    for regulator in sorted(kept, key=preference, reverse=True):
        trial = {r: v for r, v in kept.items() if r != regulator}
        if is_constant(system, node, trial, value):
            kept = trial
    return tuple(sorted(kept, key=preference))


def minimal_subset(items: Sequence[T], works: Callable[[Sequence[T]], bool], *,
                   monotone: bool = False) -> list[T]:
    """A subset of ``items`` that still ``works`` and from which dropping any single item
    no longer does: the deletion filter, in the given order. When ``works`` is
    ``monotone`` (a superset of a working set works) one pass suffices, since a set that
    failed stays failed as the kept set shrinks; otherwise passes repeat until no item can
    go, so the result is 1-minimal all the same.

    Precondition: ``works(items)``. Complexity: n calls of ``works`` when monotone, O(n^2)
    in the worst case otherwise.
    """
    kept = list(items)
    changed = True
    while changed:
        changed = False
        for item in list(kept):
            trial = [other for other in kept if other != item]
            if works(trial):
                kept = trial
                changed = not monotone
    return kept


def justification(system: LogicalSystem, fixed: Mapping[int, int], rank: Mapping[int, int],
                  targets: Iterable[int], held: Iterable[int] = ()) -> dict[int, tuple[int, ...]]:
    """Why each node upstream of ``targets`` has its value in ``fixed``: node -> the
    regulators of its implicant, following implicants back until the roots (rank 0).

    Nodes of rank 0 are roots and need no reason, except those in ``held``: values held by a
    loop, whose reason is any implicant inside ``fixed`` (so the derivation closes on
    itself). Other nodes are explained only by nodes of earlier rounds, preferring the
    earliest, which keeps chains short and well founded.
    """
    held = set(held)
    reasons: dict[int, tuple[int, ...]] = {}
    stack = list(targets)
    while stack:
        node = stack.pop()
        if node in reasons or (rank[node] == 0 and node not in held):
            continue
        if node in held:
            allowed = [r for r in fixed if r != node]
            if not is_constant(system, node, {r: fixed[r] for r in allowed
                                              if r in system.regulators[node]}, fixed[node]):
                allowed = list(fixed)  # a self-loop is part of what holds it
        else:
            allowed = [r for r in fixed if rank[r] < rank[node]]
        because = implicant(system, node, fixed[node], fixed, allowed,
                            lambda r: (rank[r], r not in held, system.names[r]))
        reasons[node] = because
        stack.extend(because)
    return reasons


def upstream(reasons: Mapping[int, Sequence[int]], target: int) -> set[int]:
    """Every node the derivation of ``target`` uses, ``target`` included."""
    seen = {target}
    stack = [target]
    while stack:
        for regulator in reasons.get(stack.pop(), ()):
            if regulator not in seen:
                seen.add(regulator)
                stack.append(regulator)
    return seen
