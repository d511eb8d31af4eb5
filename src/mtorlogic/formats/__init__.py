"""Reading and writing models, chosen by file extension (SPEC §4).

``.rules`` native, ``.bnet`` BNET, ``.sbml``/``.xml`` SBML-qual, ``.booleannet`` BooleanNet,
``.primes``/``.primes.json`` PyBoolNet primes (read and write); ``.bnd`` MaBoSS (write only: the
``.bnd`` and a ``.cfg`` beside it). The name ``mtor`` stands for the bundled curated model.
docs/formats.md describes every format and how they map to each other.
"""
from __future__ import annotations

import os
import stat
from typing import TYPE_CHECKING, Callable

from ..errors import InputError
from ..model import Model

if TYPE_CHECKING:
    # pathlib and secrets are imported where a model is written: a run that only reads a
    # model starts faster without them (tests/test_startup.py)
    from pathlib import Path

PRIMES_SUFFIX = ".primes"
PRIMES_JSON_SUFFIX = ".primes.json"

READERS = {
    ".rules": ("rules", "parse_rules"),
    ".bnet": ("bnet", "parse_bnet"),
    ".sbml": ("sbml", "parse_sbml"),
    ".xml": ("sbml", "parse_sbml"),
    ".booleannet": ("booleannet", "parse_booleannet"),
    PRIMES_SUFFIX: ("primes", "parse_primes"),
    PRIMES_JSON_SUFFIX: ("primes", "parse_primes"),
}
WRITERS = {
    ".rules": ("rules", "format_rules"),
    ".bnet": ("bnet", "format_bnet"),
    ".sbml": ("sbml", "format_sbml"),
    ".xml": ("sbml", "format_sbml"),
    ".booleannet": ("booleannet", "format_booleannet"),
    PRIMES_SUFFIX: ("primes", "format_primes"),
    PRIMES_JSON_SUFFIX: ("primes", "format_primes"),
    ".bnd": ("maboss", "format_maboss"),
}


def model_suffix(path: str | os.PathLike) -> str:
    """The extension that chooses the format: ``.primes.json`` (two parts) or the last one,
    lower case."""
    name = _file_name(path).lower()
    if name.endswith(PRIMES_JSON_SUFFIX) and len(name) > len(PRIMES_JSON_SUFFIX):
        return PRIMES_JSON_SUFFIX
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""  # as pathlib's ``suffix``


def _file_name(path: str | os.PathLike) -> str:
    """``Path(path).name`` without importing pathlib (start-up): the last part, with empty
    and ``.`` parts dropped."""
    parts = [part for part in os.fspath(path).split(os.sep) if part not in ("", ".")]
    return parts[-1] if parts else ""


def _function(table: dict, path: str | os.PathLike, verb: str) -> Callable:
    from importlib import import_module

    from ..textfiles import shown_path

    suffix = model_suffix(path)
    if suffix not in table:
        known = ", ".join(sorted(table))
        raise InputError(f"cannot {verb} a model with extension {suffix or '(none)'!r}; "
                         f"known: {known}", shown_path(path))
    module, function = table[suffix]
    return getattr(import_module(f"{__name__}.{module}"), function)


def bundled_model_path() -> Path:
    from ..resources import bundled_path

    return bundled_path("rules") / "mtor.rules"


def load_model(path: str | os.PathLike) -> Model:
    """Read a model file, by extension; ``"mtor"`` is the bundled model.

    Only a regular file of at most :data:`mtorlogic.textfiles.MAX_BYTES` is read (UTF-8,
    with or without a byte-order mark); every problem is an :class:`InputError`."""
    from ..textfiles import read_text, shown_path

    if not isinstance(path, (str, os.PathLike)):
        raise InputError(f"a model path must be a string or a path, not {type(path).__name__}")
    if str(path) == "mtor":
        path = bundled_model_path()
    parse = _function(READERS, path, "read")
    text = read_text(path, "file")
    return parse(text, source=shown_path(path), name=_stem(path))


def _stem(path: str | os.PathLike) -> str:
    """The file name without its format's extension: ``mapk`` for ``mapk.primes.json``."""
    name = _file_name(path)
    return name[:len(name) - len(model_suffix(path))] or name


