#!/usr/bin/env python3
"""Side-by-side benchmark: population time courses, mtorlogic vs. MaBoSS (cMaBoSS), in one run.

For each scenario below, both tools simulate the same continuous-time Markov chain on the
bundled model: the scenario's clamped network, unit rates, 10,000 cells (MaBoSS: trajectories),
end time 20, and the same starts (clamped nodes at their value; with an earlier phase, cells
spread evenly over that phase's attractor states, given to MaBoSS as a joint istate; otherwise
every other node 0 or 1 with probability 1/2, MaBoSS's own default).

Timing: wall clock (time.perf_counter) and CPU (time.process_time) of the simulation call in
this process, each tool in turn; mtorlogic's includes compiling the update functions,
MaBoSS's includes parsing its .bnd/.cfg text (written untimed). MaBoSS runs with
thread_count = 1 (mtorlogic uses one core) and, for reference, 2 threads.

Agreement: MaBoSS reports each node's probability averaged over windows [t, t + tick) (tick
1.0); mtorlogic's fine time course (points every 0.05) is averaged over the same windows by the
trapezoid rule. For every reported node and window, z = |p1 - p2| / sqrt(p1(1-p1)/N +
p2(1-p2)/N) (with p(1-p) floored at 1e-4); the table gives the largest |p1 - p2| and z. Two
samples of the same chain give max z around 3-4 over the ~200 comparisons of a scenario
(a time average varies less than a point, so this is conservative).

usage: python bench/simulate.py [--cells 10000] [--time 20]
Writes bench/results/simulate.{md,json}.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(REPO, "src"))

SCENARIOS = [  # (scenario, earlier phase or None)
    ("01_fed", None),
    ("05_insulin_withdrawal", None),
    ("08_rapamycin_acute", None),
    ("08_rapamycin_acute", "01_fed"),
    ("46_rapamycin_washout", None),  # initial = 08_rapamycin_acute
]
READOUTS = ["mTORC1", "mTORC2", "S6K1", "EIF4EBP1", "AKT_S473", "AMPK", "ULK1", "Autophagy",
            "Translation", "TFEB"]


def maboss_files(model, starts, readouts, cells, end_time, tick, threads, seed):
    """The .bnd and .cfg text of ``model`` (already clamped) with ``starts``."""
    from mtorlogic.expressions import to_text

    bnd = "".join(f"Node {node.name} {{ logic = {to_text(node.function)}; }}\n"
                  for node in model.nodes)
    lines = []
    names = model.names
    varying = [n for n in names if len({s.get(n) for s in starts}) > 1]
    for name in names:
        if name in varying:
            continue
        value = starts[0].get(name)
        if value is None:
            lines.append(f"[{name}].istate = 0.5 [0], 0.5 [1];")
        else:
            lines.append(f"{name}.istate = {value};")
    if varying:
        if any(s.get(n) is None for s in starts for n in varying):
            raise SystemExit("a start leaves a varying node free: no joint istate for that")
        weight = 1 / len(starts)
        states = ", ".join(f"{weight!r} [{','.join(str(s[n]) for n in varying)}]"
                           for s in starts)
        lines.append(f"[{','.join(varying)}].istate = {states};")
    lines += [f"{name}.is_internal = {0 if name in readouts else 1};" for name in names]
    lines += [f"time_tick = {tick};", f"max_time = {end_time};", f"sample_count = {cells};",
              "discrete_time = 0;", "use_physrandgen = 0;", f"seed_pseudorandom = {seed};",
              f"thread_count = {threads};", "statdist_traj_count = 0;"]
    return bnd, "\n".join(lines) + "\n"


def run_maboss(bnd: str, cfg: str, folder: str):
    import cmaboss_128n as cmaboss  # the build for up to 128 nodes (the model has 120)

    with open(os.path.join(folder, "m.bnd"), "w") as handle:
        handle.write(bnd)
    with open(os.path.join(folder, "m.cfg"), "w") as handle:
        handle.write(cfg)
    wall, cpu = time.perf_counter(), time.process_time()
    simulation = cmaboss.MaBoSSSim(network=os.path.join(folder, "m.bnd"),
                                   config=os.path.join(folder, "m.cfg"))
    result = simulation.run()
    table, times, nodes, _ = result.get_nodes_probtraj()
    return (time.perf_counter() - wall, time.process_time() - cpu,
            {n: table[:, i] for i, n in enumerate(nodes)}, list(times))


def windows(course, name, starts, tick):
    import numpy as np

    values = course.of(name)
    out = []
    for start in starts:
        inside = (course.times >= start - 1e-9) & (course.times <= start + tick + 1e-9)
        out.append(float(np.trapezoid(values[inside], course.times[inside]) / tick))
    return np.array(out)


def time_draw(repeats: int = 5) -> dict[str, float]:
    """Median seconds of drawing the whole bundled model (SVG text; SVG + PNG file), in this
    process after one warm-up (imports excluded: a command adds Python's start-up)."""
    import statistics

    from mtorlogic.drawing import draw
    from mtorlogic.formats import load_model

    model = load_model("mtor")
    out = {}
    with tempfile.TemporaryDirectory() as folder:
        for label, path in (("svg", None), ("png", os.path.join(folder, "m.png"))):
            draw(model, path=path)
            times = []
            for _ in range(repeats):
                start = time.perf_counter()
                draw(model, path=path)
                times.append(time.perf_counter() - start)
            out[label] = statistics.median(times)
    return out


def main() -> None:
    import numpy as np

    from mtorlogic.dynamics.population import scenario_starts, simulate_population
    from mtorlogic.scenarios import load_scenario, resolve_scenario_argument

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cells", type=int, default=10_000)
    parser.add_argument("--time", type=float, default=20.0)
    parser.add_argument("--render", action="store_true",
                        help="only rewrite simulate.md from simulate.json")
    arguments = parser.parse_args()
    if arguments.render:
        with open(os.path.join(HERE, "results", "simulate.json")) as handle:
            saved = json.load(handle)
        write_markdown(saved["meta"], saved["rows"], saved["draw"])
        return
    cells, end_time, tick = arguments.cells, arguments.time, 1.0
    rows = []
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        for name, after_name in SCENARIOS:
            scenario = load_scenario(resolve_scenario_argument(name))
            after = load_scenario(resolve_scenario_argument(after_name)) if after_name else None
            model, starts = scenario_starts(scenario, after=after)
            readouts = [n for n in READOUTS if n in model]
            points = round(end_time / 0.05) + 1
            wall, cpu = time.perf_counter(), time.process_time()
            course = simulate_population(model, starts, cells=cells, time=end_time,
                                         points=points, seed=1)
            ours_wall, ours_cpu = time.perf_counter() - wall, time.process_time() - cpu
            bnd, cfg = maboss_files(model, starts, readouts, cells, end_time, tick, 1, 1)
            mb_wall, mb_cpu, probabilities, times = run_maboss(bnd, cfg, folder)
            bnd2, cfg2 = maboss_files(model, starts, readouts, cells, end_time, tick, 2, 1)
            mb2_wall, _, _, _ = run_maboss(bnd2, cfg2, folder)
            worst_gap, worst_z = 0.0, 0.0
            for node in readouts:
                ours = windows(course, node, times, tick)
                theirs = np.asarray(probabilities[node])
                variance = (np.clip(ours * (1 - ours), 1e-4, None)
                            + np.clip(theirs * (1 - theirs), 1e-4, None)) / cells
                gap = np.abs(ours - theirs)
                worst_gap = max(worst_gap, float(gap.max()))
                worst_z = max(worst_z, float((gap / np.sqrt(variance)).max()))
            label = name if after_name is None else f"{after_name} -> {name}"
            rows.append({"scenario": label, "starts": len(starts), "cells": cells,
                         "mtorlogic_wall": ours_wall, "mtorlogic_cpu": ours_cpu,
                         "maboss_wall": mb_wall, "maboss_cpu": mb_cpu,
                         "maboss_2threads_wall": mb2_wall,
                         "ratio_wall": ours_wall / mb_wall, "max_gap": worst_gap,
                         "max_z": worst_z, "stable_fraction": course.stable})
            print(f"{label:40s} mtorlogic {ours_wall:6.2f}s  maboss {mb_wall:6.2f}s "
                  f"(2 threads {mb2_wall:5.2f}s)  ratio {ours_wall / mb_wall:5.2f}  "
                  f"max |dp| {worst_gap:.3f}  max z {worst_z:.1f}", flush=True)

    from importlib.metadata import version

    drawing = time_draw()
    print(f"draw the 120-node model: svg {drawing['svg']:.3f}s, png {drawing['png']:.3f}s")

    meta = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, load {load:.1f} at start",
            "python": platform.python_version(), "cmaboss": version("cmaboss"),
            "numpy": np.__version__, "cells": cells, "time": end_time}
    results = os.path.join(HERE, "results")
    os.makedirs(results, exist_ok=True)
    with open(os.path.join(results, "simulate.json"), "w") as handle:
        json.dump({"meta": meta, "rows": rows, "draw": drawing}, handle, indent=2)
    write_markdown(meta, rows, drawing)


