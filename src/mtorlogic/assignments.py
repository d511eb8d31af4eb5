"""``NODE=0|1`` assignments: the one parser of the text form, for the command line (through
:class:`mtorlogic.cli.options.Assignments`) and for files (exercise options) alike."""
from __future__ import annotations

from collections.abc import Iterable


def parse_assignment(token: str, *, bare: bool = False) -> tuple[str, int | None]:
    """``NODE=0`` or ``NODE=1`` -> ``(NODE, value)``; with ``bare``, also ``NODE`` alone ->
    ``(NODE, None)`` (what that means is the caller's: both values, or 1 for a drug).

    Spaces around the name and the value are ignored. Names are not checked against a
    model here (callers do, with suggestions); a name ending in ``*`` (``HER2*=0``) is kept
    as it is, for :func:`mtorlogic.levels.expand_levels` to clamp the node and all its
    levels once the model is known. Raises ``ValueError`` with a message naming
    the bad token, for the caller to prefix with the option, file or key it came from.
    """
    name, equals, value = (part.strip() for part in token.partition("="))
    stem = name.removesuffix("*")
    if (not stem or "*" in stem or (equals and value not in ("0", "1"))
            or (not equals and not bare)):
        expected = "NODE, NODE=0 or NODE=1" if bare else "NODE=0 or NODE=1"
        raise ValueError(f"expected {expected}, not {token.strip()!r}")
    return name, int(value) if equals else None


def merge_assignments(pairs: Iterable[tuple[str, int]]) -> dict[str, int]:
    """``(node, value)`` pairs as one dict; a node given both 0 and 1 raises ``ValueError``
    (``"X is set to both 0 and 1"``); repeating the same value is harmless."""
    values: dict[str, int] = {}
    for name, value in pairs:
        if values.setdefault(name, value) != value:
            raise ValueError(f"{name} is set to both 0 and 1")
    return values