def output_paths(path: str | os.PathLike) -> list[Path]:
    """The files :func:`save_model` writes for ``path``: ``path`` itself, and for MaBoSS
    (``.bnd``) also the ``.cfg`` beside it. Lets a caller check them all before writing."""
    from pathlib import Path

    target = Path(path)
    if model_suffix(path) == ".bnd":
        return [target, target.with_suffix(".cfg")]
    return [target]


def existing_outputs(path: str | os.PathLike) -> list[Path]:
    """Which of the files :func:`save_model` would write for ``path`` exist already (for a
    ``--force`` check). Unlike ``Path.exists``, an unusable path (a NUL, a name over 255
    bytes) is an :class:`InputError`, not an ``OSError`` or ``ValueError``."""
    from ..textfiles import path_problem, shown_path

    problem = path_problem(path)
    if problem:
        raise InputError(problem, shown_path(path))
    found = []
    for output in output_paths(path):
        try:
            os.lstat(output)
        except FileNotFoundError:
            continue
        except OSError as error:
            raise InputError(f"cannot check the file ({error.strerror or error})",
                             shown_path(output)) from None
        found.append(output)
    return found


def save_model(model: Model, path: str | os.PathLike) -> list[Path]:
    """Write ``model`` in the format the extension names; returns the files written.

    A writer gives one text, or (MaBoSS) one per extension: ``x.bnd`` also writes
    ``x.cfg``. Each file is written to a temporary file in its directory and renamed over
    the target at the end, so a failure or an interrupt leaves the targets as they were and
    no temporary file behind. An existing target keeps its permission bits."""
    from pathlib import Path

    written = _function(WRITERS, path, "write")(model)
    target = Path(path)
    outputs = {target: written} if isinstance(written, str) else \
        {target.with_suffix(suffix): text for suffix, text in written.items()}
    write_atomically(outputs)
    return list(outputs)


def write_atomically(outputs: dict[Path, str]) -> None:
    """Write each text to its path, all or nothing as far as the file system allows.

    Every text is written to a new hidden file beside its target (``.mtorlogic-*.partial``,
    mode 0666 less the umask, or the target's own mode when it exists), and these are
    renamed over the targets only once all are written. On any error or interrupt
    (``KeyboardInterrupt``) the temporaries are removed; only a SIGKILL during the write
    can leave one behind. (Linux's ``O_TMPFILE`` would avoid even that, but naming such a
    file needs ``linkat(AT_SYMLINK_FOLLOW)``, which Python's ``os.link`` does not offer.)"""
    import secrets

    from ..textfiles import path_problem, shown_path

    for target in outputs:
        problem = path_problem(target)
        if problem:
            raise InputError(problem, shown_path(target))
    temporaries: dict[Path, Path] = {}
    current = None
    try:
        for target, text in outputs.items():
            current = target
            try:
                mode: int | None = os.stat(target).st_mode
            except FileNotFoundError:
                mode = None
            if mode is not None and not stat.S_ISREG(mode):
                raise InputError("exists and is not a regular file; not replaced",
                                 shown_path(target))
            temporary = target.with_name(f".mtorlogic-{secrets.token_hex(6)}.partial")
            _write_new_file(temporary, text, temporaries, target,
                            None if mode is None else stat.S_IMODE(mode))
        for target, temporary in list(temporaries.items()):
            current = target
            os.replace(temporary, target)
            del temporaries[target]
    except OSError as error:
        raise InputError(f"cannot write file ({error.strerror or error})",
                         shown_path(current) if current is not None else None) from None
    finally:
        for temporary in temporaries.values():
            temporary.unlink(missing_ok=True)


def _write_new_file(path: Path, text: str, created: dict[Path, Path], target: Path,
                    mode: int | None) -> None:
    """Create ``path`` holding ``text`` (recorded in ``created[target]`` as soon as it
    exists under that name), with permission bits ``mode`` when given."""
    data = text.encode("utf-8")
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    created[target] = path
    try:
        _write_all(descriptor, data, mode)
    finally:
        os.close(descriptor)


def _write_all(descriptor: int, data: bytes, mode: int | None) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view):]
    if mode is not None:
        os.fchmod(descriptor, mode)
