"""Every example in README.md and docs/*.md runs as shown.

Conventions (docs/README.md repeats them for authors):

- A ```console block holds commands, each on a line starting with ``$ `` (a trailing ``\\``
  continues it on the next line), followed by the output the command prints (stdout and
  stderr together). Output lines are compared after stripping trailing spaces; a line holding
  only ``...`` stands for any number of lines. A last line ``[exit N]`` says the command exits
  with status N (default 0). A command with no output lines shown is only checked for its
  exit status.
- A ```python block is executed; the blocks of one file share one namespace, in order.
- Blocks in any other language (``text``, ``toml``, ``json``, untagged) are not executed.

Every file's examples run in one fresh temporary directory holding copies of the
repository's ``rules/``, ``scenarios/``, ``exercises/`` and ``docs/examples/`` (where they
exist), so examples may write files without touching the checkout.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("**/*.md"))]
COPIED = ("rules", "scenarios", "exercises", "docs/examples")
_FENCE = re.compile(r"^```(\w*)\s*$")


@dataclass(frozen=True)
class Block:
    document: Path
    line: int
    language: str
    text: str


def _blocks(document: Path) -> list[Block]:
    blocks, language, start, lines = [], None, 0, []
    for number, line in enumerate(document.read_text(encoding="utf-8").splitlines(), 1):
        fence = _FENCE.match(line)
        if language is None and fence:
            language, start, lines = fence.group(1), number, []
        elif language is not None and line.strip() == "```":
            blocks.append(Block(document, start, language, "\n".join(lines)))
            language = None
        elif language is not None:
            lines.append(line)
    return [block for block in blocks if block.language in ("console", "python")]


@dataclass(frozen=True)
class Command:
    text: str
    expected: tuple[str, ...]
    status: int


def _commands(block: Block) -> list[Command]:
    commands: list[Command] = []
    current: list[str] | None = None
    expected: list[str] = []
    continuing = False

    def close() -> None:
        if current is None:
            return
        status = 0
        if expected and re.fullmatch(r"\[exit \d+\]", expected[-1].strip()):
            status = int(expected.pop().strip()[6:-1])
        commands.append(Command(" ".join(current), tuple(expected), status))

    for line in block.text.splitlines():
        if continuing:
            current.append(line.rstrip("\\").strip())
            continuing = line.endswith("\\")
        elif line.startswith("$ "):
            close()
            current, expected = [line[2:].rstrip("\\").strip()], []
            continuing = line.endswith("\\")
        elif current is not None:
            expected.append(line)
    close()
    return commands


def _matches(expected: tuple[str, ...], actual: list[str]) -> bool:
    """Whether ``actual`` fits ``expected``, where a ``...`` line matches any run of lines."""
    if not expected:
        return not actual
    head, rest = expected[0].rstrip(), expected[1:]
    if head == "...":
        return any(_matches(rest, actual[skip:]) for skip in range(len(actual) + 1))
    return bool(actual) and actual[0].rstrip() == head and _matches(rest, actual[1:])


def _workspace(tmp_path: Path) -> Path:
    for name in COPIED:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name)
    return tmp_path


def _environment() -> dict[str, str]:
    environment = dict(os.environ)
    environment["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{environment['PATH']}"
    environment["COLUMNS"] = "100"
    environment.pop("FORCE_COLOR", None)
    return environment


def _run_document(document: Path, tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    namespace: dict[str, object] = {"__name__": "__doc_example__"}
    previous = Path.cwd()
    os.chdir(workspace)
    try:
        for block in _blocks(document):
            where = f"{document.relative_to(REPO)}:{block.line}"
            if block.language == "python":
                exec(compile(block.text, where, "exec"), namespace)  # noqa: S102 - our docs
                continue
            for command in _commands(block):
                done = subprocess.run(command.text, shell=True, cwd=workspace,
                                      env=_environment(), capture_output=True, text=True,
                                      stdin=subprocess.DEVNULL, timeout=600)
                output = (done.stdout + done.stderr).splitlines()
                assert done.returncode == command.status, (
                    f"{where}: `{command.text}` exited {done.returncode}, expected "
                    f"{command.status}\n{done.stdout}{done.stderr}")
                if command.expected:
                    assert _matches(command.expected, output), (
                        f"{where}: `{command.text}` printed\n" + "\n".join(output)
                        + "\n--- expected ---\n" + "\n".join(command.expected))
    finally:
        os.chdir(previous)


_WITH_EXAMPLES = [document for document in DOCUMENTS if _blocks(document)]


@pytest.mark.slow
@pytest.mark.parametrize("document", _WITH_EXAMPLES,
                         ids=[str(document.relative_to(REPO)) for document in _WITH_EXAMPLES])
def test_examples_run_as_shown(document: Path, tmp_path: Path) -> None:
    _run_document(document, tmp_path)


def test_ellipsis_matching_is_strict_elsewhere() -> None:
    assert _matches(("a", "...", "c"), ["a", "b", "b", "c"])
    assert _matches(("...",), [])
    assert not _matches(("a", "c"), ["a", "b", "c"])
    assert not _matches(("a",), ["a", "b"])


def test_commands_parse_continuations_and_exit_status() -> None:
    block = Block(REPO / "x.md", 1, "console",
                  "$ mtorlogic run \\\n  --json\nout\n[exit 2]\n$ true")
    first, second = _commands(block)
    assert first == Command("mtorlogic run --json", ("out",), 2)
    assert second == Command("true", (), 0)
