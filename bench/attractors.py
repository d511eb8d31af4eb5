#!/usr/bin/env python3
"""Side-by-side benchmark: exact asynchronous attractors, mtorlogic vs. peer tools.

For every instance (`.bnet`, inputs already fixed) in the shared benchmark's `models/` and
`hard/` folders, each tool runs as its own subprocess, one after the other, on the same
machine in the same run. The whole process is timed (wall clock, interpreter start-up and
imports included) with a per-instance timeout. Each tool prints the SPEC §5 JSON; its answer
is checked against the instance's `.ref.json` (count, values, sizes).

Tools:
  mtorlogic  `mtorlogic attractors FILE --json`                  (asynchronous, exact)
  aeon       bench/peers/peer_aeon.py      biodivine-aeon               (asynchronous, exact)
  biobalm    bench/peers/peer_biobalm.py   succession diagram           (asynchronous, exact)
  pyboolnet  bench/peers/peer_pyboolnet.py trap spaces + NuSMV          (asynchronous, exact
                                                                    only when its checks pass)
  mpbn       bench/peers/peer_mpbn.py      minimal trap spaces          (most-permissive: a
                                                                    different, easier task)

Writes bench/results/attractors.json (raw) and bench/results/attractors.md (table); progress
goes to stderr. Run `python bench/attractors.py --help` for options.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import fnmatch
import json
import math
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
PEERS = os.path.join(HERE, "peers")
DEFAULT_BENCH = os.path.normpath(os.path.join(REPO, "..", "shared", "bench"))

ALL_TOOLS = ["mtorlogic", "aeon", "biobalm", "pyboolnet", "mpbn"]
EXACT_TOOLS = ["mtorlogic", "aeon", "biobalm", "pyboolnet"]
TASK = dict.fromkeys(EXACT_TOOLS, "asynchronous") | {"mpbn": "most-permissive"}
LABEL = {
    "mtorlogic": "mtorlogic",
    "aeon": "aeon",
    "biobalm": "biobalm",
    "pyboolnet": "pyboolnet",
    "mpbn": "mpbn (MP†)",
}


# ----------------------------------------------------------------------------- instances


def count_nodes(path: str) -> int:
    targets = set()
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line or "," not in line:
                continue
            target = line.split(",", 1)[0].strip()
            if target.lower() == "targets":
                continue
            targets.add(target)
    return len(targets)


def find_instances(bench: str, sets: list[str], only: list[str] | None) -> list[dict]:
    out = []
    for s in sets:
        folder = os.path.join(bench, s)
        if not os.path.isdir(folder):
            sys.exit(f"error: no benchmark folder {folder} (use --bench-dir)")
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".bnet"):
                continue
            inst = name[: -len(".bnet")]
            if only and not any(_matches(p, inst, s) for p in only):
                continue
            path = os.path.join(folder, name)
            ref_path = os.path.join(folder, inst + ".ref.json")
            ref = None
            if os.path.exists(ref_path):
                with open(ref_path) as f:
                    ref = json.load(f)
            out.append({"instance": inst, "set": s, "path": path, "nodes": count_nodes(path), "ref": ref})
    return out


def _matches(pattern: str, inst: str, s: str) -> bool:
    full = f"{s}/{inst}"
    if any(c in pattern for c in "*?["):
        return fnmatch.fnmatch(inst, pattern) or fnmatch.fnmatch(full, pattern)
    return pattern in full


# ----------------------------------------------------------------------------- running


def tool_command(tool: str, path: str) -> list[str]:
    if tool == "mtorlogic":
        exe = os.path.join(os.path.dirname(sys.executable), "mtorlogic")
        if not os.path.exists(exe):
            exe = shutil.which("mtorlogic") or "mtorlogic"
        return [exe, "attractors", path, "--json"]
    return [sys.executable, os.path.join(PEERS, f"peer_{tool}.py"), path]


def run_once(cmd: list[str], timeout: float, mem_limit_gb: float) -> dict:
    """Run cmd in its own process group; wall time from spawn to exit, rusage of the child."""

    def limits() -> None:
        if mem_limit_gb > 0:
            lim = int(mem_limit_gb * 2**30)
            resource.setrlimit(resource.RLIMIT_AS, (lim, lim))

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        box: dict = {}
        t0 = time.perf_counter()
        try:
            proc = subprocess.Popen(
                cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                start_new_session=True, preexec_fn=limits,
            )
        except OSError as e:
            return {"status": "error", "wall": 0.0, "error": f"cannot start: {e}"}

        def waiter() -> None:
            _, status, ru = os.wait4(proc.pid, 0)
            box["t"] = time.perf_counter()
            box["status"], box["ru"] = status, ru

        th = threading.Thread(target=waiter, daemon=True)
        th.start()
        try:
            th.join(timeout)
        except BaseException:  # the harness itself is stopped (Ctrl-C, SIGTERM): no orphans
            _killpg(proc.pid)
            raise
        timed_out = th.is_alive()
        if timed_out:
            _killpg(proc.pid)
            th.join()
        else:
            _killpg(proc.pid)  # leftovers (e.g. a NuSMV child) of a finished run
        proc.returncode = os.waitstatus_to_exitcode(box["status"])  # reaped by wait4 above
        wall = box["t"] - t0
        ru = box["ru"]
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    res = {
        "wall": round(wall, 4),
        "cpu": round(ru.ru_utime + ru.ru_stime, 4),
        "maxrss_mb": round(ru.ru_maxrss / 1024, 1),
        "returncode": proc.returncode,
    }
    if timed_out:
        res["status"] = "timeout"
        res["wall"] = round(timeout, 4)
        return res
    if proc.returncode != 0:
        res["status"] = "unavailable" if "No such command" in stderr else "error"
        res["error"] = _tail(stderr or stdout)
        return res
    try:
        res["output"] = _parse_json(stdout)
        res["status"] = "ok"
    except ValueError:
        res["status"] = "error"
        res["error"] = "output is not JSON: " + _tail(stdout)
    return res


def _killpg(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _tail(text: str, n: int = 400) -> str:
    text = text.strip()
    return text if len(text) <= n else "…" + text[-n:]


def _parse_json(stdout: str) -> dict:
    try:
        return json.loads(stdout)
    except ValueError:
        for line in reversed(stdout.splitlines()):
            if line.startswith("{"):
                return json.loads(line)
        raise


def run_tool(tool: str, inst: dict, args) -> dict:
    runs = []
    for _ in range(max(1, args.repeat)):
        r = run_once(tool_command(tool, inst["path"]), args.timeout, args.mem_limit)
        runs.append(r)
        if r["status"] != "ok":
            break
    last = runs[-1]
    res = {k: v for k, v in last.items() if k != "output"}
    if last["status"] == "ok":
        res["wall"] = round(statistics.median(r["wall"] for r in runs), 4)
        res["cpu"] = round(statistics.median(r["cpu"] for r in runs), 4)
        res["runs"] = [r["wall"] for r in runs]
        out = last["output"]
        res["n_attractors"] = len(out.get("attractors", []))
        res["check"] = check(out, inst["ref"], TASK[tool])
        res["signature"] = signature(out)
        for k in ("exact", "notes"):
            if k in out:
                res[k] = out[k]
    return res


# ----------------------------------------------------------------------------- checking


def _norm(v):
    if v in ("*", None):
        return "*"
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, (int, float)) or (isinstance(v, str) and v in ("0", "1")):
        return int(v)
    return str(v)


def _key(values: dict) -> tuple:
    return tuple(sorted((str(k), _norm(v)) for k, v in values.items()))


def signature(out: dict) -> list:
    """Order-independent description of an answer: sorted (values, size) pairs."""
    sig = [json.dumps([_key(a.get("values", {})), a.get("size")]) for a in out.get("attractors", [])]
    return sorted(sig)


def _size_eq(got, exp, approx: bool) -> bool:
    if exp is None:
        return True
    if got is None:
        return False
    if approx:
        return math.isclose(float(got), float(exp), rel_tol=1e-5)
    return int(got) == int(exp)


def check(out: dict, ref: dict | None, task: str) -> dict:
    """Compare a tool's answer with the reference: count, then values, then sizes."""
    sem = out.get("semantics")
    if sem not in (None, task):
        return {"ok": False, "why": f"semantics {sem!r}, expected {task!r}"}
    if not ref or ref.get(task) is None:  # hard/ instances nobody has solved say null
        return {"ok": None, "why": "no reference"}
    exp = ref[task]
    got = out.get("attractors", [])
    if len(got) != len(exp):
        return {"ok": False, "why": f"count {len(got)}≠{len(exp)}"}
    exp_nodes = set(exp[0]["values"]) if exp else set()
    bad_nodes = [a for a in got if set(a.get("values", {})) != exp_nodes]
    if exp and bad_nodes:
        return {"ok": False, "why": "node set differs from reference"}
    for a in got:
        if "fixed_point" in a and a.get("size") is not None and bool(a["fixed_point"]) != (a["size"] == 1):
            return {"ok": False, "why": "fixed_point inconsistent with size"}
    got_by_key = collections.defaultdict(list)
    for a in got:
        got_by_key[_key(a["values"])].append(a)
    exp_by_key = collections.defaultdict(list)
    for a in exp:
        exp_by_key[_key(a["values"])].append(a)
    if collections.Counter({k: len(v) for k, v in got_by_key.items()}) != collections.Counter(
        {k: len(v) for k, v in exp_by_key.items()}
    ):
        missing = sum(max(0, len(v) - len(got_by_key.get(k, []))) for k, v in exp_by_key.items())
        return {"ok": False, "why": f"values differ ({missing} reference attractor(s) unmatched)"}
    for k, es in exp_by_key.items():
        gs = got_by_key[k]
        e_sizes = sorted((e.get("size") for e in es), key=lambda s: (s is None, s or 0))
        g_sizes = sorted((g.get("size") for g in gs), key=lambda s: (s is None, s or 0))
        approx = any(g.get("size_approx") for g in gs)
        if not all(_size_eq(g, e, approx) for g, e in zip(g_sizes, e_sizes)):
            return {"ok": False, "why": "sizes differ"}
    return {"ok": True, "why": "matches reference"}


