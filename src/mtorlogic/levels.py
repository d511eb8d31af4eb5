"""Nodes booleanised into levels (``X``, ``X_2``, ``X_3``... or ``X``, ``X_high``), recognised
by name, and clamping such a node as a whole: ``X*=0`` (on the command line, or ``"X*" = 0``
in a scenario's ``[mutations]``/``[drugs]``/``[inputs]``) sets ``X`` and every level of it.

One module for screens (``screen --levels``), scenarios and the commands' ``--set``, below
all of them (it needs only the model)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from .errors import InputError
from .model import Model

LEVEL_STEMS = ("_", "_b")
"""How booleanised levels are named after their node ``X``: ``X_2, X_3, ...`` (BooleanNet
and published models such as Zañudo 2017), ``X_b2, X_b3, ...`` (SBML-qual multi-valued
species, bioLQM's names), and ``X_high`` (the bundled model, SPEC §2)."""

ALL_LEVELS = "*"
"""Suffix of a node name meaning the node and all its levels: ``HER2*=0``."""


def level_groups(model: Model) -> dict[str, tuple[str, ...]]:
    """The nodes booleanised into levels, recognised by name (:data:`LEVEL_STEMS`): ``X``
    with ``X_high``, or with ``X_2 ... X_n`` (or ``X_b2 ... X_bn``) numbered without a gap
    from 2. A number with no level 2 below it names another node, not a level (Zañudo's
    ``HER2_3`` is the HER2:HER3 dimer: there is no ``HER2_2``). Names alone decide: the
    rules of published models do not always spell out the levels' order (Zañudo's
    ``Apoptosis_2`` does not read ``Apoptosis``), so screens print the groups they use.

    Returns ``{X: (X, level 2, ...)}`` for each node with at least one level, in model order.
    O(nodes x levels).
    """
    names = set(model.names)
    groups: dict[str, tuple[str, ...]] = {}
    for name in model.names:
        levels = [name]
        if f"{name}_high" in names:
            levels.append(f"{name}_high")
        else:
            for stem in LEVEL_STEMS:
                number = 2
                while f"{name}{stem}{number}" in names:
                    levels.append(f"{name}{stem}{number}")
                    number += 1
                if len(levels) > 1:
                    break
        if len(levels) > 1:
            groups[name] = tuple(levels)
    return groups


def shared_level_groups(models: Sequence[Model]) -> dict[str, tuple[str, ...]]:
    """The level groups every model has alike (:func:`level_groups`)."""
    first, *others = [level_groups(model) for model in models]
    return {head: levels for head, levels in first.items()
            if all(other.get(head) == levels for other in others)}


def expand_levels(values: Mapping[str, int], model: Model,
                  where: str | None = None) -> dict[str, int]:
    """``values`` with each ``X*`` (:data:`ALL_LEVELS`) replaced by ``X`` and each of its
    levels (:func:`level_groups`) at the same value; other names are kept as they are (the
    caller checks them against the model). A level given its own value besides ``X*`` must
    agree with it. Without any ``X*`` the mapping is returned unchanged, so existing files
    and commands mean what they meant. O(nodes x levels) when a ``*`` is present.

    :raises InputError: (naming ``where``) for ``X*`` when ``X`` has no levels in
        ``model``, or a level set to both 0 and 1.
    """
    if not any(name.endswith(ALL_LEVELS) for name in values):
        return dict(values)
    groups = level_groups(model)
    expanded: dict[str, int] = {}
    origin: dict[str, str] = {}
    for name, value in values.items():
        if name.endswith(ALL_LEVELS):
            head = name[:-len(ALL_LEVELS)]
            if head not in groups:
                heads = [f"{h}*" for h in groups]
                known = (", ".join(heads[:6]) + (", ..." if len(heads) > 6 else "")
                         if heads else "none in this model")
                what = "not a node" if head not in model else "a node without levels"
                raise InputError(f"{name!r}: {head!r} is {what} (levels are named {head}_2, "
                                 f"{head}_b2 or {head}_high; nodes with levels: {known})",
                                 where)
            members = groups[head]
        else:
            members = (name,)
        for member in members:
            if expanded.setdefault(member, value) != value:
                raise InputError(f"{member} is set to both 0 and 1 (by {origin[member]} and "
                                 f"{name})", where)
            origin.setdefault(member, name)
    return expanded
