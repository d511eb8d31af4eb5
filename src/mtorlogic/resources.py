"""Where the bundled model and scenarios live, installed or in a source checkout."""
from __future__ import annotations

from pathlib import Path


def bundled_path(kind: str) -> Path:
    """The folder of bundled ``rules``, ``scenarios`` or ``exercises``.

    An installed package carries them in ``mtorlogic/bundled/``; a source checkout (editable
    install, tests) has them at the repository's top level.
    """
    package = Path(__file__).resolve().parent
    installed = package / "bundled" / kind
    if installed.is_dir():
        return installed
    return package.parent.parent / kind
