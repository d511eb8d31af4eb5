#!/usr/bin/env python3
"""Cross-check of the curated model against published mTOR Boolean models.

For each model named in ``bench/published/mapping.toml`` (the curated model and the
published ones copied into ``bench/published/``), the same perturbations (PI3K, Akt, MEK,
TSC and mTORC1 knockouts, growth factors withdrawn, and amino-acid withdrawal, energy stress
and hypoxia where the model has those inputs) are applied in the model's own node names, and
each readout's status (on / off / oscillates / mixed over the attractors reached) is
computed with mtorlogic's scenario machinery, asynchronous semantics:

- the *basal* condition is a scenario clamping every input of the model to the value the
  mapping gives (the script refuses a model with an input left out: free inputs multiply
  the attractors) and keeps every attractor of that network;
- a *perturbed* condition is a scenario whose ``initial`` is the basal one: it starts from
  the basal attractors with its clamps applied and keeps the attractors reachable from
  there (as the bundled multi-phase scenarios do).

A readout that is more than one node (``AKT_T308 | AKT_S473``, ``!EIF4EBP1``) becomes an
extra output node of the model, read by no other node, so its status is exact: it takes
both values in an attractor exactly when its expression does.

Each published model's status is then compared with the curated model's: ``agree`` (same
status), ``partial`` (one oscillates or is mixed where the other is fixed, or oscillates vs
mixed), ``differ`` (on vs off), ``n/a`` (a model lacks the readout or the perturbation).
A cell whose readout nodes are all clamped by the perturbation in both models (mTORC1 in an
mTORC1 knockout) restates the clamp and is left out of the counts.

usage: python bench/published_models.py [--model RULES] [--mapping TOML] [--only KEY ...]
                                       [--out PREFIX] [--seconds S]
Writes bench/results/published_models.md and .json; progress goes to stderr.
"""
from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Mapping, Sequence

if TYPE_CHECKING:  # pragma: no cover
    from mtorlogic.dynamics.results import Limits
    from mtorlogic.model import Model

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
PUBLISHED = HERE / "published"
DEFAULT_MAPPING = PUBLISHED / "mapping.toml"
DEFAULT_OUT = HERE / "results" / "published_models"
REFERENCE = "mtorlogic"
"""The mapping's key for the curated model, against which every other model is compared."""

STATUS_SHORT = {"on": "on", "off": "off", "oscillates": "osc", "mixed": "mixed"}
MARK = {"agree": "✓", "partial": "~", "differ": "✗", "n/a": "", "clamp": ""}


