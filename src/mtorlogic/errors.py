"""Errors that reach the user as one readable line (exit status 2)."""
from __future__ import annotations


class MtorlogicError(Exception):
    """Base of every error mtorlogic reports to its user instead of a traceback."""

    exit_code = 2


class InputError(MtorlogicError):
    """Bad input: a file that cannot be read, parsed or understood.

    ``where`` names the place (a file, ``file:line`` or ``file: key``) so the message
    always says where the problem is.
    """

    def __init__(self, message: str, source: str | None = None, line: int | None = None,
                 key: str | None = None):
        self.message = message
        self.source = source
        self.line = line
        self.key = key
        super().__init__(self.__str__())

    def __str__(self) -> str:
        from .resources import shown  # the bundled model reads `mtor`, not a package path

        where = shown(self.source) or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        if self.key is not None:
            where = f"{where}: {self.key}" if where else self.key
        return f"{where}: {self.message}" if where else self.message


class LimitExceeded(MtorlogicError):
    """Exponential work hit a bound; the message says which and how to raise it."""

    def __init__(self, what: str, limit: int | float | None, how_to_raise: str):
        self.what = what
        self.limit = limit
        self.how_to_raise = how_to_raise
        bound = "" if limit is None else f" (limit {limit})"
        super().__init__(f"limit reached: {what}{bound}; {how_to_raise}")


class OutOfTime(LimitExceeded):
    """The time budget (``Limits.seconds``, ``--max-seconds``) is spent. Unlike other
    limits, which a search may meet and work around (too many candidates: search
    symbolically instead), this one is final."""

    def __init__(self, what: "str | OutOfTime", limit: float | None = None):
        if isinstance(what, OutOfTime):
            # clingo re-raises an exception from inside its solver as ``type(e)(e)``
            limit = what.limit
        super().__init__(str(what.what if isinstance(what, OutOfTime) else what), limit,
                         "raise it with --max-seconds (or Limits.seconds)")


class OutOfMemory(LimitExceeded):
    """The search's process holds more memory than ``Limits.memory_mb`` (``--max-memory``)
    allows."""

    def __init__(self, what: "str | OutOfMemory", limit: float | None = None):
        if isinstance(what, OutOfMemory):  # clingo re-raises as ``type(e)(e)``
            limit = what.limit
        super().__init__(str(what.what if isinstance(what, OutOfMemory) else what), limit,
                         "raise it with --max-memory MB (or Limits.memory_mb), "
                         "or fix more inputs to shrink the search")