def cross_check(row: dict, tools: list[str]) -> dict | None:
    """Without an async reference: do the exact tools that finished agree with each other?"""
    sigs = {}
    for t in tools:
        r = row["tools"].get(t, {})
        if t in EXACT_TOOLS and r.get("status") == "ok" and r.get("exact") is not False:
            sigs[t] = json.dumps(r["signature"])
    if not sigs:
        return None
    groups = collections.defaultdict(list)
    for t, s in sigs.items():
        groups[s].append(t)
    return {"agree": len(groups) == 1, "groups": sorted(groups.values(), key=len, reverse=True)}


# ----------------------------------------------------------------------------- reporting


def fmt_time(r: dict | None, timeout: float) -> str:
    if not r:
        return "—"
    st = r.get("status")
    if st == "ok":
        s = f"{r['wall']:.2f}"
        if r.get("check", {}).get("ok") is False:
            s += " ✗"
        return s
    if st == "timeout":
        return f">{timeout:g}"
    if st == "unavailable":
        return "n/a"
    if st == "skipped":
        return "—"
    return "error"


def ratio(num: dict | None, den: dict | None, timeout: float) -> tuple[str, float | None]:
    """num/den as text; a timed-out side gives a bound (its time is at least the timeout)."""
    if not num or not den:
        return "—", None
    ns, ds = num.get("status"), den.get("status")
    if ds == "ok" and ns == "ok":
        v = num["wall"] / max(den["wall"], 1e-9)
        return f"{v:.2f}", v
    if ds == "ok" and ns == "timeout":
        v = timeout / max(den["wall"], 1e-9)
        return f">{v:.1f}", v
    if ds == "timeout" and ns == "ok":
        v = num["wall"] / timeout
        return f"<{v:.2f}", v
    return "—", None


