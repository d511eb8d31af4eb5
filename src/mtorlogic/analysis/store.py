"""The results file of a screen: append-only JSON lines, so an interrupted screen resumes
where it stopped."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..errors import InputError
from ..outcomes import Outcome, outcome_from_json, outcome_to_json
from .spec import Items, ScreenSpec, combine

FILE_KIND = "mtorlogic-screen"
FILE_VERSION = 1

Verdicts = list[list[Outcome]]
"""A perturbation's verdicts (or failures): per base scenario, per semantics."""


def key_of(items: Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    """The order-independent identity of a perturbation."""
    return tuple(sorted((str(n), int(v)) for n, v in items))


@dataclass
class ResultFile:
    """An append-only JSON-lines file of finished verdicts.

    The first line describes the screen (``fingerprint`` of :class:`ScreenSpec`, target,
    scenarios and semantics); each further line is one finished perturbation::

        {"perturbation": {"TSC": 0}, "verdict": "always", "verdicts": [["always"]]}

    with ``verdicts`` per scenario and semantics in the header's order; a perturbation whose
    judging hit a limit has ``{"error": message}`` in a verdict's place (and ``"verdict":
    "error"``); files written before that spelled it ``"error: message"``, which
    :meth:`load` still reads. Every line is
    written with one ``write`` call on a file opened for appending, so a screen killed at
    any moment leaves whole lines, at worst followed by one cut-off line, which
    :meth:`load` drops (and truncates) before the file grows again.
    """

    path: Path
    spec: ScreenSpec
    header: dict[str, Any] = field(init=False)
    _lock: int | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.path = Path(self.path)
        self.header = {"kind": FILE_KIND, "version": FILE_VERSION,
                       "fingerprint": self.spec.fingerprint, "target": self.spec.target,
                       "scenarios": [base.label for base in self.spec.bases],
                       "semantics": [list(base.semantics) for base in self.spec.bases]}

    def start(self, resume: bool) -> dict[Items, Verdicts]:
        """Open the file for a new screen (it must not exist unless ``resume``) or to
        resume one; returns the verdicts already in it, by :func:`key_of`.

        The file stays locked (``flock``) until :meth:`close` or the end of the process:
        a second screen on the same file, resumed at the same time, would judge and store
        every pending perturbation again."""
        if self.path.exists() and self.path.stat().st_size > 0 and not resume:
            raise InputError("file exists: pass --resume to continue that screen, or "
                             "choose another --output", str(self.path))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._take_lock()
        if self.path.stat().st_size > 0:
            return self.load(repair=True)
        self._append([self.header])  # new, or empty: killed before its header was written
        return {}

    def _take_lock(self) -> None:
        try:
            descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise InputError(f"cannot open the results file ({error.strerror})",
                             str(self.path)) from None
        try:
            import fcntl
        except ImportError:  # not POSIX: no lock
            self._lock = descriptor
            return
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(descriptor)
            raise InputError("another screen is writing to this file; wait for it to "
                             "finish, or choose another --output", str(self.path)) from None
        self._lock = descriptor

    def close(self) -> None:
        """Release the file (see :meth:`start`)."""
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    def load(self, *, repair: bool = False) -> dict[Items, Verdicts]:
        """The verdicts in the file. With ``repair``, a cut-off last line is removed."""
        source = str(self.path)
        try:
            data = self.path.read_bytes()
        except OSError as error:
            raise InputError(f"cannot read the results file ({error.strerror})", source) from None
        lines = data.split(b"\n")
        complete = lines[:-1]  # whatever follows the last newline was cut off
        if lines[-1].strip():
            try:
                json.loads(lines[-1])
                if repair:
                    # whole but unterminated: the newline was lost; keep the line
                    with open(self.path, "ab") as handle:
                        handle.write(b"\n")
                complete.append(lines[-1])
            except ValueError:
                if repair:
                    os.truncate(self.path, len(data) - len(lines[-1]))
        if not complete:
            raise InputError("not a screen results file (empty)", source)
        try:
            header = json.loads(complete[0])
        except ValueError:
            raise InputError("not a screen results file (bad first line)", source, 1) from None
        if not isinstance(header, dict) or header.get("kind") != FILE_KIND:
            raise InputError("not a screen results file", source, 1)
        if header.get("fingerprint") != self.spec.fingerprint:
            raise InputError("this file holds a different screen (its target, scenarios, "
                             "models or semantics differ); choose another --output", source, 1)
        results: dict[Items, Verdicts] = {}
        shape = [len(base.semantics) for base in self.spec.bases]
        for number, line in enumerate(complete[1:], start=2):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                verdicts = row["verdicts"]
                if [len(v) for v in verdicts] != shape:
                    raise ValueError
                results[key_of(row["perturbation"].items())] = [
                    [outcome_from_json(v) for v in base] for base in verdicts]
            except (ValueError, KeyError, TypeError, AttributeError):
                raise InputError("corrupt line in the results file", source, number) from None
        return results

    def append(self, rows: Sequence[tuple[Items, Verdicts]]) -> None:
        self._append([{"perturbation": dict(items),
                       "verdict": str(combine(v for base in verdicts for v in base)),
                       "verdicts": [[outcome_to_json(v) for v in base] for base in verdicts]}
                      for items, verdicts in rows])

    def _append(self, objects: Sequence[dict[str, Any]]) -> None:
        if not objects:
            return
        data = "".join(json.dumps(o, separators=(",", ":")) + "\n" for o in objects).encode()
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            view = memoryview(data)
            while view:  # one call in practice; a loop in case the OS writes less
                written = os.write(descriptor, view)
                view = view[written:]
        finally:
            os.close(descriptor)
