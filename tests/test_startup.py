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


@pytest.mark.slow
def test_help_loads_no_command_modules_but_lists_them_all() -> None:
    out, modules = imported("--help")
    for command in ("attractors", "check", "run", "screen", "serve", "simulate"):
        assert f"  {command} " in out
    assert not modules & set(HEAVY)
