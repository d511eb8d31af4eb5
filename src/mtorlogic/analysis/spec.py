"""What determines a screen's verdicts, in a plain form a worker process or a Dask worker
can rebuild the engine from (no files needed there)."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from typing import Iterable

from ..dynamics.results import Limits
from ..outcomes import Failure, Outcome, Verdict

Items = tuple[tuple[str, int], ...]
"""A perturbation: ``(node, value)`` pairs (order irrelevant)."""


@dataclass(frozen=True)
class BaseSpec:
    """One base scenario.

    ``functions`` are the update functions as text with the base clamps applied (a clamped
    node's function is ``0`` or ``1``); ``semantics`` the semantics to judge under;
    ``starts`` (scenarios with ``initial``) the initial phase's attractor states or
    subspaces as ``(node, value)`` tuples, before this scenario's clamps are applied
    (:func:`mtorlogic.readouts.attractor_starts`); ``clamps`` the base clamps (applied on
    top of ``starts``).
    """

    label: str
    names: tuple[str, ...]
    functions: tuple[str, ...]
    semantics: tuple[str, ...]
    clamps: Items = ()
    starts: tuple[Items, ...] | None = None
    levels: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Nodes perturbed with all their booleanised levels: ``(X, (X, X_2, ...))``; a
    perturbation ``X=v`` sets every level to ``v`` (:func:`with_levels`)."""


@dataclass(frozen=True)
class ScreenSpec:
    """Everything that determines the verdicts of a screen (and nothing else)."""

    target: str
    bases: tuple[BaseSpec, ...]
    limits: Limits = Limits()

    @cached_property
    def fingerprint(self) -> str:
        """A digest of the target, the bases' clamped networks, semantics and start states:
        two screens with equal fingerprints give equal verdicts for every perturbation.
        (Labels, limits and the choice of perturbations are left out on purpose.)"""
        data = {"target": self.target,
                "bases": [{"names": b.names, "functions": b.functions,
                           "semantics": b.semantics, "clamps": sorted(b.clamps),
                           "starts": None if b.starts is None else sorted(map(sorted, b.starts)),
                           **({"levels": [[x, list(ls)] for x, ls in b.levels]}
                              if b.levels else {})}
                          for b in self.bases]}
        text = json.dumps(data, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:24]


def with_levels(items: Items, levels: tuple[tuple[str, tuple[str, ...]], ...]) -> Items:
    """``items`` with each node of ``levels`` standing for all its levels at its value
    (off: every level 0; on: every level 1, the top level included)."""
    if not levels:
        return items
    groups = dict(levels)
    return tuple((level, value) for name, value in items for level in groups.get(name, (name,)))


STRENGTH = {Verdict.NEVER: 0, Verdict.SOMETIMES: 1, Verdict.ALWAYS: 2}
"""How far a verdict goes towards the target (for ranking and colour scales)."""


def combine(verdicts: Iterable[Outcome]) -> Outcome:
    """One verdict over several sets of attractors reached: ``always`` when each is
    ``always``, ``never`` when each is ``never``, else ``sometimes``; the first
    :class:`~mtorlogic.outcomes.Failure` when any of them failed (one failed part leaves
    the whole unjudged)."""
    listed = verdicts if isinstance(verdicts, (list, tuple)) else tuple(verdicts)
    seen = set(listed)  # Verdict members hash and compare as their spelling
    if len(seen) == 1:
        (only,) = seen
        if only == _ALWAYS:
            return _ALWAYS
        if only == _NEVER:
            return _NEVER
    for verdict in listed:
        if type(verdict) is Failure:
            return verdict
    return _SOMETIMES


# plain names: a report combines verdicts hundreds of thousands of times, and looking a
# member up on the enum class each time is measurably slower
_ALWAYS, _NEVER, _SOMETIMES = Verdict.ALWAYS, Verdict.NEVER, Verdict.SOMETIMES
