#!/usr/bin/env python3
"""Before/after benchmark of mtorlogic itself: two source trees, run side by side.

For a refactoring that must not change answers or slow anything down. Each case runs under
both trees one right after the other (alternating which goes first), ``--rounds`` times, so
both see the same machine state; wall-clock and CPU seconds (user + sys of the process) are
recorded, and the outputs of the two trees must be identical.

Cases: ``mtorlogic attractors FILE --json`` on every ``.bnet`` of the shared benchmark's
``models/`` and ``hard/``; the full pair screen of ``bench/screen.py`` (``01_fed``, both default
targets, default jobs and ``--jobs 1``); the scenario suite (``mtorlogic check --json``).

    python bench/before_after.py --before /path/to/old/checkout --after . --out bench/results/X
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_BENCH = os.path.normpath(os.path.join(REPO, "..", "shared", "bench"))
TARGETS = ["!mTORC1 & !AKT_S473", "AKT_S473"]
MTORLOGIC = [sys.executable, "-c", "import sys; from mtorlogic.cli import main; sys.exit(main())"]


def run(tree: str, arguments: list[str], timeout: float) -> dict:
    """One process: status, wall and CPU seconds, and its stdout with the tree's own path
    replaced (so that outputs of two trees compare equal)."""
    env = dict(os.environ, PYTHONPATH=os.path.join(tree, "src"))
    start = time.perf_counter()
    process = subprocess.Popen(MTORLOGIC + arguments, cwd=tree, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return {"status": "timeout", "wall": timeout, "cpu": None, "out": None}
    wall = time.perf_counter() - start
    status = "ok" if process.returncode == 0 else f"exit {process.returncode}"
    return {"status": status, "wall": wall, "cpu": None, "out": out.replace(tree, "TREE"),
            "err": err[-300:]}


def run_timed(tree: str, arguments: list[str], timeout: float) -> dict:
    """:func:`run` with the child's CPU time (from the resource usage of finished children)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = run(tree, arguments, timeout)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result["status"] != "timeout":
        result["cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result


def normalise(case: str, out: str | None) -> object:
    """What must be equal between the trees."""
    if out is None:
        return None
    data = json.loads(out)
    if case.startswith("attractors"):
        return sorted(json.dumps(a, sort_keys=True) for a in data["attractors"])
    return json.loads(re.sub(r'"(?:/[^"]*/)?scenarios/', '"scenarios/', json.dumps(data)))


def cases(bench: str) -> list[tuple[str, list[str], float]]:
    found = []
    for folder in ("models", "hard"):
        path = os.path.join(bench, folder)
        for name in sorted(os.listdir(path)):
            if name.endswith(".bnet"):
                found.append((f"attractors {folder}/{name[:-5]}",
                              ["attractors", os.path.join(path, name), "--json"], 30.0))
    for target in TARGETS:
        for jobs in ([], ["--jobs", "1"]):
            label = f"screen {target!r}" + (" --jobs 1" if jobs else "")
            found.append((label, ["screen", "01_fed", "-t", target, "--json", *jobs], 300.0))
    found.append(("check (scenario suite)", ["check", "--json"], 300.0))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", required=True, help="source tree before the change")
    parser.add_argument("--after", default=REPO, help="source tree after the change")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--bench-dir", default=os.environ.get("MTORLOGIC_BENCH_DIR", DEFAULT_BENCH))
    parser.add_argument("--only", help="substring of the case names to run")
    parser.add_argument("--out", default=os.path.join(HERE, "results", "before_after"))
    args = parser.parse_args()
    trees = {"before": os.path.abspath(args.before), "after": os.path.abspath(args.after)}
    rows = []
    started = datetime.datetime.now().isoformat(timespec="seconds")
    load_start = " ".join(f"{x:.2f}" for x in os.getloadavg())
    for label, arguments, timeout in cases(args.bench_dir):
        if args.only and args.only not in label:
            continue
        row: dict = {"case": label, "before": [], "after": [], "same": True}
        for number in range(args.rounds):
            order = ("before", "after") if number % 2 == 0 else ("after", "before")
            if number and all(r["status"] == "timeout" for side in order for r in row[side]):
                break  # both timed out: another round says nothing new
            outputs = {}
            for side in order:
                result = run_timed(trees[side], arguments, timeout)
                outputs[side] = normalise(label, result.pop("out")) if result["status"] == "ok" \
                    else result["status"]
                row[side].append(result)
            if outputs["before"] != outputs["after"] and "timeout" not in outputs.values():
                row["same"] = False
        rows.append(row)
        shown = "  ".join(f"{side} " + "/".join(f"{r['wall']:.2f}" for r in row[side])
                          for side in ("before", "after"))
        print(f"{label[:60]:60} {shown}{'' if row['same'] else '  DIFFERENT'}",
              file=sys.stderr, flush=True)
    record = {"started": started, "machine": f"{platform.node()} {platform.machine()}",
              "cores": os.cpu_count(), "load_at_start": load_start,
              "load_at_end": " ".join(f"{x:.2f}" for x in os.getloadavg()),
              "trees": trees, "rounds": args.rounds, "rows": rows}
    with open(args.out + ".json", "w") as handle:
        json.dump(record, handle, indent=1)
    write_table(args.out + ".md", record)
    print(f"wrote {args.out}.md and {args.out}.json", file=sys.stderr)
    return 0 if all(row["same"] for row in rows) else 1


def _range(results: list[dict], key: str) -> str:
    values = [r[key] for r in results if r.get(key) is not None and r["status"] == "ok"]
    if not values:
        return results[0]["status"] if results else "—"
    low, high = min(values), max(values)
    return f"{low:.2f}" if f"{low:.2f}" == f"{high:.2f}" else f"{low:.2f}–{high:.2f}"


def _pair(entry: list[float] | None) -> str:
    return "—" if entry is None else f"{entry[0]:.1f} / {entry[1]:.1f}"


def write_table(path: str, record: dict) -> None:
    lines = ["# mtorlogic before/after, side by side", "",
             f"{record['started']}, {record['machine']} ({record['cores']} cores), load "
             f"{record['load_at_start']} at start, {record['load_at_end']} at end; "
             f"{record['rounds']} rounds, the two trees alternating. Ranges over rounds; wall "
             "= whole process, CPU = user + sys.", "",
             "| case | before wall s | after wall s | before CPU s | after CPU s | same answer |",
             "|---|---:|---:|---:|---:|---|"]
    totals: dict[str, dict[str, list[float]]] = {}
    for row in record["rows"]:
        lines.append(f"| {row['case']} | {_range(row['before'], 'wall')} | "
                     f"{_range(row['after'], 'wall')} | {_range(row['before'], 'cpu')} | "
                     f"{_range(row['after'], 'cpu')} | {'yes' if row['same'] else 'NO'} |")
        group = row["case"].split()[0] + (" " + row["case"].split()[1].split("/")[0]
                                          if row["case"].startswith("attractors") else "")
        for side in ("before", "after"):
            for number, result in enumerate(row[side]):
                if result["status"] == "ok":
                    entry = totals.setdefault(group, {}).setdefault(f"{side}{number}", [0.0, 0.0])
                    entry[0] += result["wall"]
                    entry[1] += result["cpu"] or 0.0
    lines += ["", "Totals per round (instances solved by the tree in that round):", "",
              "| group | round | before wall / CPU s | after wall / CPU s |", "|---|---:|---:|---:|"]
    for group, entries in totals.items():
        for number in range(record["rounds"]):
            b, a = entries.get(f"before{number}"), entries.get(f"after{number}")
            if b is None and a is None:
                continue
            lines.append(f"| {group} | {number + 1} | {_pair(b)} | {_pair(a)} |")
    lines.append("")
    with open(path, "w") as handle:
        handle.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
