"""What screen workers run: chunks of perturbations in, verdicts out.

Module-level functions of picklable arguments, so a process pool or a Dask worker can run
them; each process builds the engine of a screen once and keeps it (with its caches) for
later chunks of the same screen.
"""
from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Sequence

from ..dynamics.cache import BoundedCache
from ..dynamics.context import time_budget
from ..errors import MtorlogicError
from ..outcomes import Outcome
from .spec import Items, ScreenSpec
from .verdicts import BaseEngine

# One process serves one screen at a time; two entries let a second screen (tests, a
# library user) start without throwing away the first one's caches at once.
_ENGINES: BoundedCache[str, "ScreenEngine"] = BoundedCache(entries=2)


class ScreenError(MtorlogicError):
    """An error met while judging perturbations, in a form that survives being sent back
    from a worker process (one message; exit status 2)."""

    def __init__(self, message: str):
        super().__init__(message)


@dataclass(frozen=True)
class Deferred:
    """A verdict left for later: the percolated space (bit masks ``known``/``vals``) and
    the key of its core network, whose attractors are best computed once, by one worker,
    for every space that shares them."""

    semantics: str
    known: int
    vals: int
    core: tuple[Any, ...]


class ScreenEngine:
    """One :class:`~.verdicts.BaseEngine` per base scenario."""

    def __init__(self, spec: ScreenSpec):
        self.spec = spec
        self.bases = [BaseEngine(base, spec.target, spec.limits) for base in spec.bases]

    def verdicts(self, items: Items) -> list[list[Outcome]]:
        with self.budget():
            return [[engine.verdict(items, semantics) for semantics in engine.spec.semantics]
                    for engine in self.bases]

    def budget(self) -> AbstractContextManager[None]:
        """``Limits.seconds`` for the work on one perturbation (or one space), wherever
        it goes: core searches through aeon, trap spaces, phases, activities."""
        return time_budget(self.spec.limits.seconds, self.spec.limits.memory_mb)


def engine_for(spec: ScreenSpec) -> ScreenEngine:
    """The engine of ``spec`` in this process, built once and kept for later chunks."""
    key = spec.fingerprint + repr(spec.limits)
    return _ENGINES.get_or_compute(key, lambda: ScreenEngine(spec))


def evaluate_chunk(spec: ScreenSpec, chunk: Sequence[Items]) -> list[list[list[Outcome]]]:
    """Verdicts of each perturbation of ``chunk``: per base, per semantics (spec order)."""
    try:
        engine = engine_for(spec)
        return [engine.verdicts(items) for items in chunk]
    except MtorlogicError as error:
        raise ScreenError(str(error)) from None


def triage_chunk(spec: ScreenSpec, chunk: Sequence[Items]
                 ) -> list[list[list[Outcome | Deferred]]]:
    """Like :func:`evaluate_chunk`, but verdicts that need a core network's attractors not
    yet computed in this process come back as :class:`Deferred` (phase one of a parallel
    screen)."""
    try:
        engine = engine_for(spec)
        out: list[list[list[Outcome | Deferred]]] = []
        for items in chunk:
            rows: list[list[Outcome | Deferred]] = []
            with engine.budget():
                for base in engine.bases:
                    row: list[Outcome | Deferred] = []
                    for semantics in base.spec.semantics:
                        found = base.triage(items, semantics)
                        row.append(Deferred(semantics, *found) if isinstance(found, tuple)
                                   else found)
                    rows.append(row)
            out.append(rows)
        return out
    except MtorlogicError as error:
        raise ScreenError(str(error)) from None


def judge_spaces(spec: ScreenSpec, spaces: Sequence[tuple[int, str, int, int]]) -> list[Outcome]:
    """Verdicts of ``(base index, semantics, known, vals)`` spaces (phase two: the spaces
    of one core network travel together, so its attractors are computed once)."""
    try:
        engine = engine_for(spec)
        judged = []
        for b, semantics, known, vals in spaces:
            with engine.budget():
                judged.append(engine.bases[b].judge(semantics, known, vals))
        return judged
    except MtorlogicError as error:
        raise ScreenError(str(error)) from None
