"""Peer: PyBoolNet exact asynchronous attractors (trap spaces + NuSMV model checking).

usage: python bench/peers/peer_pyboolnet.py MODEL.bnet
`pyboolnet.attractors.compute_attractors(primes, "asynchronous")` with its three
model-checking checks (completeness, univocality, faithfulness): minimal trap spaces by
clingo (its bundled gringo/clasp), a random walk + CTL (NuSMV-A) to find one state of the
attractor inside each, and CTL queries deciding whether the result is exact. That method
gives one state per attractor, not the attractor's size; so, still with PyBoolNet's NuSMV,
we add one NuSMV run per cyclic attractor: `-r` counts the states reachable from that state
(= the attractor), and when the trap space is not faithful one `EF` query per free node
decides which nodes change inside the attractor. Both are counted in the timing.

PyBoolNet's answer is exact only when `is_complete` is "yes" and every trap space is
univocal; otherwise the output says so (`exact: false`) and may miss attractors
(motif-avoidant ones, or several in one trap space).

Set-up quirks handled here: the NuSMV-A binary needs libtinfo.so.5 (Debian: `apt-get install
libtinfo5`) and the libreadline.so.6 shipped next to it, but PyBoolNet 3.0.16 puts the wrong
folder on LD_LIBRARY_PATH (binaries/NuSMV-a instead of binaries/linux64/NuSMV-a).
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile

from _common import attractor, emit, nusmv_dir, safe_names, usage_path


def _prop(state: dict) -> str:
    return " & ".join(name if v == 1 else f"!{name}" for name, v in sorted(state.items()))


_REACH = re.compile(r"reachable states:\s*([0-9.e+]+)")
_SPEC = re.compile(r"^-- specification .* is (true|false)\s*$", re.M)


def cyclic_details(primes: dict, state: dict, free: list[str], faithful: bool):
    """(size, exact_size, changing nodes) of the attractor containing `state`."""
    from pyboolnet.helpers import get_env_with_libreadline6_on_ld_library_path
    from pyboolnet.model_checking import CMD_NUSMV, primes2smv

    queries = [] if faithful else free
    fd, fname = tempfile.mkstemp(prefix="bench_pyboolnet_", suffix=".smv")
    os.close(fd)
    try:
        primes2smv(primes, "asynchronous", f"INIT {_prop(state)}", "CTLSPEC TRUE", fname_smv=fname)
        with open(fname, "a") as f:
            f.write("\n")
            for v in queries:
                f.write(f"CTLSPEC EF({'!' if state[v] else ''}{v})\n")
        out = subprocess.run(
            [CMD_NUSMV, "-dcx", "-dynamic", "-r", fname],
            capture_output=True, text=True, env=get_env_with_libreadline6_on_ld_library_path(),
        )
    finally:
        os.remove(fname)
    if out.returncode != 0:
        raise RuntimeError(f"NuSMV failed: {out.stderr.strip()[-500:]}")
    m = _REACH.search(out.stdout)
    if not m:
        raise RuntimeError("NuSMV printed no reachable-state count")
    text = m.group(1)
    exact = re.fullmatch(r"[0-9]+", text) is not None
    size = int(text) if exact else int(round(float(text)))
    answers = _SPEC.findall(out.stdout)[1:]  # first one is CTLSPEC TRUE
    if len(answers) != len(queries):
        raise RuntimeError("NuSMV answered fewer specifications than asked")
    changing = set(free) if faithful else {v for v, a in zip(queries, answers) if a == "true"}
    return size, exact, changing


def main() -> None:
    path = usage_path()
    d = nusmv_dir()
    os.environ["LD_LIBRARY_PATH"] = d + (os.pathsep + os.environ["LD_LIBRARY_PATH"] if os.environ.get("LD_LIBRARY_PATH") else "")
    import logging

    logging.getLogger("pyboolnet").setLevel(logging.WARNING)
    logging.disable(logging.INFO)
    from pyboolnet.attractors import compute_attractors
    from pyboolnet.file_exchange import bnet2primes

    primes = bnet2primes(path)
    primes, back = safe_names(primes)
    res = compute_attractors(primes, "asynchronous")
    result = []
    exact = res["is_complete"] == "yes"
    notes = []
    if not exact:
        notes.append(f"is_complete={res['is_complete']}: attractors outside minimal trap spaces are not found")
    for att in res["attractors"]:
        mts = att["min_trap_space"]
        state = att["state"]["dict"]
        if mts["is_univocal"] != "yes":
            exact = False
            notes.append(f"trap space {mts['str']} not univocal: only one of its attractors is reported")
        if att["is_steady"]:
            result.append(attractor(state, 1))
            continue
        free = sorted(v for v in primes if v not in mts["dict"])
        size, size_exact, changing = cyclic_details(primes, state, free, mts["is_faithful"] == "yes")
        values = {v: ("*" if v in changing else state[v]) for v in primes}
        a = attractor(values, size)
        if not size_exact:
            a["size_approx"] = True  # NuSMV prints large counts as doubles
        result.append(a)
    if back:
        for att in result:
            att["values"] = {back.get(k, k): v for k, v in sorted(att["values"].items(), key=lambda kv: back.get(kv[0], kv[0]))}
        notes.append("variables renamed for NuSMV (single-character or reserved names)")
    emit("asynchronous", result, tool="pyboolnet", exact=exact, notes=notes)


if __name__ == "__main__":
    main()
