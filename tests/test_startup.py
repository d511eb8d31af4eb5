"""Start-up: a small model is solved without importing what only large ones need.

Each check runs in a fresh interpreter, since this test process has imported everything
already. What is measured (whole-process time against biodivine-aeon) is in
bench/startup.py; here only which modules get imported, which is what decides it.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data" / "bench"
HEAVY = ("numpy", "scipy", "clingo", "networkx", "matplotlib", "pandas")
WRITING = ("pathlib", "secrets", "shutil")
"""Standard modules only writing a model (or a terminal status line) needs: a run that reads
a model and prints JSON has no use for them, and together they cost about 10 ms."""

PROBE = """
import json, sys
from mtorlogic.cli import main
sys.argv = ["mtorlogic", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if "." not in m)), file=sys.stderr)
"""


def imported(*args: str) -> tuple[str, set[str]]:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[1] / "src"))
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], capture_output=True,
                          text=True, env=env, timeout=120)
    return done.stdout, set(json.loads(done.stderr.strip().splitlines()[-1]))


@pytest.mark.slow
@pytest.mark.parametrize("path", [DATA / "random" / "rand_n9_s2002.bnet",
                                  DATA / "models" / "bbm063_lac_operon__in1.bnet"])
def test_small_model_json_imports_nothing_heavy(path: Path) -> None:
    out, modules = imported("attractors", str(path), "--json")
    reference = json.loads(path.with_suffix(".ref.json").read_text())["asynchronous"]
    assert len(json.loads(out)["attractors"]) == len(reference)
    assert not modules & set(HEAVY), modules & set(HEAVY)
    assert not modules & set(WRITING), modules & set(WRITING)


@pytest.mark.slow
def test_help_loads_no_command_modules_but_lists_them_all() -> None:
    out, modules = imported("--help")
    for command in ("attractors", "check", "run", "screen", "serve", "simulate"):
        assert f"  {command} " in out
    assert not modules & set(HEAVY)


@pytest.mark.parametrize("name", ["m.bnet", "dir/m.BNET", "a/b.primes.json", ".primes.json",
                                  "x.", ".bnet", "a/./m.rules/", "/", "", "..", "m.tar.sbml",
                                  "dir.d/m", "./m.xml"])
def test_model_suffix_without_pathlib_agrees_with_pathlib(name: str) -> None:
    from mtorlogic.formats import _file_name, model_suffix

    assert _file_name(name) == Path(name).name
    lower = Path(name).name.lower()
    expected = ".primes.json" if lower.endswith(".primes.json") and lower != ".primes.json" \
        else Path(lower).suffix
    assert model_suffix(name) == expected
