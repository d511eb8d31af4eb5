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


def shown(location: "str | Path | None") -> "str | None":
    """How a file is named to the user: the bundled model as ``mtor``, a bundled scenario
    reached by its name (an absolute path into the package) by its stem (``01_fed``), other
    absolute paths under the working directory relative to it, any other path as given.
    Messages and outputs then read the way the user typed them, never as a site-packages
    path."""
    if location is None:
        return None
    path = Path(location)
    if not path.is_absolute():
        return str(location)
    folder = path.parent.resolve()
    if path.name == "mtor.rules" and folder == bundled_path("rules").resolve():
        return "mtor"
    if path.suffix == ".toml" and folder == bundled_path("scenarios").resolve():
        return path.stem
    try:  # a file under the working directory, as it would be typed there
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(location)
