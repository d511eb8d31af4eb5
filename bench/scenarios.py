#!/usr/bin/env python3
"""Side-by-side benchmark: the bundled scenario suite, mtorlogic vs. peer tools, in one run.

mtorlogic runs `mtorlogic check` (every bundled scenario in scenarios/*.toml on
rules/mtor.rules; exit code must be 0). The peers do the same scenarios as plain exact
asynchronous attractor searches: for each scenario the harness (untimed) writes the clamped
network (`scenario.model.clamp(scenario.clamps)`, as BNET via mtorlogic's `format_bnet`) to
a temporary folder, and each peer runs as ONE process over that folder:

  aeon       bench/peers/scenarios_aeon.py DIR       biodivine-aeon Attractors.attractors
  pyboolnet  bench/peers/scenarios_pyboolnet.py DIR  compute_attractors(primes, "asynchronous")

Every process is timed as a whole (wall clock from spawn to exit, plus its CPU user+sys via
resource.getrusage(RUSAGE_CHILDREN)), one after the other, with a timeout per tool.

Multi-phase scenarios (`initial = ...`): mtorlogic follows the attractors reachable from the
initial scenario's attractors; the peers only compute all attractors of the clamped network
(less work). Agreement: for single-phase scenarios the peer's attractors (smallest enclosing
subspaces) must equal those of `mtorlogic run --json` (run untimed); for multi-phase ones
mtorlogic's must be among the peer's.

usage: nice -n 10 python bench/scenarios.py [--timeout 300] [--tools mtorlogic aeon pyboolnet]
Writes bench/results/scenarios.{md,json}.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
PEERS = os.path.join(HERE, "peers")
TOOLS = ["mtorlogic", "aeon", "pyboolnet"]


def timed(cmd: list[str], timeout: float) -> dict:
    """Run cmd in its own process group; wall and CPU seconds of the whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=REPO, start_new_session=True)
    timed_out = False
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
    except BaseException:  # the harness itself is stopped (Ctrl-C, SIGTERM): no orphans
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"cmd": cmd, "wall_s": round(wall, 3), "cpu_s": round(cpu, 3), "rc": proc.returncode,
            "timed_out": timed_out, "stdout": out, "stderr_tail": err[-2000:],
            "solved_before_kill": sum(line.startswith("solved ") for line in err.splitlines())}


def canon(values: dict) -> str:
    return json.dumps({k: ("*" if v == "*" else int(v)) for k, v in sorted(values.items())})


def prepare(folder: str) -> dict:
    """Write one clamped .bnet per bundled scenario; return {label: is_multi_phase}."""
    from mtorlogic.formats.bnet import format_bnet
    from mtorlogic.scenarios import bundled_scenarios, load_scenarios

    info = {}
    for s in load_scenarios(bundled_scenarios()):
        with open(os.path.join(folder, f"{s.label}.bnet"), "w") as f:
            f.write(format_bnet(s.model.clamp(s.clamps)))
        info[s.label] = s.initial is not None
    return info


def reference() -> dict:
    """mtorlogic's attractors per scenario label (untimed `mtorlogic run --json`)."""
    out = subprocess.run(["mtorlogic", "run", "--json"], capture_output=True, text=True,
                         cwd=REPO, check=True)
    # `file` is a path or, for bundled scenarios, a bare name: the label is its stem
    return {os.path.basename(s["file"]).removesuffix(".toml"):
            sorted(canon(a["values"]) for a in s["attractors"])
            for s in json.loads(out.stdout)["scenarios"]}


def agreement(peer: dict, ref: dict, multi: dict) -> dict:
    agree, differ, incomparable = [], [], []
    for label, mine in ref.items():
        theirs = peer.get("results", {}).get(label)
        if theirs is None:
            continue  # not solved
        if any(a is None for a in theirs):
            incomparable.append(label)
            continue
        theirs = sorted(canon(a) for a in theirs)
        ok = set(mine) <= set(theirs) if multi[label] else mine == theirs
        (agree if ok else differ).append(label)
    return {"agree": agree, "differ": differ, "incomparable": incomparable}


