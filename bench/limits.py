#!/usr/bin/env python3
"""How closely every command honours ``--max-seconds`` and Ctrl-C on a hard model (issue 16).

The model is tests/data/bench/hard's copy of bbm004 (ErbB receptor signalling, inputs off), whose
core networks keep aeon's attractor search busy for minutes. For each command, in one run
on one machine, one after the other:

  budget   the whole process's wall time with ``--max-seconds B``, against ``B`` plus the
           same command's start-up (its wall time on a one-node model); the overshoot
           is (wall - start-up - B) / B
  sigint   seconds from SIGINT (sent ``--after`` seconds into the search) to the exit

simulate searches attractors only for an earlier phase (``--after``), timed here.
A run killed at ``--kill`` seconds is reported with exit status None.

usage: nice -n 10 python bench/limits.py [--seconds B] [--after S] [--only COMMAND ...]
Writes bench/results/limits.md and bench/results/limits.json.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HARD = REPO / "tests" / "data" / "bench" / "hard" / "bbm004_erbb_receptor_signaling__in0.bnet"
CLI = "import sys; from mtorlogic.cli import main; sys.exit(main())"


def commands(folder: Path, hard: bool) -> dict[str, list[str]]:
    """Each command on the hard model (``hard``) or on a one-node model (start-up)."""
    model = folder / "one.bnet"
    model.write_text("targets, factors\nA, A\n")
    scenario = folder / ("hard.toml" if hard else "one.toml")
    scenario.write_text(f'name = "probe"\nmodel = "{HARD if hard else model}"\n')
    target = "AA" if hard else "A"
    node = "PLA2" if hard else "A"
    return {
        "attractors": ["attractors", str(HARD if hard else model)],
        "run": ["run", str(scenario)],
        "check": ["check", str(scenario)],
        "screen --jobs 1": ["screen", str(scenario), "-t", target, "--nodes", f"{node}=0",
                            "-k", "1", "--json", "--jobs", "1"],
        "screen --jobs 2": ["screen", str(scenario), "-t", target, "--nodes",
                            f"{node}=0,{node}=1", "-k", "1", "--json", "--jobs", "2"],
        "explain": ["explain", str(scenario), target],
        "simulate --after": ["simulate", str(scenario), "--after", str(scenario)],
    }


def _default_sigint() -> None:
    """In the child before Python starts: Ctrl-C's default action back, as in a terminal
    (a background job of a shell inherits SIGINT ignored, and Python then keeps ignoring
    it)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGINT])


def run(arguments: list[str], cwd: Path, kill: float, interrupt: float | None = None
        ) -> tuple[float, int | None, str, float | None]:
    """Wall time, exit status (None: killed), last stderr line, seconds SIGINT took."""
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    began = time.monotonic()
    process = subprocess.Popen([sys.executable, "-c", CLI, *arguments], cwd=cwd, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True, preexec_fn=_default_sigint)
    reaction = None
    try:
        if interrupt is not None:
            try:
                process.wait(timeout=interrupt)
            except subprocess.TimeoutExpired:
                sent = time.monotonic()
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(timeout=kill)
                    reaction = time.monotonic() - sent
                except subprocess.TimeoutExpired:
                    pass
        _, stderr = process.communicate(timeout=kill)
        status: int | None = process.returncode
    except subprocess.TimeoutExpired:
        stderr, status = "", None
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.communicate()
    lines = stderr.strip().splitlines()
    return time.monotonic() - began, status, lines[-1][:100] if lines else "", reaction


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--after", type=float, default=4.0)
    parser.add_argument("--kill", type=float, default=120.0)
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--out", default=str(REPO / "bench" / "results" / "limits"))
    options = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        small, hard = commands(folder, False), commands(folder, True)
        for name, arguments in hard.items():
            if options.only and not any(o in name for o in options.only):
                continue
            bounded = True
            budget = ["--max-seconds", str(options.seconds)] if bounded else []
            startup, *_ = run(small[name] + budget, folder, options.kill)
            wall, status, last, _ = run(arguments + budget, folder, options.kill)
            _, _, _, reaction = run(arguments + budget, folder, options.kill, options.after)
            over = (wall - startup - options.seconds) / options.seconds if bounded else None
            row = {"command": name, "budget": options.seconds if bounded else None,
                   "startup": round(startup, 2), "wall": round(wall, 2),
                   "overshoot": None if over is None else round(over, 3),
                   "status": status, "sigint": None if reaction is None else round(reaction, 2),
                   "stderr": last, "load": os.getloadavg()[0]}
            rows.append(row)
            print(json.dumps(row), file=sys.stderr)
            Path(options.out + ".json").write_text(json.dumps(rows, indent=1) + "\n")
    table = ["| command | budget s | start-up s | wall s | overshoot | exit | SIGINT s | load |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        over = "-" if r["overshoot"] is None else f"{r['overshoot']:+.0%}"
        table.append(f"| {r['command']} | {r['budget'] or '-'} | {r['startup']} | {r['wall']} "
                     f"| {over} | {r['status']} | {r['sigint']} | {r['load']:.1f} |")
    Path(options.out + ".md").write_text("\n".join(table) + "\n")
    print("\n".join(table))


if __name__ == "__main__":
    main()
