"""What one attractor search carries around: the system, its limits and options, the
deadline, and where progress goes."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

from ..errors import LimitExceeded
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
        """Raise :class:`LimitExceeded` once the deadline has passed."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise LimitExceeded("attractor search ran out of time", self.limits.seconds,
                                "raise it with --max-seconds (or Limits.seconds)")
