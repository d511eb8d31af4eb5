"""Running a screen on a Dask distributed cluster (``mtorlogic screen --scheduler ADDRESS``).

The workers need mtorlogic installed (the same version); they need no files: the screen's
spec carries the clamped networks as text and is sent to every worker once
(``Client.scatter(..., broadcast=True)``). Chunks of perturbations are then submitted as
tasks (the two phases of :func:`~mtorlogic.analysis.execution.run_two_phase`), and each
worker process keeps one engine with its caches. Results come back in completion order; the caller
stores them and reports in enumeration order, so the output equals a local run's.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator, Sequence

from ..errors import InputError
from .spec import ScreenSpec

CONNECT_SECONDS = 5
"""How long to wait for the scheduler before giving up with a clear message."""


def connect(address: str, timeout: float = CONNECT_SECONDS) -> Any:
    """A ``distributed.Client`` for the scheduler at ``address``.

    :raises InputError: when dask.distributed is missing or the scheduler cannot be
        reached in ``timeout`` seconds.
    """
    try:
        from distributed import Client
    except ImportError:
        raise InputError("--scheduler needs dask.distributed: pip install "
                         "'mtorlogic[cluster]'") from None
    _probe(address, timeout)
    import logging

    class QuietClient(Client):
        """A client that, when it cannot connect, stops its event loop at once instead of
        trying to say goodbye to the scheduler at exit (a long wait and a traceback)."""

        failed = False

        def start(self, **kwargs: Any) -> Any:
            try:
                return super().start(**kwargs)
            except BaseException:
                self.failed = True
                try:
                    self._loop_runner.stop()
                except Exception:  # noqa: BLE001 - best effort while failing anyway
                    pass
                raise

        def __del__(self) -> None:
            if not self.failed:
                super().__del__()

    # distributed logs every failed connection attempt; the message below says it all
    logger = logging.getLogger("distributed")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        return QuietClient(address, timeout=f"{timeout}s", set_as_default=False)
    except Exception as error:  # OSError, TimeoutError, ValueError for a bad address...
        reason = str(error).splitlines()[0] if str(error) else error.__class__.__name__
        raise InputError(f"cannot reach the Dask scheduler at {address!r} within {timeout:g} s "
                         f"({reason})", "--scheduler") from None
    finally:
        logger.setLevel(level)


def _probe(address: str, timeout: float) -> None:
    """Fail at once when nothing listens at a ``tcp://host:port`` address (the client
    would otherwise retry until its timeout); other addresses are left to the client."""
    import socket
    from urllib.parse import urlsplit

    text = address if "://" in address else f"tcp://{address}"
    try:
        parts = urlsplit(text)
        host, port = parts.hostname, parts.port
    except ValueError:
        raise InputError(f"{address!r} is not a scheduler address (tcp://host:port)",
                         "--scheduler") from None
    if parts.scheme != "tcp" or not host or not port:
        return
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except OSError as error:
        reason = error.strerror or str(error) or error.__class__.__name__
        raise InputError(f"cannot reach the Dask scheduler at {address!r} ({reason})",
                         "--scheduler") from None


class DaskMapper:
    """Tasks on a Dask cluster (see :func:`mtorlogic.analysis.execution.run_two_phase`)."""

    def __init__(self, address: str, spec: ScreenSpec):
        self.client = connect(address)
        try:
            self.shared = self.client.scatter(spec, broadcast=True, hash=False)
            self.workers = max(1, sum(self.client.nthreads().values()))
        except Exception:
            self.client.close()
            raise

    def __enter__(self) -> "DaskMapper":
        return self

    def __exit__(self, *exc: object) -> None:
        with _quiet():
            try:
                self.client.close(timeout=CONNECT_SECONDS)
            except Exception:  # noqa: BLE001 - the scheduler may be gone already
                pass

    def map(self, kind: str, payloads: Sequence[list]) -> Iterator[tuple[int, list]]:
        from distributed import as_completed

        from .workers import ScreenError, judge_spaces, triage_chunk

        function = triage_chunk if kind == "triage" else judge_spaces
        with _quiet():
            try:
                futures = {self.client.submit(function, self.shared, payload, pure=False): index
                           for index, payload in enumerate(payloads)}
                try:
                    for future in as_completed(futures, loop=self.client.loop):
                        yield futures[future], future.result()
                finally:
                    for future in futures:
                        future.cancel()
            except ScreenError:
                raise
            except Exception as error:  # the scheduler or its workers went away
                reason = str(error).splitlines()[0] if str(error) else type(error).__name__
                raise ScreenError(f"the Dask cluster stopped answering ({reason}); verdicts "
                                  "already written to --output are kept: rerun with --resume"
                                  ) from None


@contextmanager
def _quiet() -> Iterator[None]:
    """distributed logs every lost connection with a traceback (89 lines when a scheduler
    was killed mid-screen); the one-line error raised instead says it all."""
    import logging

    # distributed sets levels on its child loggers and handlers on "distributed"; the
    # handlers see every record that propagates, so their levels are what silences it
    handlers = [(h, h.level) for h in logging.getLogger("distributed").handlers]
    for handler, _ in handlers:
        handler.setLevel(logging.CRITICAL + 1)
    yield
    # Restored only on success: after a lost scheduler, the client's thread keeps
    # reporting its reconnection attempts until the process exits.
    for handler, level in handlers:
        handler.setLevel(level)