def log(*parts: object) -> None:
    print(*parts, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- the mapping


@dataclass(frozen=True)
class ModelSpec:
    """One model of the mapping file, in its own node names.

    ``environment``: the basal clamps (every input, plus memory nodes a cell line fixes);
    ``perturbations``: perturbation key -> clamps; ``readouts``: readout key -> expression;
    ``seconds``: a tighter time budget per attractor search, for a model whose searches are
    known to run long (the condition is then reported as not computed); ``other_inputs``:
    the value of every input the environment does not name (``None``: each must be named).
    """

    def basal_clamps(self, model: "Model") -> dict[str, int]:
        """The environment with ``other_inputs`` filled in for the inputs it leaves out."""
        if self.other_inputs is None:
            return dict(self.environment)
        return {**dict.fromkeys(model.inputs, self.other_inputs), **self.environment}

    key: str
    label: str
    file: str
    citation: str
    environment: Mapping[str, int]
    perturbations: Mapping[str, Mapping[str, int]]
    readouts: Mapping[str, str]
    seconds: float | None = None       #: the model's own budget per attractor search
    other_inputs: int | None = None    #: value of the inputs ``environment`` leaves out


@dataclass(frozen=True)
class Comparison:
    """The whole mapping file: the row names and every model's spec (reference first)."""

    path: Path
    perturbations: Mapping[str, str]
    readouts: Mapping[str, str]
    models: tuple[ModelSpec, ...]

    def model(self, key: str) -> ModelSpec:
        for spec in self.models:
            if spec.key == key:
                return spec
        raise KeyError(key)


def _clamps(table: object, where: str, source: str) -> dict[str, int]:
    from mtorlogic.errors import InputError

    if not isinstance(table, dict):
        raise InputError("expected a table of node = 0 or 1", source, key=where)
    for node, value in table.items():
        if isinstance(value, bool) or value not in (0, 1):
            raise InputError(f"{node!r} must be 0 or 1, not {value!r}", source, key=where)
    return dict(table)


def load_mapping(path: str | os.PathLike = DEFAULT_MAPPING) -> Comparison:
    """Read and shape-check a mapping file (node names are checked by :func:`validate`).

    :raises InputError: naming the file and key of a missing or malformed entry.
    """
    from mtorlogic.errors import InputError

    path = Path(path)
    source = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("no such file", source) from None
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"not valid TOML ({error})", source) from None
    for section in ("perturbations", "readouts", "models"):
        if not isinstance(data.get(section), dict) or not data[section]:
            raise InputError(f"missing or empty [{section}]", source)
    if REFERENCE not in data["models"]:
        raise InputError(f"no [models.{REFERENCE}] (the curated model)", source)
    specs = []
    for key in [REFERENCE] + [k for k in data["models"] if k != REFERENCE]:
        entry = data["models"][key]
        where = f"models.{key}"
        for field in ("label", "file"):
            if not isinstance(entry.get(field), str):
                raise InputError(f"missing {field!r}", source, key=where)
        perturbations = {}
        for name, clamps in entry.get("perturbations", {}).items():
            if name not in data["perturbations"] or name == "basal":
                raise InputError(f"unknown perturbation {name!r} (not in [perturbations], "
                                 "or 'basal')", source, key=f"{where}.perturbations")
            perturbations[name] = _clamps(clamps, f"{where}.perturbations.{name}", source)
        readouts = {}
        for name, text in entry.get("readouts", {}).items():
            if name not in data["readouts"] or not isinstance(text, str):
                raise InputError(f"unknown readout {name!r} or not a string expression",
                                 source, key=f"{where}.readouts")
            readouts[name] = text
        seconds = entry.get("seconds")
        if seconds is not None and (isinstance(seconds, bool)
                                    or not isinstance(seconds, (int, float)) or seconds <= 0):
            raise InputError(f"seconds must be a positive number, not {seconds!r}", source,
                             key=f"{where}.seconds")
        environment = _clamps(entry.get("environment", {}), f"{where}.environment", source)
        other = entry.get("other_inputs")
        if other is not None and (isinstance(other, bool) or other not in (0, 1)):
            raise InputError(f"other_inputs must be 0 or 1, not {other!r}", source,
                             key=f"{where}.other_inputs")
        specs.append(ModelSpec(key, entry["label"], entry["file"], entry.get("citation", ""),
                               environment, perturbations, readouts, seconds, other))
    return Comparison(path, dict(data["perturbations"]), dict(data["readouts"]), tuple(specs))


def model_path(spec: ModelSpec, override: str | None = None) -> str:
    """Where ``spec``'s model file is: ``override`` for the curated model when given, the
    bundled model for ``mtor``, else a file in ``bench/published/``."""
    if spec.key == REFERENCE:
        return override or spec.file
    return str(PUBLISHED / spec.file)


def validate(spec: ModelSpec, model: "Model", source: str) -> None:
    """Check ``spec`` against ``model``: every node it names exists, every input is set.

    :raises InputError: naming the mapping file, the key and the unknown node or missing
        inputs (this is what catches a typo in the mapping).
    """
    from mtorlogic.errors import InputError
    from mtorlogic.expressions import parse, variables

    where = f"models.{spec.key}"

    def known(nodes, key):
        unknown = sorted(set(nodes) - set(model.names))
        if unknown:
            raise InputError(f"names node(s) {', '.join(unknown)} that {spec.file} does not "
                             "have", source, key=key)

    known(spec.environment, f"{where}.environment")
    for name, clamps in spec.perturbations.items():
        known(clamps, f"{where}.perturbations.{name}")
    for name, text in spec.readouts.items():
        known(variables(parse(text, source=source)), f"{where}.readouts.{name}")
    missing = [name for name in model.inputs if name not in spec.environment]
    if missing and spec.other_inputs is None:
        raise InputError(f"input(s) {', '.join(missing)} of {spec.file} left free: give "
                         "every input a value", source, key=f"{where}.environment")


def readout_nodes(spec: ModelSpec, model: "Model") -> tuple["Model", dict[str, str]]:
    """``model`` with one output node per compound readout, and readout key -> node name.

    A readout that is a single node is read directly; any other expression gets a node
    ``readout__KEY`` whose function is the expression and which no node reads."""
    from mtorlogic.expressions import parse, symbol
    from mtorlogic.model import Node, make_model

    extra, names = [], {}
    for key, text in spec.readouts.items():
        expression = parse(text)
        if expression == symbol(text.strip()) and text.strip() in model.names:
            names[key] = text.strip()
            continue
        name = f"readout__{key}"
        while name in model.names:
            name += "_"
        extra.append(Node(name, expression, description=f"readout {key}: {text}"))
        names[key] = name
    if not extra:
        return model, names
    return make_model(model.nodes + tuple(extra), name=model.name, source=model.source), names