def write_markdown(meta: dict, rows: list[dict], drawing: dict) -> None:
    """bench/results/simulate.md from the measurements (``--render`` redoes only this)."""
    cells, end_time = meta["cells"], meta["time"]
    lines = ["# Population time courses: mtorlogic vs. MaBoSS", "",
             (f"{meta['date']}; {meta['machine']}; Python {meta['python']}, numpy "
              f"{meta['numpy']}, cmaboss {meta['cmaboss']}. {cells} cells, end time "
              f"{end_time}, unit rates, bundled model (120 nodes). Produced by "
              "`python bench/simulate.py` (its docstring has the method)."), "",
             ("Reading: seconds are wall clock of one simulation call in one process, the two "
              "tools interleaved so both see the same machine load (given above: on a shared "
              "machine both times inflate, the ratio much less; the CPU ratio, from each call's "
              "own CPU seconds, is the steadier one). ratio < 1: mtorlogic is "
              "faster. max abs dp / max z: the largest difference between the two tools' "
              "probabilities over the 10 key readouts and 20 time windows, in absolute terms "
              "and in standard errors; below about 4 the two agree statistically."), "",
             ("| scenario | starts | mtorlogic s | MaBoSS s (1 thread) | MaBoSS s (2 threads) "
              "| ratio mtorlogic / MaBoSS | CPU ratio | max abs dp | max z |"),
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        lines.append(f"| {row['scenario']} | {row['starts']} | {row['mtorlogic_wall']:.2f} | "
                     f"{row['maboss_wall']:.2f} | {row['maboss_2threads_wall']:.2f} | "
                     f"{row['ratio_wall']:.2f} | "
                     f"{row['mtorlogic_cpu'] / row['maboss_cpu']:.2f} | "
                     f"{row['max_gap']:.3f} | {row['max_z']:.1f} |")
    lines += ["", ("Drawing the whole bundled model (`mtorlogic.drawing.draw`, median of 5 in "
                   f"process): SVG {drawing['svg']:.2f} s, SVG + PNG file "
                   f"{drawing['png']:.2f} s.")]
    with open(os.path.join(HERE, "results", "simulate.md"), "w") as handle:
        handle.write("\n".join(lines) + "\n")




if __name__ == "__main__":
    main()
