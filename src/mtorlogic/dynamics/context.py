"""What one attractor search carries around: the system, its limits and options, the
deadline, and where progress goes."""
from __future__ import annotations

import os
import signal
import sys
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

REPEAT = 0.5
"""Seconds after a budget raised its limit before it raises it again, should its ``with``
block still be running (the limit was swallowed, or caught and the work went on): long
enough for a caller that catches the limit to record it and leave the block."""


class _Budget:
    """One active :func:`time_budget`: its bounds, the frame that runs its ``with`` block,
    and when it last raised."""

    def __init__(self, seconds: float | None, memory_mb: float | None, owner: Any):
        self.seconds = seconds
        self.memory_mb = memory_mb
        self.deadline = None if seconds is None else time.monotonic() + seconds
        self.owner = owner
        self.raised: float | None = None

    def limit(self) -> MtorlogicError | None:
        """The limit this budget has reached, if any."""
        if self.deadline is not None and time.monotonic() >= self.deadline:
            return out_of_time(self.seconds)
        if self.memory_mb is not None:
            used = resident_megabytes()
            if used is not None and used > self.memory_mb:
                return OutOfMemory(f"the search holds {used:,.0f} MB of memory", self.memory_mb)
        return None


_ACTIVE: list[_Budget] = []
"""The budgets whose ``with`` blocks have begun and not ended, oldest first; process-wide,
as the ``SIGALRM`` timer itself is. They need not end in the order they began (a budget
inside a generator ends when the generator is closed or collected)."""

_SAVED: list[tuple[Any, tuple[float, float], float]] = []
"""The ``SIGALRM`` handler and timer the first active budget replaced, and when."""

_PENDING: list[MtorlogicError] = []
"""The limit the last tick raised, until the next tick: aeon reports any exception of a
signal handler as ``KeyboardInterrupt``, and :func:`cancellable` turns that back into
this limit. A ``KeyboardInterrupt`` with nothing pending is a real Ctrl-C."""

_RAISED = [0]
"""How many limits ticks have raised so far: a ``KeyboardInterrupt`` is a limit only when
one was raised after the block that sees it began (a limit raised earlier in Python and
caught, then a real Ctrl-C in aeon, is a Ctrl-C)."""


def _pending_since(raised: int) -> MtorlogicError | None:
    """The limit behind a ``KeyboardInterrupt`` seen now, in a block begun when
    ``_RAISED`` was ``raised``; ``None``: a real Ctrl-C."""
    if _PENDING and _RAISED[0] > raised:
        return _PENDING.pop()
    return None


def _owner(frame: Any) -> Any:
    """The frame whose ``with`` block a budget entered from ``frame`` bounds: ``frame``
    itself, or, where the budget was entered through :mod:`contextlib` (a
    ``@contextmanager`` generator wrapping it, suspended while its caller's block runs; an
    ``ExitStack``), the frame that uses that wrapper."""
    import contextlib
    import inspect

    library = contextlib.__file__
    while frame.f_back is not None:
        if frame.f_code.co_filename == library or (
                frame.f_code.co_flags & inspect.CO_GENERATOR
                and frame.f_back.f_code.co_filename == library):
            frame = frame.f_back
        else:
            break
    return frame


def _silent(frame: Any) -> bool:
    """Whether a tick must not raise in ``frame``: inside an import (a limit raised there
    leaves a module half initialised for the rest of the process; aeon's then fails every
    later import) or inside a budget's own entry or exit (the budget would be left on the
    stack, or the limit raised after its block)."""
    while frame is not None:
        code = frame.f_code
        if code in _OWN_CODE or code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


def _on_tick(signum: int, frame: Any) -> None:
    """The ``SIGALRM`` handler while any budget is active: raise the limit of the oldest
    spent budget whose ``with`` block is running now (its frame is on the stack: a budget
    in a suspended generator never raises into the generator's consumer)."""
    _PENDING.clear()
    if frame is None or _silent(frame):
        return
    running = set()
    while frame is not None:
        running.add(id(frame))
        frame = frame.f_back
    now = time.monotonic()
    for budget in list(_ACTIVE):
        if id(budget.owner) not in running:
            continue
        if budget.raised is not None and now - budget.raised < REPEAT:
            continue
        error = budget.limit()
        if error is not None:
            budget.raised = now
            _PENDING.append(error)
            _RAISED[0] += 1
            raise error