# ----------------------------------------------------------------------------- running


@dataclass(frozen=True)
class Condition:
    """What one model does in one condition (basal or a perturbation)."""

    perturbation: str
    clamps: Mapping[str, int]
    status: Mapping[str, str]          #: readout key -> on/off/oscillates/mixed
    clamped: frozenset[str]            #: readouts whose nodes are all clamped here
    attractors: int
    sizes: tuple[int, ...]
    seconds: float
    error: str | None = None


def run_model(spec: ModelSpec, model: "Model", perturbations: Sequence[str], *,
              limits: "Limits | None" = None) -> dict[str, Condition]:
    """Every condition of ``spec`` (``basal`` first) on ``model``, asynchronous semantics.

    Perturbations the spec does not define are left out. A condition whose attractor search
    hits a limit is recorded with its error (and no statuses) instead of stopping the run.
    """
    from mtorlogic.dynamics.results import Limits
    from mtorlogic.errors import LimitExceeded
    from mtorlogic.expressions import parse, variables
    from mtorlogic.readouts import run_scenario
    from mtorlogic.scenarios import Scenario

    limits = limits or Limits()
    if spec.seconds is not None and (limits.seconds is None or spec.seconds < limits.seconds):
        limits = replace(limits, seconds=float(spec.seconds))
    augmented, nodes = readout_nodes(spec, model)
    reads = {key: variables(parse(text)) for key, text in spec.readouts.items()}
    cache: dict = {}

    def scenario(name: str, clamps: Mapping[str, int], initial=None) -> Scenario:
        inputs = {n: v for n, v in clamps.items() if n in augmented.inputs}
        others = {n: v for n, v in clamps.items() if n not in augmented.inputs}
        return Scenario(path=Path(spec.key) / name, name=name,
                        model_path=f"{spec.file}#{spec.key}", model=augmented,
                        inputs=inputs, mutations=others, initial=initial)

    environment = spec.basal_clamps(model)
    basal = scenario("basal", environment)
    results = {}
    for name in ["basal"] + [p for p in perturbations if p in spec.perturbations]:
        perturbation = {} if name == "basal" else spec.perturbations[name]
        clamps = {**environment, **perturbation}
        current = basal if name == "basal" else scenario(name, clamps, initial=basal)
        clamped = frozenset(key for key, used in reads.items()
                            if used and used <= set(perturbation))
        started = time.monotonic()
        try:
            result = run_scenario(current, cache, limits=limits)
        except LimitExceeded as error:
            results[name] = Condition(name, perturbation, {}, clamped, 0, (),
                                      time.monotonic() - started, str(error))
            continue
        results[name] = Condition(
            name, perturbation, {key: result.status[node] for key, node in nodes.items()},
            clamped, len(result.attractors), tuple(a.size for a in result.attractors),
            time.monotonic() - started)
    return results


def agreement(ours: str | None, theirs: str | None) -> str:
    """``agree``, ``partial``, ``differ`` or ``n/a`` for two statuses (``None`` = absent)."""
    if ours is None or theirs is None:
        return "n/a"
    if ours == theirs:
        return "agree"
    if {ours, theirs} == {"on", "off"}:
        return "differ"
    return "partial"


# ----------------------------------------------------------------------------- provenance


def provenance(path: str) -> dict:
    """The model file's SHA-256 and, when it is in a git work tree, the last commit that
    touched it and whether it has uncommitted changes."""
    from mtorlogic.formats import bundled_model_path

    file = Path(bundled_model_path() if path == "mtor" else path).resolve()
    info: dict = {"file": str(file), "sha256": hashlib.sha256(file.read_bytes()).hexdigest()}
    try:
        def git(*args: str) -> str:
            return subprocess.run(["git", "-C", str(file.parent), *args], check=True,
                                  capture_output=True, text=True).stdout.strip()
        info["commit"] = git("log", "-1", "--format=%H", "--", file.name) or None
        info["head"] = git("rev-parse", "HEAD")
        info["branch"] = git("rev-parse", "--abbrev-ref", "HEAD")
        info["modified"] = bool(git("status", "--porcelain", "--", file.name))
    except (OSError, subprocess.CalledProcessError):
        pass
    return info


# ----------------------------------------------------------------------------- comparing