def fmt_ratio(x: float | None, bound: bool) -> str:
    return "n/a" if x is None else (">" if bound else "") + f"{x:.1f}x"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--timeout", type=float, default=300, help="seconds per tool (whole suite)")
    ap.add_argument("--tools", nargs="+", choices=TOOLS, default=TOOLS)
    ap.add_argument("--out", default=os.path.join(HERE, "results", "scenarios"))
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench_scenarios_") as folder:
        multi = prepare(folder)
        ref = reference()
        n = len(multi)
        cmds = {
            "mtorlogic": ["mtorlogic", "check"],
            "aeon": [sys.executable, os.path.join(PEERS, "scenarios_aeon.py"), folder],
            "pyboolnet": [sys.executable, os.path.join(PEERS, "scenarios_pyboolnet.py"), folder],
        }
        runs = {}
        for tool in args.tools:
            sys.stderr.write(f"running {tool} ...\n")
            r = timed(cmds[tool], args.timeout)
            r["cmd"] = [c.replace(folder, "$DIR") for c in r["cmd"]]
            if tool == "mtorlogic":
                r["solved"] = n if (r["rc"] == 0 and not r["timed_out"]) else 0
                r["summary"] = (r.pop("stdout").strip().splitlines() or [""])[-1]
            else:
                try:
                    peer = json.loads(r.pop("stdout")) if not r["timed_out"] else {}
                except json.JSONDecodeError:
                    peer = {}
                r["solved"] = len(peer.get("results", {})) if peer else r["solved_before_kill"]
                r["errors"] = peer.get("errors", {})
                if "exact" in peer:
                    r["not_exact"] = sorted(k for k, v in peer["exact"].items() if not v)
                r["agreement"] = agreement(peer, ref, multi)
            sys.stderr.write(f"  {tool}: {r['wall_s']} s wall, {r['cpu_s']} s CPU, rc={r['rc']}"
                             f"{' TIMEOUT' if r['timed_out'] else ''}\n")
            runs[tool] = r

    base = runs.get("mtorlogic")
    base_ok = base is not None and base["rc"] == 0 and not base["timed_out"]
    n_multi = sum(multi.values())
    rows = []
    for tool, r in runs.items():
        wall = f">{args.timeout:g}" if r["timed_out"] else f"{r['wall_s']:.2f}"
        if tool == "mtorlogic":
            agree, ratio, cpu_ratio = "—", "1.0x" if base_ok else "n/a", "1.0x" if base_ok else "n/a"
            task = "`mtorlogic check`: attractors + every [expect]/[compare] verdict; multi-phase followed from the initial attractors"
        else:
            a = r["agreement"]
            agree = f"{len(a['agree'])}/{n}"
            if a["incomparable"]:
                agree += f" ({len(a['incomparable'])} not comparable)"
            if a["differ"]:
                agree += f" ✗ {len(a['differ'])} differ"
            ratio = fmt_ratio(r["wall_s"] / base["wall_s"] if base_ok else None, r["timed_out"])
            # a killed process group's grandchildren (NuSMV...) are never waited for: CPU unknown
            cpu_ratio = "n/a" if r["timed_out"] else fmt_ratio(r["cpu_s"] / base["cpu_s"] if base_ok and base["cpu_s"] else None, False)
            task = f"all async attractors of each clamped network; for the {n_multi} multi-phase scenarios a plain search (less work)"
        solved = f"{r['solved']}/{n}" + (" (rc≠0)" if r["rc"] not in (0, None) and not r["timed_out"] else "")
        cpu = "n/a (killed)" if r["timed_out"] else f"{r['cpu_s']:.2f}"
        rows.append(f"| {tool} | {wall} | {cpu} | {solved} | {agree} | {ratio} | {cpu_ratio} | {task} |")

    load = os.getloadavg()
    versions = {}
    for mod, dist in (("mtorlogic", "mtorlogic"), ("biodivine_aeon", "biodivine_aeon"), ("pyboolnet", "pyboolnet")):
        try:
            from importlib.metadata import version
            versions[mod] = version(dist)
        except Exception:
            versions[mod] = "?"
    when = datetime.datetime.now().isoformat(timespec="seconds")
    md = [
        "# Scenario suite: mtorlogic vs. peers (one run, same machine)",
        "",
        f"{n} bundled scenarios on rules/mtor.rules ({n_multi} multi-phase). Wall = whole process,"
        f" start-up included; CPU = user+sys of the process. Ratio = peer / mtorlogic."
        f" Timeout {args.timeout:g} s per tool.",
        "",
        "| tool | wall s | CPU s | scenarios solved | agreement with mtorlogic | ratio (wall) | ratio (CPU) | task |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        "Agreement: each scenario's attractors as smallest enclosing subspaces, compared with"
        " `mtorlogic run --json` (equal sets; for multi-phase scenarios mtorlogic's attractors must"
        " be among the peer's). pyboolnet cyclic attractors whose minimal trap space is not faithful"
        " are not comparable without further NuSMV runs (not done) and are counted apart.",
        "",
        f"{when}, {platform.node()}, {platform.python_version()}, load avg {load[0]:.2f}/{load[1]:.2f}/{load[2]:.2f};"
        f" versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()) + ".",
        "",
    ]
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out + ".md", "w") as f:
        f.write("\n".join(md))
    with open(args.out + ".json", "w") as f:
        json.dump({"date": when, "host": platform.node(), "loadavg": load, "versions": versions,
                   "timeout_s": args.timeout, "scenarios": n, "multi_phase": sorted(k for k, v in multi.items() if v),
                   "runs": runs}, f, indent=1)
        f.write("\n")
    print("\n".join(md))


if __name__ == "__main__":
    # SIGTERM unwinds like Ctrl-C, so that timed() takes the running tool down with it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    main()
