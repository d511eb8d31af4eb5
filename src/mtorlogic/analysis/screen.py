"""Perturbation screens: which single and combined perturbations give a target phenotype.

A screen starts from one or more base scenarios (SPEC §3 files), enumerates perturbations
(node knockouts ``X=0``, constitutive activations ``X=1``, drugs set to 1) and judges a
target expression in the attractors each perturbation reaches (:mod:`.verdicts`). This
module builds the screen from the command line's choices, enumerates it, runs it serially,
on a local process pool or on a Dask cluster (:mod:`.cluster`), and keeps results in an
append-only JSON-lines file so that an interrupted screen resumes where it stopped.

Decisions:

- Several base scenarios are one screen: a perturbation's verdict is judged over the
  attractors reached in *all* of them (so ``always`` means "in every base"); each base's
  own verdict is kept beside it. Likewise ``--semantics all`` judges over the attractors of
  the three semantics and keeps each semantics' verdict.
- The default candidates are the knockout and the activation of every non-input node,
  plus each drug input (set to 1). Drugs are the inputs named in :data:`KNOWN_DRUGS`
  (SPEC §2's and the other inhibitors of the bundled model), or ``--drugs``.
- A perturbation overrides the base's clamps (``TSC=1`` on a TSC-null base restores TSC).
  Sets never hold two values of one node. The empty perturbation (the base alone) is
  always screened first: it is the control that minimality is measured against.
- Results are identical however the screen runs: each verdict is a deterministic function
  of the spec and the perturbation, and reports follow the enumeration order.
"""
from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from ..dynamics.results import SEMANTICS, Limits
from ..errors import InputError
from .verdicts import BaseSpec, Items, ScreenSpec, combine

KNOWN_DRUGS = ("Rapamycin", "Rapamycin_chronic", "Torin1", "PP242", "AZD8055", "Dactolisib",
               "PI103", "Metformin", "LY294002", "Wortmannin", "Alpelisib", "MK2206", "U0126",
               "AICAR")
"""Drug inputs screened by default when the model has them (SPEC §2 names first)."""

MAX_PERTURBATIONS = 5_000_000
"""Larger screens are refused with a hint (memory, and days of work)."""

FILE_KIND = "mtorlogic-screen"
FILE_VERSION = 1