@contextmanager
def cancellable() -> Iterator[None]:
    """Around a call into aeon inside a :func:`time_budget`: a budget spent while aeon
    worked comes out as its limit (:class:`OutOfTime`, :class:`OutOfMemory`), which a
    caller may catch like any other limit (a screen records the perturbation and goes
    on), not as the ``KeyboardInterrupt`` aeon reports. A real Ctrl-C stays one."""
    raised = _RAISED[0]
    try:
        yield
    except KeyboardInterrupt:
        limit = _pending_since(raised)
        if limit is not None:
            raise limit from None
        _PENDING.clear()  # a real Ctrl-C: no enclosing budget may take it for its limit
        raise


class time_budget:  # noqa: N801 (used as a function: ``with time_budget(...)``)
    """Stop the work inside the ``with`` block after ``seconds`` (``None``: never) with
    :class:`OutOfTime`, or once this process holds more than ``memory_mb`` megabytes of
    resident memory (``None``: no bound) with :class:`OutOfMemory`, even where the work
    runs in native code that never calls :meth:`SearchContext.check_time`: aeon's
    attractor search ran for minutes on bbm004's cores.

    A ``SIGALRM`` timer ticking every :data:`TICK` seconds does it: its handler raises in
    Python code, and aeon cancels its work when a signal handler raises (it reports that as
    ``KeyboardInterrupt``, turned back into the limit here). One timer and one handler
    serve every active budget; the first budget to begin installs them and the last to end
    puts back what was there before (another handler, a timer with its remaining time).

    Guarantees: a budget raises only while its own ``with`` block runs (never after it,
    never into the consumer of a generator suspended inside it, never inside an import or
    its own entry and exit); budgets nest, each bounding what it encloses, and may end in
    any order; a spent budget whose limit was swallowed (by a ``__del__``, a callback, a
    broad ``except``) or caught inside its block raises it again every :data:`REPEAT`
    seconds until the block ends, so nothing in it runs unbounded.

    Signals reach only the main thread, so elsewhere (Dask's worker threads) this does
    nothing and the searches' own deadline checks are the bound.
    """

    def __init__(self, seconds: float | None, memory_mb: float | None = None):
        self.seconds = seconds
        self.memory_mb = memory_mb
        self.budget: _Budget | None = None
        self.raised = 0

    def __enter__(self) -> None:
        if ((self.seconds is None and self.memory_mb is None)
                or not hasattr(signal, "setitimer")
                or threading.current_thread() is not threading.main_thread()):
            return
        budget = _Budget(self.seconds, self.memory_mb, _owner(sys._getframe(1)))
        if not _ACTIVE:
            _SAVED[:] = [(signal.getsignal(signal.SIGALRM),
                          signal.getitimer(signal.ITIMER_REAL), time.monotonic())]
            _PENDING.clear()
            signal.signal(signal.SIGALRM, _on_tick)
        _ACTIVE.append(budget)
        self.budget = budget
        self.raised = _RAISED[0]
        first = TICK if self.seconds is None else min(TICK, max(self.seconds, 1e-3))
        remaining = signal.getitimer(signal.ITIMER_REAL)[0]
        if remaining == 0 or first < remaining:
            # Only ever sooner: budgets entered faster than the timer ticks (a loop of
            # short searches inside a longer budget) must not postpone every tick.
            signal.setitimer(signal.ITIMER_REAL, first, TICK)

    def __exit__(self, kind: Any, error: Any, traceback: Any) -> None:
        budget, self.budget = self.budget, None
        if budget is None:
            return
        _ACTIVE[:] = [b for b in _ACTIVE if b is not budget]
        if not _ACTIVE:
            signal.setitimer(signal.ITIMER_REAL, 0)
            handler, (remaining, interval), since = _SAVED.pop()
            signal.signal(signal.SIGALRM, signal.SIG_DFL if handler is None else handler)
            if remaining > 0:  # someone else's timer: what is left of it
                left = remaining - (time.monotonic() - since)
                signal.setitimer(signal.ITIMER_REAL, max(left, 1e-3), interval)
        limit = None
        if kind is not None and issubclass(kind, KeyboardInterrupt):
            limit = _pending_since(self.raised)
        if not _ACTIVE:
            _PENDING.clear()  # no tick follows to clear it
        if limit is not None:
            raise limit from None


_OWN_CODE = frozenset({time_budget.__enter__.__code__, time_budget.__exit__.__code__,
                       _on_tick.__code__})