def correctness_cell(row: dict, tools: list[str]) -> str:
    issues = []
    n_ok = 0
    for t in tools:
        r = row["tools"].get(t)
        if not r or r.get("status") != "ok":
            if r and r.get("status") == "error":
                issues.append(f"{t}: error")
            continue
        c = r.get("check", {})
        if c.get("ok") is False:
            extra = "" if r.get("exact", True) else " (says inexact)"
            issues.append(f"{t}: {c['why']}{extra}")
        elif c.get("ok"):
            n_ok += 1
    xc = row.get("cross_check")
    if row.get("ref_async") is None and xc:
        if xc["agree"]:
            issues.append("no ref; exact tools agree (" + ",".join(xc["groups"][0]) + ")")
        else:
            issues.append("no ref; DISAGREE: " + " vs ".join("+".join(g) for g in xc["groups"]))
    elif row.get("ref_async") is None:
        issues.append("no ref; no exact tool finished")
    if not issues:
        return "✓" if n_ok else "—"
    return "; ".join(issues)


def totals(rows: list[dict], tool: str, timeout: float) -> dict:
    t = {"total": 0.0, "cpu": 0.0, "solved": 0, "n": 0, "correct": 0, "wrong": 0, "max": 0.0, "unsolved": []}
    for row in rows:
        r = row["tools"].get(tool)
        if not r or r.get("status") in ("skipped", "unavailable"):
            continue
        t["n"] += 1
        if r["status"] == "ok":
            t["total"] += r["wall"]
            t["cpu"] += r.get("cpu", 0.0)
            t["solved"] += 1
            t["max"] = max(t["max"], r["wall"])
            ok = r.get("check", {}).get("ok")
            t["correct"] += ok is True
            t["wrong"] += ok is False
        else:
            t["total"] += timeout  # a lower bound for that instance
            t["max"] = max(t["max"], timeout)
            t["unsolved"].append(row["instance"])
    t["total"] = round(t["total"], 3)
    t["cpu"] = round(t["cpu"], 3)
    return t


