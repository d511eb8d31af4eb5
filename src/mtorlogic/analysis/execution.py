"""Running a screen: serially, on a local process pool, or on a Dask cluster
(:mod:`.cluster`), with identical results. Workers run :mod:`.workers`."""
from __future__ import annotations

import math
import os
from typing import Any, Callable, Iterator, Protocol, Sequence

from .spec import Items, ScreenSpec

Sink = Callable[[Sequence[tuple[Items, Any]]], None]
"""Receives finished perturbations with their verdicts (per base, per semantics)."""

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
    from .workers import evaluate_chunk

    for chunk in chunked(pending, chunk_size(len(pending), 1)):
        sink(list(zip(chunk, evaluate_chunk(spec, chunk))))


class Mapper(Protocol):
    """Runs screen tasks somewhere (:class:`PoolMapper`, :class:`~.cluster.DaskMapper`)."""

    def map(self, kind: str, payloads: Sequence[list[Any]]) -> Iterator[tuple[int, list[Any]]]:
        """Run ``"triage"`` or ``"judge"`` tasks; yield ``(index, result)`` as they finish."""
        ...


def run_two_phase(mapper: Mapper, pending: Sequence[Items], sink: Sink, workers: int) -> None:
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
    from .workers import Deferred

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


# A pool worker process receives the spec once, through the pool's initializer, and keeps
# it here for every task it runs (process-local: each worker has its own copy).
_INSTALLED: list[ScreenSpec] = []


def _install(spec: ScreenSpec, parent: int) -> None:
    """A pool worker's start: keep the spec, leave Ctrl-C to the parent (which stops the
    pool; workers would each print a traceback), and die with the parent."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _watch_parent(parent)
    _INSTALLED[:] = [spec]


def _watch_parent(parent: int, interval: float = 0.2) -> None:
    """End this process when process ``parent`` ends, however it ends (SIGKILL
    included): a killed screen used to leave its workers, the forkserver and the resource
    tracker running for good, each worker holding the others' pipes open.

    On Linux the kernel does it (``PR_SET_PDEATHSIG``), which also stops a worker deep in
    native code that holds the GIL (aeon), where no Python thread could act; workers are
    then direct children of the command (the pool uses ``spawn``, see
    :class:`PoolMapper`). Elsewhere a thread checks every ``interval`` seconds. The
    resource tracker exits by itself once every process holding its pipe is gone.
    """
    import signal
    import sys
    import threading
    import time

    if sys.platform == "linux":
        import ctypes

        pr_set_pdeathsig = 1
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0) == 0:
            if os.getppid() != parent:  # the parent died before prctl took effect
                os._exit(1)
            return

    def watch() -> None:
        while True:
            time.sleep(interval)
            try:
                os.kill(parent, 0)
            except (ProcessLookupError, PermissionError):  # gone, or the pid reused
                os._exit(1)

    threading.Thread(target=watch, name="mtorlogic-parent-watch", daemon=True).start()


def _run_installed(kind: str, payload: list[Any]) -> list[Any]:
    from .workers import judge_spaces, triage_chunk

    if kind == "triage":
        return triage_chunk(_INSTALLED[0], payload)
    return judge_spaces(_INSTALLED[0], payload)


BROKEN = ("a worker process stopped unexpectedly (out of memory, or killed); verdicts "
          "already written to --output are kept: rerun with --resume (or --jobs 1)")


class PoolMapper:
    """Tasks on a local process pool; the spec is sent once per worker process."""

    def __init__(self, spec: ScreenSpec, workers: int):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # `spawn`, not the forkserver: workers must be children of this process so that
        # they die with it (_watch_parent); a forkserver would outlive a killed command.
        context = multiprocessing.get_context("spawn")
        self.executor = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                            initializer=_install,
                                            initargs=(spec, os.getpid()))

    def __enter__(self) -> "PoolMapper":
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        if kind is not None:
            # Interrupted or failed: stop the workers now rather than wait for the chunks
            # they are judging (minutes on a large model).
            for process in list(getattr(self.executor, "_processes", {}).values()):
                process.terminate()
        self.executor.shutdown(wait=kind is None, cancel_futures=True)

    def map(self, kind: str, payloads: Sequence[list]) -> Iterator[tuple[int, list]]:
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        from .workers import ScreenError

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