def compare(mapping: Comparison, *, model_override: str | None = None,
            only: Sequence[str] = (), limits: "Limits | None" = None) -> dict:
    """Run every model of ``mapping`` (or the curated model and those in ``only``) and
    compare each with the curated one. Returns the JSON-ready result (see ``--help``)."""
    from mtorlogic import load_model

    perturbations = list(mapping.perturbations)
    chosen = [s for s in mapping.models if s.key == REFERENCE or not only or s.key in only]
    runs: dict[str, dict[str, Condition]] = {}
    models_json = []
    for spec in chosen:
        path = model_path(spec, model_override)
        model = load_model(path)
        validate(spec, model, str(mapping.path))
        log(f"{spec.key}: {len(model)} nodes, {len(model.inputs)} inputs")
        runs[spec.key] = run_model(spec, model, perturbations, limits=limits)
        models_json.append({"key": spec.key, "label": spec.label, "citation": spec.citation,
                            "nodes": len(model), "environment": spec.basal_clamps(model),
                            "readouts": dict(spec.readouts),
                            "perturbations": {k: dict(v) for k, v in spec.perturbations.items()},
                            "source": provenance(path) if spec.key == REFERENCE else
                            {"file": f"bench/published/{spec.file}"}})
    ours = runs[REFERENCE]
    table = []
    for perturbation in perturbations:
        for readout in mapping.readouts:
            ours_condition = ours.get(perturbation)
            ours_status = ours_condition.status.get(readout) if ours_condition else None
            cells: dict[str, dict] = {}
            for spec in chosen:
                condition = runs[spec.key].get(perturbation)
                status = condition.status.get(readout) if condition else None
                cell = {"status": status,
                        "clamped": bool(condition and readout in condition.clamped)}
                if spec.key != REFERENCE:
                    both_clamped = cell["clamped"] and bool(
                        ours_condition and readout in ours_condition.clamped)
                    cell["agreement"] = ("clamp" if both_clamped and status is not None
                                         else agreement(ours_status, status))
                cells[spec.key] = cell
            table.append({"perturbation": perturbation, "readout": readout, "models": cells})
    conditions = {key: {name: {"clamps": dict(c.clamps), "attractors": c.attractors,
                               "sizes": list(c.sizes), "seconds": round(c.seconds, 3),
                               "error": c.error, "status": dict(c.status)}
                        for name, c in run.items()}
                  for key, run in runs.items()}
    return {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "semantics": "asynchronous", "mapping": str(mapping.path),
            "perturbations": dict(mapping.perturbations), "readouts": dict(mapping.readouts),
            "models": models_json, "conditions": conditions, "table": table,
            "summary": summarize(table, [s.key for s in chosen if s.key != REFERENCE],
                                 list(mapping.readouts))}


def summarize(table: list[dict], keys: Sequence[str], readouts: Sequence[str]) -> dict:
    """Counts of agree/partial/differ per published model and per readout (cells that
    restate a clamp in both models, and n/a cells, are not counted)."""
    def empty() -> dict:
        return {"agree": 0, "partial": 0, "differ": 0}
    per_model = {key: empty() for key in keys}
    per_readout = {readout: empty() for readout in readouts}
    per_pair = {readout: {key: empty() for key in keys} for readout in readouts}
    for row in table:
        for key in keys:
            verdict = row["models"][key]["agreement"]
            if verdict in ("agree", "partial", "differ"):
                per_model[key][verdict] += 1
                per_readout[row["readout"]][verdict] += 1
                per_pair[row["readout"]][key][verdict] += 1
    return {"per_model": per_model, "per_readout": per_readout,
            "per_readout_and_model": per_pair}


def _counts(counts: dict) -> str:
    """``agree/compared`` plus the partial ones: ``5/7 (1~)``; ``–`` when none compared."""
    total = sum(counts.values())
    if not total:
        return "–"
    partial = f" ({counts['partial']}~)" if counts["partial"] else ""
    return f"{counts['agree']}/{total}{partial}"


# ----------------------------------------------------------------------------- writing


def _cell(cell: dict, reference: bool) -> str:
    status = cell["status"]
    if status is None:
        return "n/a" if not reference else "–"
    text = STATUS_SHORT[status] + ("\\*" if cell["clamped"] else "")
    mark = "" if reference else MARK[cell["agreement"]]
    return f"{text} {mark}".strip()