def goals(rows: list[dict], tools: list[str], timeout: float) -> list[tuple[str, str, str]]:
    models = [r for r in rows if r["set"] == "models"]
    hard = [r for r in rows if r["set"] == "hard"]
    mt = [r["tools"].get("mtorlogic") for r in rows]
    if "mtorlogic" not in tools:
        return [(g, "—", "mtorlogic not run") for g in GOALS]
    if not any(x and x.get("status") not in ("unavailable", "skipped") for x in mt):
        na = "not measured: `mtorlogic attractors` unavailable"
        return [(g, "—", na) for g in GOALS]
    out = []
    m = totals(models, "mtorlogic", timeout)
    all_models_ok = m["n"] == len(models) and m["solved"] == m["n"] and m["wrong"] == 0
    if "aeon" in tools and models:
        a = totals(models, "aeon", timeout)
        passed = all_models_ok and m["total"] <= a["total"]
        bound = "" if a["solved"] == a["n"] else f" (aeon's {a['n'] - a['solved']} unsolved counted as {timeout:g} s)"
        note = "" if all_models_ok else f"; mtorlogic solved {m['solved']}/{len(models)}, {m['wrong']} wrong"
        out.append((GOALS[0], _pf(passed), f"mtorlogic {m['total']:.2f} s vs aeon {a['total']:.2f} s{bound}{note}"))
    else:
        out.append((GOALS[0], "—", "aeon not run / no models"))
    if "pyboolnet" in tools and models:
        p = totals(models, "pyboolnet", timeout)
        r = p["total"] / max(m["total"], 1e-9)
        bound = "" if p["solved"] == p["n"] else f" (≥, pyboolnet's {p['n'] - p['solved']} unsolved counted as {timeout:g} s)"
        out.append((GOALS[1], _pf(all_models_ok and r >= 10),
                    f"pyboolnet {p['total']:.2f} s / mtorlogic {m['total']:.2f} s = {r:.1f}x{bound}"))
    else:
        out.append((GOALS[1], "—", "pyboolnet not run / no models"))
    if hard:
        h = totals(hard, "mtorlogic", timeout)
        disagree = [r["instance"] for r in hard if _mt_disagrees(r)]
        passed = h["n"] == len(hard) and h["solved"] == len(hard) and h["wrong"] == 0 and not disagree
        detail = f"{h['solved']}/{len(hard)} solved, {h['wrong']} wrong vs reference"
        if h["unsolved"]:
            detail += "; unsolved: " + ", ".join(h["unsolved"])
        if disagree:
            detail += "; disagrees with a peer (no ref): " + ", ".join(disagree)
        out.append((GOALS[2], _pf(passed), detail))
    else:
        out.append((GOALS[2], "—", "hard/ not run"))
    mh = models + hard
    if mh:
        both = totals(mh, "mtorlogic", timeout)
        slow = [r["instance"] for r in mh if _slow(r.get("tools", {}).get("mtorlogic"))]
        out.append((GOALS[3], _pf(not slow and both["n"] == len(mh)),
                    f"max {both['max']:.2f} s" + (("; over 10 s or unsolved: " + ", ".join(slow)) if slow else "")))
    else:
        out.append((GOALS[3], "—", "neither models/ nor hard/ run"))
    return out


