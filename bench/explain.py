#!/usr/bin/env python3
"""How long explanations take: every bundled scenario x the 16 key readouts.

No other tool explains a Boolean prediction this way (pystablemotifs and biobalm list stable
motifs and driver nodes, PyBoolNet model-checks through NuSMV), so the reference each time
is mtorlogic's own attractor search for the same scenarios, reported as a ratio: what an
explanation costs on top of the prediction it explains.

Measured, one after the other in fresh processes (the machines have 2 noisy cores):

1. suite, in one Python process (``--repeat`` times, median): load every bundled scenario,
   compute the attractors they reach (``run_scenario``: the prediction), then explain every
   (scenario, readout) pair present in the scenario's model (``explain`` with a shared
   ``ExplainCache``, so attractors are not recomputed). Wall and CPU (process time) seconds
   of each phase; the slowest single explanation.
2. command line, whole processes from spawn to exit: ``mtorlogic run SCENARIO`` against
   ``mtorlogic explain SCENARIO NODE`` (start-up and imports included), for a few
   scenarios.

usage: nice -n 10 python bench/explain.py [--repeat 3]
Writes bench/results/explain.{md,json}.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
READOUTS = ("mTORC1", "mTORC1_kinase", "S6K1", "EIF4EBP1", "AKT_T308", "AKT_S473", "mTORC2",
            "TSC", "RHEB", "RAG", "AMPK", "ULK1", "Autophagy", "TFEB", "FOXO", "Translation")
COMMANDS = (("01_fed", "AKT_S473"), ("08_rapamycin_acute", "S6K1"),
            ("13_tsc_loss_no_insulin", "mTORC1"), ("46_rapamycin_washout", "S6K1"))

SUITE = r"""
import json, sys, time
from mtorlogic.analysis.explain import ExplainCache, explain
from mtorlogic.readouts import run_scenario
from mtorlogic.scenarios import bundled_scenarios, load_scenarios

readouts = json.loads(sys.argv[1])
clock = lambda: (time.perf_counter(), time.process_time())
start = clock()
scenarios = load_scenarios(bundled_scenarios())
loaded = clock()
cache = ExplainCache()
for scenario in scenarios:
    run_scenario(scenario, cache.attractors)
predicted = clock()
slowest, count, mechanisms = (0.0, ""), 0, {}
for scenario in scenarios:
    for node in readouts:
        if node not in scenario.model:
            continue
        before = time.perf_counter()
        e = explain(scenario, node, cache=cache)
        took = time.perf_counter() - before
        slowest = max(slowest, (took, f"{scenario.label} {node}"))
        count += 1
        for case in e.cases:
            mechanisms[case.mechanism] = mechanisms.get(case.mechanism, 0) + 1
done = clock()
print(json.dumps({"scenarios": len(scenarios), "explanations": count,
                  "load": [loaded[0] - start[0], loaded[1] - start[1]],
                  "attractors": [predicted[0] - loaded[0], predicted[1] - loaded[1]],
                  "explain": [done[0] - predicted[0], done[1] - predicted[1]],
                  "slowest": list(slowest), "mechanisms": mechanisms}))
"""


def environment() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.join(REPO, "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env


def whole_process(cmd: list[str]) -> dict:
    """Wall and CPU (user+sys of the child) seconds of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, env=environment(),
                          timeout=600)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr[-500:]}")
    return {"wall": wall, "cpu": cpu, "stdout": proc.stdout}


def median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", default=os.path.join(HERE, "results", "explain"))
    args = parser.parse_args()
    mtorlogic = [sys.executable, "-c", "from mtorlogic.cli import main; main()"]

    suites = []
    for run in range(args.repeat):
        print(f"suite run {run + 1}/{args.repeat}", file=sys.stderr)
        result = whole_process([sys.executable, "-c", SUITE, json.dumps(READOUTS)])
        suites.append(json.loads(result["stdout"]))
    commands = []
    for scenario, node in COMMANDS:
        print(f"commands: {scenario} {node}", file=sys.stderr)
        runs = [whole_process(mtorlogic + ["run", scenario]) for _ in range(args.repeat)]
        explains = [whole_process(mtorlogic + ["explain", scenario, node])
                    for _ in range(args.repeat)]
        commands.append({"scenario": scenario, "node": node,
                         "run": {k: median([r[k] for r in runs]) for k in ("wall", "cpu")},
                         "explain": {k: median([r[k] for r in explains])
                                     for k in ("wall", "cpu")}})
    phase = {key: [median([s[key][i] for s in suites]) for i in (0, 1)]
             for key in ("load", "attractors", "explain")}
    report = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
              "machine": f"{platform.machine()}, {os.cpu_count()} cores, load "
                         f"{os.getloadavg()[0]:.1f}", "python": platform.python_version(),
              "repeat": args.repeat, "suite": phase, "suite_runs": suites,
              "commands": commands}
    with open(args.out + ".json", "w") as handle:
        json.dump(report, handle, indent=1)
    with open(args.out + ".md", "w") as handle:
        handle.write(markdown(report))
    print(markdown(report))


def markdown(report: dict) -> str:
    first = report["suite_runs"][0]
    count, scenarios = first["explanations"], first["scenarios"]
    attractors, explain = report["suite"]["attractors"], report["suite"]["explain"]
    slowest = max(s["slowest"][0] for s in report["suite_runs"])
    which = max(report["suite_runs"], key=lambda s: s["slowest"][0])["slowest"][1]
    lines = [
        "# Explanations: speed",
        "",
        f"`python bench/explain.py --repeat {report['repeat']}` on {report['date']} "
        f"({report['machine']}, Python {report['python']}); medians of {report['repeat']} "
        "runs, each a fresh process. Reference: mtorlogic's own attractor search for the "
        "same scenarios (no peer tool explains predictions).",
        "",
        f"## Every bundled scenario x the 16 key readouts ({count} explanations, "
        f"{scenarios} scenarios)",
        "",
        "| phase | wall s | CPU s | per item, wall ms |",
        "|---|---:|---:|---:|",
        f"| load scenarios | {report['suite']['load'][0]:.2f} | "
        f"{report['suite']['load'][1]:.2f} | |",
        f"| attractors reached (the prediction) | {attractors[0]:.2f} | {attractors[1]:.2f} | "
        f"{1000 * attractors[0] / scenarios:.1f} per scenario |",
        f"| explain every readout | {explain[0]:.2f} | {explain[1]:.2f} | "
        f"{1000 * explain[0] / count:.1f} per explanation |",
        "",
        f"Explaining all {count} costs {explain[1] / attractors[1]:.1f}x the CPU time of "
        f"predicting them. Slowest single explanation: {1000 * slowest:.0f} ms ({which}). "
        "Cases by mechanism: " + ", ".join(f"{k} {v}" for k, v in
                                          sorted(first["mechanisms"].items())) + ".",
        "",
        "## One command, whole process (start-up and imports included)",
        "",
        "| scenario | node | `run` wall s | `explain` wall s | ratio | `run` CPU s | "
        "`explain` CPU s |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for c in report["commands"]:
        lines.append(f"| {c['scenario']} | {c['node']} | {c['run']['wall']:.2f} | "
                     f"{c['explain']['wall']:.2f} | "
                     f"{c['explain']['wall'] / c['run']['wall']:.2f} | "
                     f"{c['run']['cpu']:.2f} | {c['explain']['cpu']:.2f} |")
    lines += ["", "Goal (issue 12): every bundled scenario x 16 readouts explained in a few "
              "seconds in all."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
