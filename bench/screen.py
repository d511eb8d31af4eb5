#!/usr/bin/env python3
"""Screen benchmark: every single and pair perturbation of the bundled model against the fed
scenario, mtorlogic vs. the same screen done one perturbation at a time with peer tools,
side by side in one run on one machine.

The screen: knockout (NODE=0) and activation (NODE=1) of each non-input node plus each drug
set to 1 (the default of ``mtorlogic screen``), all singles and all pairs, the base alone
included; each judged for a target (always / sometimes / never in the attractors reached).

- mtorlogic: ``mtorlogic screen SCENARIO -t TARGET --json`` as a subprocess (start-up
  included), parallel by default (one worker per core), and once more with ``--jobs 1``.
- biodivine-aeon, one perturbation at a time: build the perturbed network (every clamp a
  constant function), ``Attractors.attractors`` on its asynchronous graph, and judge the
  target on each attractor set symbolically (exact). Each perturbation runs in a
  subprocess with a timeout; its own clock measures the work only (not start-up), which
  favours aeon. On a seeded random sample; throughput is extrapolated to the full screen.
- PyBoolNet, likewise on a smaller sample: ``compute_attractors(primes, "asynchronous")``
  (minimal trap spaces + NuSMV), then for each attractor the CTL queries ``AG(target)`` and
  ``AG(!target)`` from its state decide always / never / sometimes. Exact only when its
  completeness and univocality checks pass (reported).

Verdicts of the peers are compared with mtorlogic's for every sampled perturbation.
Writes bench/results/screen.md and screen.json; progress goes to stderr.

usage: python bench/screen.py [--scenario 01_fed] [--target EXPR ...] [--aeon-sample N]
       [--pyboolnet-sample N] [--timeout S] [--seed N] [--no-serial] [--out PREFIX]
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_TARGETS = ["!mTORC1 & !AKT_S473", "AKT_S473"]


def log(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- the screen


def load(scenario_name: str):
    from mtorlogic.analysis.plan import plan
    from mtorlogic.scenarios import load_scenario, resolve_scenario_argument

    scenario = load_scenario(resolve_scenario_argument(scenario_name))
    return scenario, plan([scenario.model])


def perturbed_model(scenario, items):
    return scenario.model.clamp({**scenario.clamps, **dict(items)})


def run_mtorlogic(scenario_name: str, target: str, jobs: int | None) -> dict:
    command = [sys.executable, "-c", "import sys; from mtorlogic.cli import main; sys.exit(main())",
               "screen", scenario_name, "-t", target, "--json", "-q"]
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    start = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.monotonic() - start
    if done.returncode != 0:
        raise SystemExit(f"mtorlogic screen failed: {done.stderr.strip()[-800:]}")
    data = json.loads(done.stdout)
    verdicts = {json.dumps(sorted(r["perturbation"].items())): r["verdict"]
                for r in data["results"]}
    return {"seconds": seconds, "count": len(data["results"]), "counts": data["counts"],
            "minimal": len(data["minimal"]), "synergistic": len(data["synergistic"]),
            "verdicts": verdicts}


# ----------------------------------------------------------------------------- peers


def peer_aeon(scenario_name: str, items, targets: list[str]) -> dict:
    """One perturbation with biodivine-aeon (exact symbolic attractors)."""
    scenario, _ = load(scenario_name)
    model = perturbed_model(scenario, items)
    from mtorlogic.expressions import parse, to_text

    start = time.monotonic()
    import biodivine_aeon as ba

    index = model.index

    def text(expression) -> str:
        return to_text(expression, rename=lambda n: f"v{index[n]}", constants=("false", "true"))

    from mtorlogic.expressions import variables

    regulations = [f"v{index[r]} -?? v{index[node.name]}" for node in model.nodes
                   for r in sorted(variables(node.function))]
    network = ba.BooleanNetwork([f"v{i}" for i in range(len(model))], regulations, [],
                                [text(node.function) for node in model.nodes])
    graph = ba.AsynchronousGraph(network)
    context = graph.symbolic_context().bdd_variable_set()
    sets = [a.to_bdd() for a in ba.Attractors.attractors(graph)]
    verdicts = {}
    for target in targets:
        bdd = context.eval_expression(text(parse(target)))
        judged = {"never" if s.l_and(bdd).is_false() else
                  "always" if s.l_and_not(bdd).is_false() else "sometimes" for s in sets}
        verdicts[target] = judged.pop() if len(judged) == 1 else "sometimes"
    return {"seconds": time.monotonic() - start, "verdicts": verdicts, "attractors": len(sets)}


def _nusmv_environment() -> None:
    import importlib.util

    root = os.path.dirname(importlib.util.find_spec("pyboolnet").origin)
    folder = os.path.join(root, "binaries", "linux64", "NuSMV-a")  # see bench/peers/pyboolnet.py
    old = os.environ.get("LD_LIBRARY_PATH")
    os.environ["LD_LIBRARY_PATH"] = folder + (os.pathsep + old if old else "")


def peer_pyboolnet(scenario_name: str, items, targets: list[str]) -> dict:
    """One perturbation with PyBoolNet: attractors (trap spaces + NuSMV), then CTL."""
    scenario, _ = load(scenario_name)
    model = perturbed_model(scenario, items)
    from mtorlogic.expressions import parse, to_text

    _nusmv_environment()
    import logging

    logging.disable(logging.INFO)
    start = time.monotonic()
    from pyboolnet.attractors import compute_attractors
    from pyboolnet.file_exchange import bnet2primes
    from pyboolnet.model_checking import model_checking

    # prefix every name: NuSMV wants names of two or more characters, none reserved
    rename = {name: f"n_{name}" for name in model.names}
    lines = [f"{rename[node.name]}, {to_text(node.function, rename=rename.get)}"
             for node in model.nodes]
    primes = bnet2primes("\n".join(lines))
    result = compute_attractors(primes, "asynchronous")
    exact = result["is_complete"] == "yes" and all(
        a["min_trap_space"]["is_univocal"] == "yes" for a in result["attractors"])
    verdicts = {}
    for target in targets:
        condition = to_text(parse(target), rename=rename.get)
        judged = set()
        for attractor in result["attractors"]:
            state = attractor["state"]["dict"]
            init = "INIT " + " & ".join(v if state[v] else f"!{v}" for v in sorted(state))
            if model_checking(primes, "asynchronous", init, f"CTLSPEC AG({condition})"):
                judged.add("always")
            elif model_checking(primes, "asynchronous", init, f"CTLSPEC AG(!({condition}))"):
                judged.add("never")
            else:
                judged.add("sometimes")
        verdicts[target] = judged.pop() if len(judged) == 1 else "sometimes"
    return {"seconds": time.monotonic() - start, "verdicts": verdicts,
            "attractors": len(result["attractors"]), "exact": exact}


def run_peer(tool: str, scenario_name: str, items, targets: list[str], timeout: float) -> dict:
    """A peer on one perturbation in its own process, killed after ``timeout`` seconds."""
    command = [sys.executable, os.path.abspath(__file__), "--peer", tool, "--scenario",
               scenario_name, "--items", json.dumps(list(items))]
    for target in targets:
        command += ["--target", target]
    start = time.monotonic()
    # its own process group, so that a timeout also stops the tools it runs (NuSMV)
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return {"timeout": True, "seconds": timeout, "wall": time.monotonic() - start}
    except BaseException:  # the harness itself is stopped (Ctrl-C, SIGTERM): no orphans
        os.killpg(process.pid, signal.SIGKILL)
        raise
    if process.returncode != 0 or not stdout.strip():
        return {"error": stderr.strip()[-600:], "seconds": None,
                "wall": time.monotonic() - start}
    out = json.loads(stdout.strip().splitlines()[-1])
    out["wall"] = time.monotonic() - start
    return out


# ----------------------------------------------------------------------------- report


def git_commit() -> str:
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                                capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src"], cwd=REPO,
                               capture_output=True, text=True).stdout.strip()
        return commit + ("+dirty src" if dirty else "")
    except OSError:
        return "unknown"


def label(items) -> str:
    return " + ".join(f"{n}={v}" for n, v in items) or "(base alone)"


def peer_summary(rows: list[dict], total: int) -> dict:
    done = [r for r in rows if r.get("seconds") is not None and not r.get("timeout")]
    timed_out = [r for r in rows if r.get("timeout")]
    spent = sum(r["seconds"] for r in rows if r.get("seconds") is not None)
    counted = len(done) + len(timed_out)
    per = spent / counted if counted else None
    return {"sampled": len(rows), "finished": len(done), "timeouts": len(timed_out),
            "errors": sum(1 for r in rows if "error" in r), "seconds": spent,
            "seconds_per_perturbation": per,
            "throughput": (1 / per) if per else None,
            "full_screen_estimate_seconds": per * total if per else None,
            "lower_bound": bool(timed_out)}


def write_report(out: str, record: dict) -> None:
    with open(out + ".json", "w") as handle:
        json.dump(record, handle, indent=1)
    total = record["perturbations"]
    lines = [
        "# Screen benchmark: every single and pair perturbation vs. the fed scenario",
        "",
        f"Run {record['started']} on {record['machine']} ({record['cores']} cores, load "
        f"{record['load_at_start']} at start, {record['load_at_end']} at end); mtorlogic at "
        f"commit {record['commit']}. Command: `{record['command']}`.",
        "",
        f"Screen: scenario `{record['scenario']}`, knockout and activation of each of the "
        f"{record['non_input_nodes']} non-input nodes plus {record['drugs']} drugs set to 1: "
        f"{total} perturbations (the base alone, {record['singles']} singles, "
        f"{record['pairs']} pairs), each judged in every asynchronous attractor reached.",
        "",
        "mtorlogic: wall clock of the whole `mtorlogic screen ... --json` process (start-up, "
        "enumeration, reports and JSON included). Peers: one perturbation at a time, each in "
        "its own process; the time counted is the peer's own work (network construction, "
        "attractors, judging the target), not interpreter start-up; full-screen times are "
        "extrapolated from the sample (a timeout counts as the timeout, so such estimates "
        "are lower bounds, marked ≥). The peers compute the attractors once per perturbation "
        "and judge every target on them, so their time is shown once per target.",
        "",
        "| target | tool | perturbations timed | seconds | perturbations / s | full screen (s) | "
        "mtorlogic's throughput ÷ this | verdicts agree |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for target, entry in record["targets"].items():
        parallel = entry["mtorlogic"]
        rate = parallel["count"] / parallel["seconds"]
        lines.append(f"| `{target}` | mtorlogic (parallel, {record['cores']} workers) | "
                     f"{parallel['count']} | {parallel['seconds']:.1f} | {rate:.0f} | "
                     f"{parallel['seconds']:.1f} | 1 | — |")
        if "mtorlogic_serial" in entry:
            serial = entry["mtorlogic_serial"]
            lines.append(f"| | mtorlogic (`--jobs 1`) | {serial['count']} | "
                         f"{serial['seconds']:.1f} | {serial['count'] / serial['seconds']:.0f} | "
                         f"{serial['seconds']:.1f} | {rate / (serial['count'] / serial['seconds']):.1f} | "
                         f"{'identical' if serial['identical'] else 'DIFFERENT'} |")
        for tool in ("aeon", "pyboolnet"):
            peer = record["peers"].get(tool)
            if not peer:
                continue
            summary = peer["summary"]
            if summary["throughput"] is None:
                lines.append(f"| | {tool} | 0 of {summary['sampled']} | — | — | — | — | "
                             f"{summary['errors']} errors |")
                continue
            bound = "≥" if summary["lower_bound"] else ""
            timeouts = f" ({summary['timeouts']} timed out)" if summary["timeouts"] else ""
            agree = entry["agreement"][tool]
            lines.append(
                f"| | {tool} (one at a time) | {summary['finished']} of {summary['sampled']}"
                f"{timeouts} | "
                f"{summary['seconds']:.1f} | {'≤' if summary['lower_bound'] else ''}"
                f"{summary['throughput']:.3g} | "
                f"{bound}{summary['full_screen_estimate_seconds']:.0f} | "
                f"{bound}{rate / summary['throughput']:.0f} | "
                + (f"{agree['same']} of {agree['compared']}"
                   f"{' ✗' if agree['same'] != agree['compared'] else ''} |"
                   if agree["compared"] else "— (none finished) |"))
    lines += ["", "mtorlogic's counts: " + "; ".join(
        f"`{t}`: " + ", ".join(f"{k} {v}" for k, v in e["mtorlogic"]["counts"].items())
        + f", {e['mtorlogic']['minimal']} minimal sets, {e['mtorlogic']['synergistic']} "
          "synergistic pairs" for t, e in record["targets"].items()) + "."]
    for tool in ("aeon", "pyboolnet"):
        peer = record["peers"].get(tool)
        if not peer:
            continue
        lines += ["", f"## {tool}: the sampled perturbations", "",
                  "| perturbation | seconds | attractors | " + " | ".join(
                      f"`{t}` (mtorlogic)" for t in record["targets"]) + " |",
                  "|---|---:|---:|" + "---|" * len(record["targets"])]
        for row in peer["rows"]:
            if row.get("timeout"):
                cells = ["timeout"] * len(record["targets"])
                seconds = f">{row['seconds']:.0f}"
            elif "error" in row:
                cells = ["error"] * len(record["targets"])
                seconds = "—"
            else:
                cells = [f"{row['verdicts'][t]} ({row['mtorlogic'][t]})"
                         + ("" if row["verdicts"][t] == row["mtorlogic"][t] else " ✗")
                         for t in record["targets"]]
                seconds = f"{row['seconds']:.2f}"
                if tool == "pyboolnet" and not row.get("exact", True):
                    seconds += " (inexact)"
            lines.append(f"| {label(row['items'])} | {seconds} | {row.get('attractors', '—')} | "
                         + " | ".join(cells) + " |")
    with open(out + ".md", "w") as handle:
        handle.write("\n".join(lines) + "\n")


# ----------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default="01_fed")
    parser.add_argument("--target", action="append", dest="targets")
    parser.add_argument("--aeon-sample", type=int, default=30)
    parser.add_argument("--pyboolnet-sample", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=300.0,
                        help="per perturbation, for the peers")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-serial", action="store_true", help="skip the --jobs 1 run")
    parser.add_argument("--out", default=os.path.join(HERE, "results", "screen"))
    parser.add_argument("--peer", choices=["aeon", "pyboolnet"], help=argparse.SUPPRESS)
    parser.add_argument("--items", help=argparse.SUPPRESS)
    args = parser.parse_args()
    targets = args.targets or DEFAULT_TARGETS
    if args.peer:  # a worker: one perturbation, one JSON line
        items = [tuple(item) for item in json.loads(args.items)]
        work = peer_aeon if args.peer == "aeon" else peer_pyboolnet
        print(json.dumps(work(args.scenario, items, targets)))
        return

    scenario, chosen = load(args.scenario)
    perturbations = chosen.perturbations
    record = {
        "started": datetime.datetime.now().isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {platform.machine()}", "cores": os.cpu_count(),
        "load_at_start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "commit": git_commit(), "command": "python bench/screen.py " + " ".join(sys.argv[1:]),
        "scenario": os.path.relpath(scenario.path, REPO), "perturbations": len(perturbations),
        "singles": sum(1 for p in perturbations if len(p) == 1),
        "pairs": sum(1 for p in perturbations if len(p) == 2),
        "non_input_nodes": sum(1 for n in scenario.model.names if n not in scenario.model.inputs),
        "drugs": sum(1 for name, _ in chosen.items if name in scenario.model.inputs),
        "targets": {}, "peers": {},
    }
    verdicts: dict[str, dict[str, str]] = {}  # mtorlogic's, by target and perturbation
    for target in targets:
        log(f"mtorlogic screen, target {target!r} ...")
        entry = {"mtorlogic": run_mtorlogic(args.scenario, target, None)}
        verdicts[target] = entry["mtorlogic"].pop("verdicts")
        log(f"  {entry['mtorlogic']['seconds']:.1f} s (parallel)")
        if not args.no_serial:
            serial = run_mtorlogic(args.scenario, target, 1)
            serial["identical"] = serial.pop("verdicts") == verdicts[target]
            entry["mtorlogic_serial"] = serial
            log(f"  {serial['seconds']:.1f} s (--jobs 1), identical: {serial['identical']}")
        record["targets"][target] = entry
    rng = random.Random(args.seed)
    for tool, size in (("aeon", args.aeon_sample), ("pyboolnet", args.pyboolnet_sample)):
        if size <= 0:
            continue
        sample = [()] + rng.sample(perturbations[1:], size - 1)
        rows = []
        for number, items in enumerate(sample, start=1):
            row = run_peer(tool, args.scenario, items, targets, args.timeout)
            row["items"] = [list(item) for item in items]
            key = json.dumps(sorted(dict(items).items()))
            row["mtorlogic"] = {target: verdicts[target][key] for target in targets}
            rows.append(row)
            state = ("timeout" if row.get("timeout") else "error" if "error" in row
                     else f"{row['seconds']:.2f} s")
            log(f"{tool} {number}/{len(sample)} {label(items)}: {state}")
        record["peers"][tool] = {"rows": rows, "summary": peer_summary(rows, len(perturbations))}
        for target, entry in record["targets"].items():
            compared = [r for r in rows if "verdicts" in r]
            same = sum(1 for r in compared if r["verdicts"][target] == r["mtorlogic"][target])
            entry.setdefault("agreement", {})[tool] = {"compared": len(compared), "same": same}
        record["load_at_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
        write_report(args.out, record)
    record["load_at_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    write_report(args.out, record)
    log(f"wrote {args.out}.md and {args.out}.json")


if __name__ == "__main__":
    # SIGTERM unwinds like Ctrl-C, so that a running tool is taken down with the harness.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    main()