def key_of(items: Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    """The order-independent identity of a perturbation."""
    return tuple(sorted((str(n), int(v)) for n, v in items))


def label(items: Items) -> str:
    """``TSC=0 + Rapamycin=1``; ``(base alone)`` for the empty perturbation."""
    return " + ".join(f"{name}={value}" for name, value in items) or "(base alone)"


# ---------------------------------------------------------------------------------------
# building a screen


def parse_target(text: str, models: Sequence) -> str:
    """Check a target expression against the models; returns it normalised.

    :raises InputError: naming ``--target`` on a syntax error or an unknown node.
    """
    from ..expressions import parse, to_text, variables
    from ..scenarios import _suggest

    try:
        expression = parse(text)
    except InputError as error:
        raise InputError(error.message, "--target") from None
    for model in models:
        unknown = sorted(variables(expression) - set(model.names))
        if unknown:
            name = unknown[0]
            raise InputError(f"unknown node {name!r}{_suggest(name, model.names)} in the target "
                             f"(model {model.source or model.name})", "--target")
    return to_text(expression)


def build_spec(scenarios: Sequence, target: str, *, semantics: str | None = None,
               limits: Limits = Limits()) -> ScreenSpec:
    """The :class:`ScreenSpec` of a screen over ``scenarios`` (loaded :class:`Scenario`
    objects). ``semantics``: ``None`` for each scenario's own, one of SEMANTICS, or
    ``"all"``. A scenario with ``initial`` has that phase's attractors computed here, once.
    """
    from ..expressions import to_text
    from ..readouts import reached_attractors

    if semantics not in (None, "all") + SEMANTICS:
        raise InputError(f"unknown semantics {semantics!r}; choose one of "
                         f"{', '.join(SEMANTICS + ('all',))}")
    target = parse_target(target, [scenario.model for scenario in scenarios])
    cache: dict = {}
    bases = []
    for scenario in scenarios:
        model = scenario.model.clamp(scenario.clamps, reason=f"scenario {scenario.label}")
        chosen = SEMANTICS if semantics == "all" else (semantics or scenario.semantics,)
        starts = None
        if scenario.initial is not None:
            before = reached_attractors(scenario.initial, cache, limits=limits)
            names = scenario.initial.model.names
            found: dict[tuple, None] = {}
            for attractor in before:
                if attractor.states is not None:
                    for state in attractor.states:
                        found.setdefault(tuple(zip(names, state)))
                else:
                    found.setdefault(tuple((n, v) for n, v in attractor.values.items()
                                           if v != "*"))
            starts = tuple(found)
        bases.append(BaseSpec(label=str(scenario.path), names=model.names,
                              functions=tuple(to_text(node.function) for node in model.nodes),
                              semantics=tuple(chosen), clamps=tuple(scenario.clamps.items()),
                              starts=starts))
    return ScreenSpec(target, tuple(bases), limits)


def default_drugs(model) -> list[str]:
    return [name for name in KNOWN_DRUGS if name in model.inputs]


def _node(name: str, models: Sequence, option: str) -> str:
    from ..scenarios import _suggest

    for model in models:
        if name not in model:
            raise InputError(f"unknown node {name!r}{_suggest(name, model.names)} "
                             f"(model {model.source or model.name})", option)
    return name


def parse_items(text: str, models: Sequence, drugs: Iterable[str],
                option: str = "--nodes") -> list[tuple[str, int]]:
    """``A,B=0,Rapamycin``: a bare non-input node gives its knockout and its activation, a
    bare drug input gives drug=1, a bare other input both values, ``NODE=0|1`` just that.
    """
    drugs = set(drugs) | set(KNOWN_DRUGS)
    items: list[tuple[str, int]] = []
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        name, equals, value = (part.strip() for part in entry.partition("="))
        _node(name, models, option)
        if equals:
            if value not in ("0", "1"):
                raise InputError(f"expected NODE, NODE=0 or NODE=1, not {entry!r}", option)
            items.append((name, int(value)))
        elif name in drugs and all(name in model.inputs for model in models):
            items.append((name, 1))
        else:
            items.extend([(name, 0), (name, 1)])
    return list(dict.fromkeys(items))


def parse_drugs(text: str | None, models: Sequence) -> list[tuple[str, int]]:
    """``--drugs``: drug inputs set to 1 (``none`` for no drug); default :data:`KNOWN_DRUGS`
    present in every model."""
    if text is None:
        names = [name for name in default_drugs(models[0])
                 if all(name in model.inputs for model in models)]
    elif text.strip().lower() == "none":
        names = []
    else:
        names = []
        for name in (part.strip() for part in text.split(",")):
            if not name:
                continue
            _node(name, models, "--drugs")
            for model in models:
                if name not in model.inputs:
                    raise InputError(f"{name!r} is not an input of model "
                                     f"{model.source or model.name}; a drug is an input set to "
                                     "1 (perturb other nodes with --nodes)", "--drugs")
            names.append(name)
    return [(name, 1) for name in dict.fromkeys(names)]


def default_items(models: Sequence) -> list[tuple[str, int]]:
    """Knockout and activation of every non-input node of the first model (that every
    model has)."""
    first = models[0]
    return [(name, value) for name in first.names if name not in first.inputs
            and all(name in model for model in models) for value in (0, 1)]


def subsets(items: Sequence[tuple[str, int]], max_size: int) -> Iterator[Items]:
    """The empty set, then every set of 1..max_size items (no node twice), by size and in
    item order."""
    yield ()
    for size in range(1, max_size + 1):
        for chosen in combinations(items, size):
            if len({name for name, _ in chosen}) == size:
                yield chosen


def count_subsets(items: Sequence[tuple[str, int]], max_size: int) -> int:
    """How many sets :func:`subsets` yields, without listing them."""
    groups: dict[str, int] = {}
    for name, _ in items:
        groups[name] = groups.get(name, 0) + 1
    # polynomial product over nodes of (1 + c x), truncated at degree max_size
    poly = [1] + [0] * max_size
    for count in groups.values():
        for degree in range(max_size, 0, -1):
            poly[degree] += count * poly[degree - 1]
    return sum(poly)


def grid(drugs: Sequence[tuple[str, int]], mutations: Sequence[tuple[str, int]],
         max_size: int) -> Iterator[Items]:
    """Every combination of up to ``max_size`` mutations with up to ``max_size`` drugs
    (either may be none): mutation sets in order, each with every drug set."""
    drug_sets = list(subsets(drugs, max_size))
    for mutation_set in subsets(mutations, max_size):
        mutated = {name for name, _ in mutation_set}
        for drug_set in drug_sets:
            if not mutated & {name for name, _ in drug_set}:
                yield mutation_set + drug_set


@dataclass(frozen=True)
class Plan:
    """What to screen: ``perturbations`` in report order. ``items`` are the candidates
    (subset mode), ``drugs`` those of them that are drugs; in grid mode ``drugs`` and
    ``mutations`` are the two axes."""

    perturbations: tuple[Items, ...]
    max_size: int
    items: tuple[tuple[str, int], ...] = ()
    drugs: tuple[tuple[str, int], ...] = ()
    mutations: tuple[tuple[str, int], ...] = ()
    is_grid: bool = False


def plan(models: Sequence, *, nodes: str | None = None, drugs: str | None = None,
         max_size: int | None = None, is_grid: bool = False) -> Plan:
    """Enumerate a screen (see the command's help for the options' meaning).

    :raises InputError: on unknown nodes, or when nothing would be perturbed.
    """
    drug_items = parse_drugs(drugs, models)
    only_drugs = nodes is not None and nodes.strip().lower() == "none"
    if only_drugs:
        chosen = []
    elif nodes is not None:
        chosen = parse_items(nodes, models, [name for name, _ in drug_items])
    else:
        chosen = default_items(models)
    if is_grid:
        size = 1 if max_size is None else max_size
        mutations = [item for item in chosen if item not in drug_items]
        if not drug_items and not mutations:
            raise InputError("nothing to screen: the grid has no drug and no mutation "
                             "(check --nodes and --drugs)")
        total = count_subsets(drug_items, size) * count_subsets(mutations, size)
        _check_total(total)
        return Plan(tuple(grid(drug_items, mutations, size)), size, drugs=tuple(drug_items),
                    mutations=tuple(mutations), is_grid=True)
    size = 2 if max_size is None else max_size
    items = chosen + ([item for item in drug_items if item not in chosen]
                      if nodes is None or only_drugs or drugs is not None else [])
    if not items:
        raise InputError("nothing to screen: the perturbation set is empty (check --nodes "
                         "and --drugs)")
    _check_total(count_subsets(items, size))
    drug_names = {name for name, _ in drug_items} | set(KNOWN_DRUGS)
    return Plan(tuple(subsets(items, size)), size, items=tuple(items),
                drugs=tuple(item for item in items if item[0] in drug_names
                            and all(item[0] in model.inputs for model in models)))


def _check_total(total: int) -> None:
    if total > MAX_PERTURBATIONS:
        raise InputError(f"the screen would have {total:,} perturbations (more than "
                         f"{MAX_PERTURBATIONS:,}); lower --max-size or choose --nodes")


# ---------------------------------------------------------------------------------------
# the results file


@dataclass
class ResultFile:
    """An append-only JSON-lines file of finished verdicts.

    The first line describes the screen (``fingerprint`` of :class:`ScreenSpec`, target,
    scenarios and semantics); each further line is one finished perturbation::

        {"perturbation": {"TSC": 0}, "verdict": "always", "verdicts": [["always"]]}

    with ``verdicts`` per scenario and semantics in the header's order. Every line is
    written with one ``write`` call on a file opened for appending, so a screen killed at
    any moment leaves whole lines, at worst followed by one cut-off line, which
    :meth:`load` drops (and truncates) before the file grows again.
    """

    path: Path
    spec: ScreenSpec
    header: dict = field(init=False)

    def __post_init__(self) -> None:
        self.path = Path(self.path)
        self.header = {"kind": FILE_KIND, "version": FILE_VERSION,
                       "fingerprint": self.spec.fingerprint, "target": self.spec.target,
                       "scenarios": [base.label for base in self.spec.bases],
                       "semantics": [list(base.semantics) for base in self.spec.bases]}

    def start(self, resume: bool) -> dict[tuple, list[list[str]]]:
        """Open the file for a new screen (it must not exist unless ``resume``) or to
        resume one; returns the verdicts already in it, by :func:`key_of`."""
        if self.path.exists() and self.path.stat().st_size > 0:
            if not resume:
                raise InputError("file exists: pass --resume to continue that screen, or "
                                 "choose another --output", str(self.path))
            return self.load(repair=True)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.exists():
            self.path.unlink()  # empty: a screen killed before its header was written
        self._append([self.header])
        return {}

    def load(self, *, repair: bool = False) -> dict[tuple, list[list[str]]]:
        """The verdicts in the file. With ``repair``, a cut-off last line is removed."""
        source = str(self.path)
        try:
            data = self.path.read_bytes()
        except OSError as error:
            raise InputError(f"cannot read the results file ({error.strerror})", source) from None
        lines = data.split(b"\n")
        complete = lines[:-1]  # whatever follows the last newline was cut off
        if lines[-1].strip():
            try:
                json.loads(lines[-1])
                if repair:
                    # whole but unterminated: the newline was lost; keep the line
                    with open(self.path, "ab") as handle:
                        handle.write(b"\n")
                complete.append(lines[-1])
            except ValueError:
                if repair:
                    os.truncate(self.path, len(data) - len(lines[-1]))
        if not complete:
            raise InputError("not a screen results file (empty)", source)
        try:
            header = json.loads(complete[0])
        except ValueError:
            raise InputError("not a screen results file (bad first line)", source, 1) from None
        if not isinstance(header, dict) or header.get("kind") != FILE_KIND:
            raise InputError("not a screen results file", source, 1)
        if header.get("fingerprint") != self.spec.fingerprint:
            raise InputError("this file holds a different screen (its target, scenarios, "
                             "models or semantics differ); choose another --output", source, 1)
        results: dict[tuple, list[list[str]]] = {}
        shape = [len(base.semantics) for base in self.spec.bases]
        for number, line in enumerate(complete[1:], start=2):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                verdicts = row["verdicts"]
                if [len(v) for v in verdicts] != shape:
                    raise ValueError
                results[key_of(row["perturbation"].items())] = verdicts
            except (ValueError, KeyError, TypeError, AttributeError):
                raise InputError("corrupt line in the results file", source, number) from None
        return results

    def append(self, rows: Sequence[tuple[Items, list[list[str]]]]) -> None:
        self._append([{"perturbation": dict(items),
                       "verdict": combine(v for base in verdicts for v in base),
                       "verdicts": verdicts} for items, verdicts in rows])

    def _append(self, objects: Sequence[dict]) -> None:
        if not objects:
            return
        data = "".join(json.dumps(o, separators=(",", ":")) + "\n" for o in objects).encode()
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            view = memoryview(data)
            while view:  # one call in practice; a loop in case the OS writes less
                written = os.write(descriptor, view)
                view = view[written:]
        finally:
            os.close(descriptor)


# ---------------------------------------------------------------------------------------
# running


Sink = Callable[[Sequence[tuple[Items, list[list[str]]]]], None]

SERIAL_BELOW = 300
"""With the default ``jobs``, screens with fewer pending perturbations than this run in
this process (starting worker processes would cost more than it saves)."""


def chunked(items: Sequence[Items], size: int) -> list[list[Items]]:
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


def chunk_size(pending: int, workers: int) -> int:
    """Contiguous chunks (so that a chunk's sets share their smaller subsets' work), small
    enough for progress and load balance, large enough to amortise dispatch."""
    return max(4, min(200, math.ceil(pending / max(1, workers * 12))))


def run(spec: ScreenSpec, pending: Sequence[Items], sink: Sink, *, jobs: int | None = None,
        scheduler: str | None = None) -> None:
    """Judge every perturbation of ``pending``, handing finished ones to ``sink`` in
    batches as they complete (in any order).

    ``scheduler``: a Dask scheduler address; otherwise ``jobs`` local processes (``None``:
    one per core, or this process alone for small screens; 1: this process).
    """
    if not pending:
        return
    if scheduler is not None:
        from .cluster import DaskMapper

        with DaskMapper(scheduler, spec) as mapper:
            run_two_phase(mapper, pending, sink, mapper.workers)
        return
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers <= 1 or (jobs is None and len(pending) < SERIAL_BELOW):
        run_serial(spec, pending, sink)
    else:
        with PoolMapper(spec, workers) as mapper:
            run_two_phase(mapper, pending, sink, workers)


def run_serial(spec: ScreenSpec, pending: Sequence[Items], sink: Sink) -> None:
    """In this process: one engine, so every cache is shared by the whole screen."""
    from .verdicts import evaluate_chunk

    for chunk in chunked(pending, chunk_size(len(pending), 1)):
        sink(list(zip(chunk, evaluate_chunk(spec, chunk))))


def run_two_phase(mapper, pending: Sequence[Items], sink: Sink, workers: int) -> None:
    """A screen on several workers, each with its own caches, sharing work anyway.

    Phase one: chunks of perturbations are percolated and judged where that is cheap (the
    target is constant on the space, or the worker already knows the space's core);
    finished perturbations go to ``sink`` at once. The others come back as percolated
    spaces with the key of their core network. Phase two: the distinct spaces, grouped by
    core network, are judged, each group by one worker, so every core's attractors are
    computed once and every space judged once, however many perturbations share it.

    ``mapper.map(kind, payloads)`` runs ``"triage"`` (chunks of perturbations) or
    ``"judge"`` (lists of spaces) tasks and yields ``(index, result)`` as they finish.
    """
    from .verdicts import Deferred

    chunks = chunked(pending, chunk_size(len(pending), workers))
    waiting: dict[int, tuple[Items, list[list]]] = {}
    needs: dict[int, int] = {}
    users: dict[tuple, list[int]] = {}
    groups: dict[tuple, list[tuple]] = {}
    for index, rows in mapper.map("triage", chunks):
        ready = []
        for items, verdicts in zip(chunks[index], rows):
            deferred = [(b, v) for b, row in enumerate(verdicts) for v in row
                        if isinstance(v, Deferred)]
            if not deferred:
                ready.append((items, verdicts))
                continue
            number = len(waiting)
            waiting[number] = (items, verdicts)
            spaces = {(b, d.semantics, d.known, d.vals): d.core for b, d in deferred}
            needs[number] = len(spaces)
            for space, core in spaces.items():
                if space not in users:
                    groups.setdefault((space[0], space[1], core), []).append(space)
                users.setdefault(space, []).append(number)
        sink(ready)
    if not waiting:
        return
    tasks = _pack(groups, workers)
    judged: dict[tuple, str] = {}
    for index, verdicts in mapper.map("judge", tasks):
        ready = []
        for space, verdict in zip(tasks[index], verdicts):
            judged[space] = verdict
            for number in users[space]:
                needs[number] -= 1
                if needs[number] == 0:
                    items, rows = waiting.pop(number)
                    ready.append((items, [[judged[(b, v.semantics, v.known, v.vals)]
                                           if isinstance(v, Deferred) else v for v in row]
                                          for b, row in enumerate(rows)]))
        sink(ready)


def _pack(groups: dict[tuple, list[tuple]], workers: int) -> list[list[tuple]]:
    """Tasks of phase two: one per core network, the largest cores (the costliest
    attractor searches) first so that the workers finish together; a group with very many
    spaces is split (its core is then computed by more than one worker)."""
    total = sum(len(group) for group in groups.values())
    cap = max(256, math.ceil(total / max(1, workers * 2)))
    tasks: list[list[tuple]] = []
    for key in sorted(groups, key=lambda k: (-len(k[2][0]), -len(groups[k]))):
        group = groups[key]
        tasks.extend(group[i:i + cap] for i in range(0, len(group), cap))
    return tasks


_INSTALLED: ScreenSpec | None = None


def _install(spec: ScreenSpec) -> None:
    global _INSTALLED
    _INSTALLED = spec


def _run_installed(kind: str, payload: list) -> list:
    from .verdicts import judge_spaces, triage_chunk

    return (triage_chunk if kind == "triage" else judge_spaces)(_INSTALLED, payload)


BROKEN = ("a worker process stopped unexpectedly (out of memory, or killed); verdicts "
          "already written to --output are kept: rerun with --resume (or --jobs 1)")


class PoolMapper:
    """Tasks on a local process pool; the spec is sent once per worker process."""

    def __init__(self, spec: ScreenSpec, workers: int):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        methods = multiprocessing.get_all_start_methods()
        method = "forkserver" if "forkserver" in methods else "spawn"
        context = multiprocessing.get_context(method)
        if method == "forkserver":
            context.set_forkserver_preload(["mtorlogic.analysis.verdicts"])
        self.executor = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                            initializer=_install, initargs=(spec,))

    def __enter__(self) -> "PoolMapper":
        return self

    def __exit__(self, *exc) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)

    def map(self, kind: str, payloads: Sequence[list]) -> Iterator[tuple[int, list]]:
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        from .verdicts import ScreenError

        try:
            waiting = {self.executor.submit(_run_installed, kind, payload): index
                       for index, payload in enumerate(payloads)}
        except BrokenProcessPool:
            raise ScreenError(BROKEN) from None
        try:
            while waiting:
                done, _ = wait(waiting, return_when=FIRST_COMPLETED)
                for future in done:
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        raise ScreenError(BROKEN) from None
                    yield waiting.pop(future), result
        finally:
            for future in waiting:
                future.cancel()


