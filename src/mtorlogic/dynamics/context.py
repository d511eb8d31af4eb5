"""What one attractor search carries around: the system, its limits and options, the
deadline, and where progress goes."""
from __future__ import annotations

import os
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from ..errors import MtorlogicError, OutOfMemory, OutOfTime
from .evaluation import ScalarFunction
from .results import Limits, SearchOptions
from .system import LogicalSystem


@dataclass(frozen=True)
class SearchContext:
    """One search's fixed inputs. ``deadline`` is a ``time.monotonic()`` value or ``None``;
    ``progress`` receives one-line stage descriptions."""

    system: LogicalSystem
    limits: Limits = Limits()
    options: SearchOptions = SearchOptions()
    deadline: float | None = None
    progress: Callable[[str], None] | None = None

    @classmethod
    def start(cls, system: LogicalSystem, limits: Limits = Limits(),
              options: SearchOptions = SearchOptions(),
              progress: Callable[[str], None] | None = None) -> "SearchContext":
        """A context whose deadline is ``limits.seconds`` from now."""
        deadline = None if limits.seconds is None else time.monotonic() + limits.seconds
        return cls(system, limits, options, deadline, progress)

    def report(self, message: str) -> None:
        if self.progress is not None:
            self.progress(message)

    @property
    def functions(self) -> tuple[ScalarFunction, ...]:
        """Update functions on one state, for simulation (compiled only when needed)."""
        return self.system.scalar_functions

    def check_time(self) -> None:
        """Raise :class:`OutOfTime` once the deadline has passed."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise out_of_time(self.limits.seconds)


def out_of_time(seconds: float | None) -> OutOfTime:
    return OutOfTime("attractor search ran out of time", seconds)


def resident_megabytes() -> float | None:
    """This process's resident memory now (Linux ``/proc/self/statm``), ``None`` where
    it cannot be read."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            pages = int(handle.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / 2 ** 20


TICK = 0.1
"""Seconds between two checks of a budget (so a limit acts within about this)."""

_SPENT: list[MtorlogicError] = []
"""The limit a budget's timer raised, while its ``with`` block is unwinding: aeon reports
any exception of a signal handler as ``KeyboardInterrupt``, and :func:`cancellable` turns
that back into this limit. Process-wide, as the ``SIGALRM`` timer itself is."""


def _importing(frame: Any) -> bool:
    """Whether ``frame`` runs inside an import: a limit raised there leaves a module half
    initialised for the rest of the process (aeon's then fails every later import), so the
    tick waits for the next one."""
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


@contextmanager
def cancellable() -> Iterator[None]:
    """Around a call into aeon inside a :func:`time_budget`: a budget spent while aeon
    worked comes out as its limit (:class:`OutOfTime`, :class:`OutOfMemory`), which a
    caller may catch like any other limit (a screen records the perturbation and goes
    on), not as the ``KeyboardInterrupt`` aeon reports. A real Ctrl-C stays one."""
    try:
        yield
    except KeyboardInterrupt:
        if _SPENT:
            raise _SPENT[-1] from None
        raise


@contextmanager
def time_budget(seconds: float | None, memory_mb: float | None = None) -> Iterator[None]:
    """Stop the work inside the ``with`` block after ``seconds`` (``None``: never) with
    :class:`OutOfTime`, or once this process holds more than ``memory_mb`` megabytes of
    resident memory (``None``: no bound) with :class:`OutOfMemory`, even where the work
    runs in native code that never calls :meth:`SearchContext.check_time`: aeon's
    attractor search ran for minutes on bbm004's cores.

    A ``SIGALRM`` timer ticking every :data:`TICK` seconds does it: its handler raises in
    Python code, and aeon cancels its work when a signal handler raises (it reports that as
    ``KeyboardInterrupt``, turned back into the limit here; clingo re-raises the handler's
    exception). Budgets nest: an inner one also checks the outer one's bounds, and the
    outer timer is restored on the way out.

    Signals reach only the main thread, so elsewhere (Dask's worker threads) this does
    nothing and the searches' own deadline checks are the bound.
    """
    if ((seconds is None and memory_mb is None) or not hasattr(signal, "setitimer")
            or threading.current_thread() is not threading.main_thread()):
        yield
        return
    deadline = None if seconds is None else time.monotonic() + seconds
    outer = signal.getsignal(signal.SIGALRM)
    outer_timer = signal.getitimer(signal.ITIMER_REAL)
    if not getattr(outer, "is_budget", False):
        _SPENT.clear()  # the outermost budget: nothing earlier is still unwinding
    spent_before = len(_SPENT)
    over = False

    def end() -> None:
        """Put back the enclosing timer and handler (idempotent)."""
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, outer)
        if outer_timer[0] > 0:
            signal.setitimer(signal.ITIMER_REAL, TICK, TICK)

    def on_tick(signum: int, frame: Any) -> None:
        nonlocal over
        if over or _importing(frame):
            return
        if callable(outer) and outer_timer[0] > 0:
            outer(signum, frame)  # the enclosing budget's bounds hold too
        error: MtorlogicError | None = None
        if deadline is not None and time.monotonic() >= deadline:
            error = out_of_time(seconds)
        elif memory_mb is not None:
            used = resident_megabytes()
            if used is not None and used > memory_mb:
                error = OutOfMemory(f"the search holds {used:,.0f} MB of memory", memory_mb)
        if error is not None:
            # The budget ends here, before the raise: a tick can land anywhere, even in
            # this ``with`` block's own exit, and must never leave a raising handler or a
            # running timer behind it (the raise comes once).
            over = True
            end()
            _SPENT.append(error)
            raise error

    on_tick.is_budget = True  # type: ignore[attr-defined]
    signal.signal(signal.SIGALRM, on_tick)
    first = TICK if deadline is None else min(TICK, max(seconds or 0.0, 1e-3))
    signal.setitimer(signal.ITIMER_REAL, first, TICK)
    try:
        yield
    except KeyboardInterrupt:
        if len(_SPENT) > spent_before:  # this budget's or an enclosing one's
            raise _SPENT[-1] from None
        raise
    finally:
        over = True
        end()
        del _SPENT[spent_before:]
