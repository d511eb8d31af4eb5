"""The README's layout section names every module and package of ``src/mtorlogic`` (and
nothing that is gone), each on its own line in the tree, so a reader can trust it."""
from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "src" / "mtorlogic"


def layout_tree() -> set[str]:
    """The paths (``dynamics/percolation.py``, ``analysis/_explain/``) the tree lists under
    ``src/mtorlogic/``, rebuilt from each line's indentation."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Layout", 1)[1]
    block = re.search(r"```text\n(.*?)```", section, re.S)
    assert block, "the layout section has no text block"
    paths: set[str] = set()
    stack: list[tuple[int, str]] = []  # (indent, folder) of the enclosing packages
    inside = False
    for line in block.group(1).splitlines():
        name = line.strip().split(" ", 1)[0]
        indent = len(line) - len(line.lstrip())
        if indent == 0:
            inside = name == "src/mtorlogic/"
            stack = []
            continue
        if not inside:
            continue
        while stack and stack[-1][0] >= indent:
            stack.pop()
        path = "".join(folder for _, folder in stack) + name
        assert line.strip() != name, f"{path} has no sentence"
        paths.add(path)
        if name.endswith("/"):
            stack.append((indent, name))
    return paths


def package_tree() -> set[str]:
    paths = set()
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if "__pycache__" in relative.parts:
            continue
        if path.name == "__init__.py" and relative.parent != Path("."):
            paths.add(relative.parent.as_posix() + "/")
        else:
            paths.add(relative.as_posix())
    return paths


def test_the_layout_names_every_module_once() -> None:
    listed, actual = layout_tree(), package_tree()
    assert not actual - listed, f"modules missing from the README layout: {actual - listed}"
    assert not listed - actual, f"the README layout lists what is not there: {listed - actual}"
