"""What one attractor search carries around: the system, its limits and options, the
deadline, and where progress goes."""
from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from ..errors import OutOfTime
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


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Stop the work inside the ``with`` block after ``seconds`` (``None``: never) with
    :class:`OutOfTime`, even where it runs in native code that never calls
    :meth:`SearchContext.check_time`: aeon's attractor search ran for minutes on bbm004's
    cores. A ``SIGALRM`` timer does it: its handler raises in Python code, and aeon cancels
    its work when a signal handler raises (it reports that as ``KeyboardInterrupt``, turned
    back into the limit here). Budgets nest: the earliest one holds, and the outer timer is
    restored on the way out.

    Signals reach only the main thread, so elsewhere (Dask's worker threads) this does
    nothing and the searches' own deadline checks are the bound.
    """
    if (seconds is None or not hasattr(signal, "setitimer")
            or threading.current_thread() is not threading.main_thread()):
        yield
        return
    fired: list[bool] = []

    def on_alarm(signum: int, frame: Any) -> None:
        fired.append(True)
        raise out_of_time(seconds)

    started = time.monotonic()
    outer_left, _ = signal.getitimer(signal.ITIMER_REAL)
    previous = signal.signal(signal.SIGALRM, on_alarm)
    mine = max(seconds, 1e-3)
    signal.setitimer(signal.ITIMER_REAL, min(mine, outer_left) if outer_left > 0 else mine)
    try:
        yield
    except KeyboardInterrupt:
        if fired:
            raise out_of_time(seconds) from None
        raise
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left > 0:  # the enclosing budget goes on (and fires at once if spent)
            signal.setitimer(signal.ITIMER_REAL,
                             max(1e-4, outer_left - (time.monotonic() - started)))