# ---------------------------------------------------------------------------------------
# one call for library users


def screen(spec: ScreenSpec, perturbations: Sequence[Items], *, output: str | os.PathLike | None = None,
           resume: bool = False, jobs: int | None = None, scheduler: str | None = None,
           progress: Callable[[int], None] | None = None) -> dict[tuple, list[list[str]]]:
    """Run a screen and return every perturbation's verdicts (per base, per semantics) by
    :func:`key_of`. With ``output``, finished verdicts are appended to that file as they
    come (see :class:`ResultFile`), ``resume`` continues it, and the returned verdicts are
    read back from it. ``progress`` is called with the number of perturbations finished
    (first with those already in the file)."""
    store = ResultFile(Path(output), spec) if output is not None else None
    results = store.start(resume) if store is not None else {}
    wanted = {key_of(p): p for p in perturbations}
    pending = [p for key, p in wanted.items() if key not in results]
    if progress is not None:
        progress(len(wanted) - len(pending))

    def sink(rows: Sequence[tuple[Items, list[list[str]]]]) -> None:
        if store is not None:
            store.append(rows)
        for items, verdicts in rows:
            results[key_of(items)] = verdicts
        if progress is not None:
            progress(len(rows))

    run(spec, pending, sink, jobs=jobs, scheduler=scheduler)
    if store is not None:
        results = store.load()
    return results
