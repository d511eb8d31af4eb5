"""Reading the text files a user names: models, scenarios, exercises.

One function, :func:`read_text`, so that every file is read the same careful way:

- only a regular file is read: a FIFO, a device (``/dev/zero``), a socket or a directory is
  refused at once instead of blocking forever or growing without bound;
- at most :data:`MAX_BYTES` are read; a larger file is refused with its size in the message;
- the text is UTF-8, with or without a byte-order mark (editors on Windows write one);
  invalid UTF-8 is refused naming the line where it occurs;
- a path holding a NUL character, or one the operating system refuses (a name longer than
  255 bytes), gives one clear message rather than an exception from deep inside.

Every problem is an :class:`~mtorlogic.errors.InputError` naming the path.
"""
from __future__ import annotations

import codecs
import os
import stat

from .errors import InputError

MAX_BYTES = 64 * 1024 * 1024
"""The largest file read, in bytes. The biggest published models (SBML of the COVID-19
disease map, a few MB) are far below it; a bound makes `/dev/zero`-like input harmless."""

_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def shown_path(path: str | os.PathLike) -> str:
    """``path`` as it can be printed in one line: control characters (NUL, newline...)
    escaped."""
    text = os.fspath(path)
    if isinstance(text, bytes):  # pragma: no cover - paths are str everywhere in mtorlogic
        text = os.fsdecode(text)
    return "".join(repr(char)[1:-1] if ord(char) < 32 or char == "\x7f" else char
                   for char in text)


_NAME_MAX = 255  # bytes in one path component: ext4, APFS, NTFS and most others
_PATH_MAX = 4096


def path_problem(path: str | os.PathLike) -> str | None:
    """What makes ``path`` unusable before the file system is even asked (a NUL character,
    a component longer than 255 bytes, a path longer than 4096), or ``None``."""
    text = os.fsdecode(os.fspath(path))
    if "\0" in text:
        return "invalid path: it contains a NUL character"
    encoded = os.fsencode(text.replace("\0", ""))
    if len(encoded) > _PATH_MAX:
        return f"invalid path: longer than {_PATH_MAX} bytes"
    if any(len(part) > _NAME_MAX for part in encoded.split(b"/")):
        return f"invalid path: a file or folder name longer than {_NAME_MAX} bytes"
    return None


def read_text(path: str | os.PathLike, what: str = "file") -> str:
    """The text of the regular file at ``path``, read as UTF-8 with an optional BOM.

    ``what`` names the file in messages (``"scenario file"``, ``"model file"``).

    Raises :class:`InputError` (naming the path) when the path is invalid, the file is
    missing, not a regular file, larger than :data:`MAX_BYTES`, or not UTF-8.
    Reads at most ``MAX_BYTES + 1`` bytes: O(size) time and memory.
    """
    source = shown_path(path)
    name = os.fspath(path)
    problem = path_problem(name)
    if problem:
        raise InputError(f"{problem}; cannot read this {what}", source)
    try:
        # O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever. It does
        # nothing to regular files, the only kind read below.
        descriptor = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise InputError(f"no such {what}", source) from None
    except OSError as error:
        raise InputError(f"cannot open {what}: {error.strerror or error}", source) from None
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            kind = next((label for test, label in _KINDS if test(mode)), "not a regular file")
            raise InputError(f"cannot read {kind} as a {what}; give a regular file", source)
        chunks = []
        size = 0
        while size <= MAX_BYTES:
            chunk = os.read(descriptor, min(1 << 20, MAX_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as error:
        raise InputError(f"cannot read {what}: {error.strerror or error}", source) from None
    finally:
        os.close(descriptor)
    if size > MAX_BYTES:
        raise InputError(f"{what} larger than {MAX_BYTES // (1024 * 1024)} MiB; "
                         "mtorlogic reads smaller files only", source)
    data = b"".join(chunks).removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise InputError(f"not UTF-8 text (byte 0x{data[error.start]:02x}); save the {what} "
                         "as UTF-8", source, line) from None