GOALS = [
    "total over models/: mtorlogic ≤ aeon",
    "total over models/: ≥10x below pyboolnet",
    "every hard/ instance solved (correctly)",
    "no instance > 10 s (mtorlogic)",
]


def _slow(r: dict | None) -> bool:
    return not r or r.get("status") != "ok" or r["wall"] > 10


def _mt_disagrees(row: dict) -> bool:
    xc = row.get("cross_check")
    if row.get("ref_async") is not None or not xc or xc["agree"]:
        return False
    return not any("mtorlogic" in g and len(g) > 1 for g in xc["groups"])


def _pf(b: bool) -> str:
    return "PASS" if b else "FAIL"


def render_markdown(data: dict) -> str:
    tools = data["tools"]
    timeout = data["timeout"]
    rows = data["rows"]
    L = []
    L.append("# Exact asynchronous attractors: mtorlogic vs. peers (one run, same machine)")
    L.append("")
    m = data["meta"]
    L.append(
        f"Run {m['started']} → {m.get('finished', '(running)')} on {m['machine']} "
        f"({m['cpus']} cores, load {m['load_start']} at start); timeout {timeout:g} s per tool "
        f"and instance; repeat {data['repeat']} (median); mtorlogic at commit {m['git_commit']}."
    )
    L.append("")
    L.append(
        "Seconds = wall clock of the whole process (start-up and imports included), "
        f"`>{timeout:g}` = timed out, `error` = crashed (see JSON), `n/a` = tool unavailable, "
        "✗ = answer differs from the reference. Ratios > 1 mean mtorlogic is faster. "
        "† mpbn computes most-permissive attractors (minimal trap spaces): a different, "
        "easier task, checked against the most-permissive reference; shown for scale only."
    )
    L.append("")
    hdr = ["instance", "nodes", "#att (ref)"] + [f"{LABEL[t]} s" for t in tools]
    show_ra = "aeon" in tools and "mtorlogic" in tools
    show_rp = "pyboolnet" in tools and "mtorlogic" in tools
    if show_ra:
        hdr.append("aeon / mtorlogic")
    if show_rp:
        hdr.append("pyboolnet / mtorlogic")
    hdr.append("correct?")
    for s in data["sets"]:
        srows = [r for r in rows if r["set"] == s]
        if not srows:
            continue
        L.append(f"## {s}/")
        L.append("")
        L.append("| " + " | ".join(hdr) + " |")
        L.append("|" + "|".join(["---"] + ["---:"] * (len(hdr) - 2) + ["---"]) + "|")
        for r in srows:
            ref_n = "?" if r.get("ref_async") is None else str(r["ref_async"])
            cells = [r["instance"], str(r["nodes"]), ref_n]
            cells += [fmt_time(r["tools"].get(t), timeout) for t in tools]
            if show_ra:
                cells.append(ratio(r["tools"].get("aeon"), r["tools"].get("mtorlogic"), timeout)[0])
            if show_rp:
                cells.append(ratio(r["tools"].get("pyboolnet"), r["tools"].get("mtorlogic"), timeout)[0])
            cells.append(correctness_cell(r, tools))
            L.append("| " + " | ".join(cells) + " |")
        L.append("")
        L.append(f"Totals over {s}/ ({len(srows)} instances; an unsolved instance counts as {timeout:g} s):")
        L.append("")
        L.append("| tool | total s | solved | correct vs ref | wrong | max s | CPU s of solved |")
        L.append("|---|---:|---:|---:|---:|---:|---:|")
        tot = {t: totals(srows, t, timeout) for t in tools}
        for t in tools:
            x = tot[t]
            if x["n"] == 0:
                L.append(f"| {LABEL[t]} | — | — | — | — | — | — |")
                continue
            L.append(f"| {LABEL[t]} | {x['total']:.2f} | {x['solved']}/{x['n']} | {x['correct']} | {x['wrong']} | {x['max']:.2f} | {x['cpu']:.2f} |")
        if "mtorlogic" in tools and tot["mtorlogic"]["n"]:
            for peer in ("aeon", "biobalm", "pyboolnet"):
                if peer in tools and tot[peer]["n"]:
                    v = tot[peer]["total"] / max(tot["mtorlogic"]["total"], 1e-9)
                    L.append("")
                    L.append(f"Total {peer} / mtorlogic over {s}/: {v:.2f}")
        L.append("")
    L.append("## Goals")
    L.append("")
    L.append("| goal | status | detail |")
    L.append("|---|---|---|")
    for g, st, d in goals(rows, tools, timeout):
        L.append(f"| {g} | {st} | {d} |")
    L.append("")
    if data.get("tool_notes"):
        L.append("## Tool notes")
        L.append("")
        for t, n in data["tool_notes"].items():
            L.append(f"- **{t}**: {n}")
        L.append("")
    return "\n".join(L)


