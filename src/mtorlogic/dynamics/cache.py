"""A bounded memo: the one cache type of the engine."""
from __future__ import annotations

from typing import Callable, Hashable, TypeVar

Key = TypeVar("Key", bound=Hashable)
Value = TypeVar("Value")

DEFAULT_ENTRIES = 200_000
"""Entries a cache holds before it starts over (a few hundred MB at most for the largest
values the screens keep; the bundled model's full pair screen needs about 20,000)."""


class BoundedCache(dict[Key, Value]):
    """A dict of at most ``entries`` items that forgets everything when full.

    Starting over (instead of evicting the least recently used) keeps every lookup one
    C-level dict access (``in``, ``[]`` and ``get`` are ``dict``'s own); only storing, which
    must go through ``cache[key] = value``, checks the bound. What is computed never
    depends on what is cached, so results do not either. Keys are values (never object
    identities), so equal questions share an answer.
    """

    def __init__(self, entries: int = DEFAULT_ENTRIES):
        super().__init__()
        self.entries = entries

    def __setitem__(self, key: Key, value: Value) -> None:
        if len(self) >= self.entries and key not in self:
            self.clear()
        super().__setitem__(key, value)

    def get_or_compute(self, key: Key, compute: Callable[[], Value]) -> Value:
        """The cached value of ``key``, computed (and kept) when missing."""
        try:
            return self[key]
        except KeyError:
            value = compute()
            self[key] = value
            return value
