"""docs/api.md shows each Python cell's output in the ``Output:`` block after it; those
blocks must be what the cells print (test_docs runs the cells, this compares their output)."""
from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CELL = re.compile(r"```python\n(.*?)```\n(?:\nOutput:\n\n```text\n(.*?)```\n)?", re.S)


@pytest.mark.slow
def test_api_walkthrough_prints_what_it_shows(tmp_path: Path, monkeypatch) -> None:
    for name in ("rules", "scenarios", "docs"):
        shutil.copytree(REPO / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "__doc_example__"}
    cells = CELL.findall((REPO / "docs" / "api.md").read_text(encoding="utf-8"))
    assert len(cells) >= 8
    for number, (code, shown) in enumerate(cells, 1):
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(code, f"docs/api.md cell {number}", "exec"), namespace)  # noqa: S102
        lines = [line.rstrip() for line in printed.getvalue().rstrip().splitlines()]
        assert lines == shown.rstrip("\n").splitlines(), f"cell {number}:\n{code}"
    assert os.getcwd() == str(tmp_path)
