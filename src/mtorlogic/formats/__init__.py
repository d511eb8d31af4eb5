"""Reading and writing models, chosen by file extension (SPEC §4).

``.rules`` native, ``.bnet`` BNET, ``.sbml``/``.xml`` SBML-qual, ``.booleannet`` BooleanNet.
The name ``mtor`` stands for the bundled curated model.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import InputError
from ..model import Model

READERS = {
    ".rules": ("rules", "parse_rules"),
    ".bnet": ("bnet", "parse_bnet"),
    ".sbml": ("sbml", "parse_sbml"),
    ".xml": ("sbml", "parse_sbml"),
    ".booleannet": ("booleannet", "parse_booleannet"),
}
WRITERS = {
    ".rules": ("rules", "format_rules"),
    ".bnet": ("bnet", "format_bnet"),
    ".sbml": ("sbml", "format_sbml"),
    ".xml": ("sbml", "format_sbml"),
    ".booleannet": ("booleannet", "format_booleannet"),
}


def _function(table: dict, path: str | os.PathLike, verb: str):
    from importlib import import_module

    suffix = Path(path).suffix.lower()
    if suffix not in table:
        known = ", ".join(sorted(table))
        raise InputError(f"cannot {verb} a model with extension {suffix or '(none)'!r}; "
                         f"known: {known}", str(path))
    module, function = table[suffix]
    return getattr(import_module(f"{__name__}.{module}"), function)


def bundled_model_path() -> Path:
    from ..resources import bundled_path

    return bundled_path("rules") / "mtor.rules"


def load_model(path: str | os.PathLike) -> Model:
    """Read a model file, by extension; ``"mtor"`` is the bundled model."""
    if str(path) == "mtor":
        path = bundled_model_path()
    parse = _function(READERS, path, "read")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such file", str(path)) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read file ({error.__class__.__name__}: {error})",
                         str(path)) from None
    return parse(text, source=str(path), name=Path(path).stem)


def save_model(model: Model, path: str | os.PathLike) -> None:
    """Write ``model`` in the format the extension names; a failed write leaves no file."""
    text = _function(WRITERS, path, "write")(model)
    target = Path(path)
    temporary = target.with_name(f".{target.name}.partial")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise InputError(f"cannot write file ({error})", str(path)) from None