# ----------------------------------------------------------------------------- main


def versions() -> dict:
    code = (
        "import importlib.metadata as m, json\n"
        "out = {}\n"
        "for p in ['biodivine_aeon', 'biobalm', 'pyboolnet', 'mpbn', 'clingo', 'mtorlogic']:\n"
        "    try: out[p] = m.version(p)\n"
        "    except Exception: out[p] = None\n"
        "print(json.dumps(out))\n"
    )
    try:
        return json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout)
    except ValueError:
        return {}


def git_commit() -> str:
    try:
        c = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--", "src"], capture_output=True, text=True).stdout.strip()
        return c + ("+dirty src" if dirty else "")
    except OSError:
        return "?"


TOOL_NOTES = {
    "pyboolnet": (
        "`compute_attractors(primes, 'asynchronous')` (minimal trap spaces + NuSMV checks of "
        "completeness/univocality/faithfulness); exact only when those checks pass, otherwise it "
        "reports `exact: false` and can miss attractors. Attractor sizes (and values for "
        "unfaithful trap spaces) are computed by extra NuSMV runs, timed with it."
    ),
    "mpbn": "most-permissive semantics (minimal trap spaces): not the exact asynchronous task.",
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds per tool and instance (default 30)")
    ap.add_argument("--only", action="append", metavar="PATTERN",
                    help="instances whose 'set/name' contains PATTERN (or matches it as a glob); repeatable")
    ap.add_argument("--tools", nargs="+", default=ALL_TOOLS, choices=ALL_TOOLS, metavar="TOOL",
                    help=f"tools to run, in this order (default: {' '.join(ALL_TOOLS)})")
    ap.add_argument("--sets", nargs="+", default=["models", "hard"], help="benchmark folders (default: models hard; also: random)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per tool and instance; the median is reported")
    ap.add_argument("--bench-dir", default=os.environ.get("MTORLOGIC_BENCH_DIR", DEFAULT_BENCH),
                    help=f"shared benchmark folder (default {DEFAULT_BENCH})")
    ap.add_argument("--mem-limit", type=float, default=8.0, help="address-space limit per run in GiB (0 = none; default 8)")
    ap.add_argument("--out", default=os.path.join(HERE, "results", "attractors"),
                    help="output path without extension (default bench/results/attractors → .json and .md)")
    args = ap.parse_args(argv)

    instances = find_instances(args.bench_dir, args.sets, args.only)
    if not instances:
        print("no instance matches", file=sys.stderr)
        return 2
    tools = list(dict.fromkeys(args.tools))
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    data = {
        "task": "exact asynchronous attractors (mpbn: most-permissive)",
        "timeout": args.timeout,
        "repeat": args.repeat,
        "tools": tools,
        "sets": args.sets,
        "meta": {
            "started": datetime.datetime.now().isoformat(timespec="seconds"),
            "machine": platform.node() + " " + platform.machine(),
            "cpus": os.cpu_count(),
            "load_start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
            "python": sys.version.split()[0],
            "versions": versions(),
            "git_commit": git_commit(),
            "commands": {t: " ".join(tool_command(t, "FILE")) for t in tools},
            "mem_limit_gib": args.mem_limit,
        },
        "tool_notes": {t: n for t, n in TOOL_NOTES.items() if t in tools},
        "rows": [],
    }
    vers = data["meta"]["versions"]
    lib = {"aeon": "biodivine_aeon", "biobalm": "biobalm", "pyboolnet": "pyboolnet", "mpbn": "mpbn", "mtorlogic": "mtorlogic"}
    for t in tools:
        if vers and vers.get(lib[t]) is None:
            print(f"warning: {lib[t]} is not installed for {sys.executable}; activate the project's "
                  "virtual environment (see bench/README.md)", file=sys.stderr)
    unavailable: dict[str, str] = {}
    n = len(instances)
    t_start = time.perf_counter()
    for i, inst in enumerate(instances, 1):
        ref = inst["ref"] or {}
        row = {
            "instance": inst["instance"],
            "set": inst["set"],
            "nodes": inst["nodes"],
            "ref_async": len(ref["asynchronous"]) if ref.get("asynchronous") is not None else None,
            "ref_async_by": ref.get("asynchronous_by"),
            "ref_mp": len(ref["most-permissive"]) if ref.get("most-permissive") is not None else None,
            "load": round(os.getloadavg()[0], 2),
            "tools": {},
        }
        print(f"[{i}/{n}] {inst['set']}/{inst['instance']} ({inst['nodes']} nodes)", file=sys.stderr, flush=True)
        for t in tools:
            if t in unavailable:
                row["tools"][t] = {"status": "unavailable", "error": unavailable[t]}
                continue
            r = run_tool(t, inst, args)
            if r["status"] == "unavailable":
                unavailable[t] = r.get("error", "")
                print(f"    {t:<10} unavailable: {_tail(r.get('error', ''), 120)} (skipped from now on)", file=sys.stderr, flush=True)
            else:
                msg = fmt_time(r, args.timeout)
                if r["status"] == "ok":
                    c = r["check"]
                    msg = f"{r['wall']:.2f} s  {r['n_attractors']} attractors  " + ("ok" if c["ok"] else ("no ref" if c["ok"] is None else "MISMATCH: " + c["why"]))
                elif r["status"] == "error":
                    msg += ": " + _tail(r.get("error", ""), 160).replace("\n", " ")
                print(f"    {t:<10} {msg}", file=sys.stderr, flush=True)
            row["tools"][t] = r
        row["cross_check"] = cross_check(row, tools)
        data["rows"].append(row)
        _write(args.out, data)
    data["meta"]["finished"] = datetime.datetime.now().isoformat(timespec="seconds")
    data["meta"]["load_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    data["meta"]["elapsed_s"] = round(time.perf_counter() - t_start, 1)
    _write(args.out, data)
    print(f"wrote {args.out}.json and {args.out}.md ({data['meta']['elapsed_s']} s)", file=sys.stderr)
    return 0


def _write(out: str, data: dict) -> None:
    slim = json.loads(json.dumps(data))
    for row in slim["rows"]:
        for r in row["tools"].values():
            r.pop("signature", None)  # large; only used for cross-checking
    tmp = out + ".json.tmp"
    with open(tmp, "w") as f:
        json.dump(slim, f, indent=1)
        f.write("\n")
    os.replace(tmp, out + ".json")
    with open(out + ".md.tmp", "w") as f:
        f.write(render_markdown(data) + "\n")
    os.replace(out + ".md.tmp", out + ".md")


if __name__ == "__main__":
    # SIGTERM unwinds like Ctrl-C, so that run_once takes the running tool down with it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(main())