def markdown(result: dict) -> str:
    """The result as Markdown: one table per condition, then the agreement counts."""
    models = result["models"]
    short = {m["key"]: m["key"] for m in models}
    source = models[0]["source"]
    lines = ["# Published mTOR models vs the curated model", "",
             f"Made by `bench/published_models.py` on {result['date']}, asynchronous "
             "semantics, mapping `bench/published/mapping.toml`.",
             f"Curated model: `{Path(source['file']).name}` sha256 {source['sha256'][:12]}"
             + (f", last changed in commit {source['commit'][:10]}" if source.get("commit")
                else "")
             + (f" (branch `{source['branch']}` at {source['head'][:10]})"
                if source.get("head") else "")
             + (", with uncommitted changes" if source.get("modified") else "") + ".", "",
             "Status over the attractors reached: on, off, osc (oscillates in every "
             "attractor), mixed (differs between attractors); `\\*` the readout's nodes are "
             "clamped by the perturbation; n/a the model has no such readout or "
             "perturbation. Against mtorlogic: ✓ same status, ~ partial (one side "
             "oscillates or is mixed), ✗ opposite.", "",
             "| model | nodes | reference |", "|---|---|---|"]
    for m in models:
        lines.append(f"| {m['key']} | {m['nodes']} | {m['label']}; {m['citation']} |")
    lines.append("")
    for perturbation, label in result["perturbations"].items():
        rows = [r for r in result["table"] if r["perturbation"] == perturbation]
        present = [m["key"] for m in models
                   if perturbation in result["conditions"][m["key"]]]
        lines += [f"## {label} (`{perturbation}`)", ""]
        errors = [f"- {m['key']}: not computed ({condition['error']})" for m in models
                  if (condition := result["conditions"][m["key"]].get(perturbation))
                  and condition["error"]]
        if errors:
            lines += errors + [""]
        if not present:
            continue
        lines += ["| readout | " + " | ".join(short[k] for k in short) + " |",
                  "|---|" + "---|" * len(short)]
        for row in rows:
            if all(c["status"] is None for c in row["models"].values()):
                continue
            cells = [_cell(row["models"][k], k == REFERENCE) for k in short]
            lines.append(f"| {row['readout']} | " + " | ".join(cells) + " |")
        attractors = ", ".join(
            f"{k} {result['conditions'][k][perturbation]['attractors']}"
            for k in short if perturbation in result["conditions"][k])
        lines += ["", f"Attractors reached: {attractors}.", ""]
    summary = result["summary"]
    keys = list(summary["per_model"])
    lines += ["## Agreement with mtorlogic", "",
              "Cells where both models have the readout and the condition, over every "
              "condition: agreeing / compared, with the partial ones (~) in brackets; the "
              "rest are opposite. Cells restating a clamp in both models are not counted.", "",
              "| readout | " + " | ".join(keys) + " | all |",
              "|---|" + "---|" * (len(keys) + 1)]
    for readout, per_model in summary["per_readout_and_model"].items():
        lines.append(f"| {readout} | " + " | ".join(_counts(per_model[k]) for k in keys)
                     + f" | {_counts(summary['per_readout'][readout])} |")
    lines.append("| all | " + " | ".join(_counts(summary["per_model"][k]) for k in keys)
                 + " | " + _counts({v: sum(c[v] for c in summary["per_model"].values())
                                   for v in ("agree", "partial", "differ")}) + " |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="the curated model's file (default: the bundled "
                        "rules/mtor.rules)")
    parser.add_argument("--mapping", default=str(DEFAULT_MAPPING),
                        help="mapping file (default: bench/published/mapping.toml)")
    parser.add_argument("--only", nargs="+", default=(), metavar="KEY",
                        help="published models to run (mapping keys; default: all)")
    parser.add_argument("--out", default=str(DEFAULT_OUT),
                        help="output prefix (default: bench/results/published_models)")
    parser.add_argument("--seconds", type=float, default=600.0,
                        help="time budget of one attractor search (default 600)")
    args = parser.parse_args(argv)

    from mtorlogic.dynamics.results import Limits
    from mtorlogic.errors import MtorlogicError

    try:
        mapping = load_mapping(args.mapping)
        unknown = sorted(set(args.only) - {s.key for s in mapping.models})
        if unknown:
            parser.error(f"--only: no model {', '.join(unknown)} in {args.mapping}")
        result = compare(mapping, model_override=args.model, only=args.only,
                         limits=Limits(seconds=args.seconds))
    except MtorlogicError as error:
        print(f"published_models: {error}", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n",
                                        encoding="utf-8")
    out.with_suffix(".md").write_text(markdown(result), encoding="utf-8")
    log(f"wrote {out.with_suffix('.md')} and .json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
