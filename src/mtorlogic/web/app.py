"""The teaching page's server: a small JSON API over mtorlogic, and the page itself.

Everything runs in this process and is served from 127.0.0.1 only: the page (``static/``,
plain HTML, CSS and JavaScript written for it, nothing fetched from elsewhere), the network
picture (:func:`mtorlogic.drawing.draw`), the attractors of the scenario the page sets up
(:func:`mtorlogic.readouts.run_scenario`), time courses
(:func:`mtorlogic.dynamics.population.simulate_scenario`), explanations
(:func:`mtorlogic.analysis.explain.explain`) and exercises
(:mod:`mtorlogic.analysis.exercises`, when installed).

Requests are refused (403) unless they come from a loopback address and name this server
in their ``Host`` header (127.0.0.1 or localhost with its port), which also defeats DNS
rebinding. Heavy work is serialised by one lock: the page is for one person.

API (JSON in and out; errors are ``{"error": message}`` with status 400):

- ``GET /api/model``: the model, its toggles (inputs by part), presets (bundled scenarios)
  and the exercises available.
- ``GET /api/network.svg``: the picture of the whole network.
- ``POST /api/run`` ``{"inputs", "drugs", "mutations"}``: each node's status.
- ``POST /api/simulate`` ``{"settings", "before", "nodes", "cells", "time"}``: the time
  course after switching from ``before`` (settings, or null: random start) to ``settings``.
- ``POST /api/explain`` ``{"settings", "node"}``: why the node does what it does.
- ``GET /api/exercise?id=ID``, ``POST /api/grade`` ``{"id", "answers"}``: exercises.
- ``POST /api/scenario`` ``{"name", "text"}``: a scenario file of the person at the page
  (its file name and TOML text), read as the page's settings. Such a file is someone
  else's input: it is read confined to a folder of its own
  (:func:`mtorlogic.scenarios.load_scenario` with ``root``), so a ``model``, ``initial``
  or ``reference`` path outside it (``../``, absolute, or a link) is refused with a message
  that names the key and shows nothing of the file it points to. Only the bundled model
  (``model = "mtor"``, or no ``model``) can be named.
"""
from __future__ import annotations

import json
import queue
import re
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

from ..dynamics.results import Limits
from ..errors import InputError, MtorlogicError
from ..model import Model

STATIC = Path(__file__).resolve().parent / "static"
CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                 ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml",
                 ".png": "image/png", ".ico": "image/x-icon"}
HOST = "127.0.0.1"
MAX_BODY = 1_000_000
MAX_CELLS = 5000
DRUG_PART = "Drug inputs"
READOUTS = ("mTORC1", "S6K1", "EIF4EBP1", "AKT_S473", "AKT_S473_high", "mTORC2", "ULK1",
            "Autophagy", "TFEB")
"""The time course's nodes, those the model has (and the node last clicked)."""


class BadRequest(Exception):
    """A request the page should not have sent: answered 400 with the message."""


@dataclass
class Application:
    """The state behind the page: one model, and caches of what has been computed."""

    model: Model
    model_path: str
    bundled: bool
    limits: Limits = Limits()
    lock: threading.Lock = field(default_factory=threading.Lock)
    attractors: dict = field(default_factory=dict)
    cache: dict[Any, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, model_path: str | None, limits: Limits = Limits()) -> Application:
        from ..formats import bundled_model_path, load_model

        path = str(bundled_model_path().resolve()) if model_path in (None, "mtor") \
            else str(Path(model_path).resolve())
        model = load_model(path if model_path not in (None, "mtor") else "mtor")
        return cls(model, path, model_path in (None, "mtor"), limits)

    # -- what the page shows -------------------------------------------------------------

    def describe(self) -> dict[str, Any]:
        from ..drawing import FILL, parts

        part = parts(self.model)
        toggles: dict[str, list[str]] = {}
        for name in self.model.inputs:
            toggles.setdefault(part[name], []).append(name)
        groups = [{"part": title, "section": "drugs" if title == DRUG_PART else "inputs",
                   "nodes": names} for title, names in toggles.items()]
        return {
            "model": self.model.name, "source": self.model_path,
            "nodes": [{"name": n.name, "description": n.description, "part": part[n.name],
                       "input": n.name in self.model.inputs} for n in self.model.nodes],
            "toggles": groups, "presets": self.presets(), "exercises": self.exercises(),
            "readouts": [n for n in READOUTS if n in self.model], "colours": FILL}

    def presets(self) -> list[dict[str, Any]]:
        if not self.bundled:
            return []
        from ..scenarios import bundled_scenarios, load_scenarios

        presets = []
        for scenario in load_scenarios(bundled_scenarios()):
            if scenario.initial is None:
                presets.append({"id": scenario.label, "name": scenario.name,
                                "settings": _settings_of(scenario)})
        return presets

    def exercises(self) -> list[dict[str, Any]]:
        if not self.bundled:
            return []
        try:
            from ..analysis.exercises import bundled_exercises, load_exercises
        except ImportError:
            return []
        return [{"id": e.id, "title": e.title, "level": e.level}
                for e in load_exercises(bundled_exercises())]

    def network(self) -> str:
        if "network" not in self.cache:
            from ..drawing import draw

            self.cache["network"] = draw(self.model, title=self.model.name)
        return self.cache["network"]

    # -- computations ----------------------------------------------------------------------

    def scenario(self, settings: Any, label: str = "your settings"):
        """The scenario the page's settings describe: ``{"inputs", "drugs", "mutations"}``,
        each node -> 0/1; inputs left out are 0."""
        from ..scenarios import Scenario

        if not isinstance(settings, dict):
            raise BadRequest("settings must be an object with inputs, drugs and mutations")
        sections: dict[str, dict[str, int]] = {}
        seen: set[str] = set()
        for section in ("inputs", "drugs", "mutations"):
            values = settings.get(section, {}) or {}
            if not isinstance(values, dict):
                raise BadRequest(f"{section} must be an object of node: 0 or 1")
            for name, value in values.items():
                if name not in self.model:
                    raise BadRequest(f"unknown node {name!r}")
                if section != "mutations" and name not in self.model.inputs:
                    raise BadRequest(f"{name!r} is not an input; set it as a mutation")
                if value not in (0, 1) or isinstance(value, bool):
                    raise BadRequest(f"{name} can only be 0 or 1")
                if name in seen:
                    raise BadRequest(f"{name} is set twice")
                seen.add(name)
            sections[section] = {n: int(v) for n, v in values.items()}
        return Scenario(path=Path(label), name=label, model_path=self.model_path,
                        model=self.model, inputs=sections["inputs"], drugs=sections["drugs"],
                        mutations=sections["mutations"])

    def run(self, body: Any) -> dict[str, Any]:
        from ..readouts import run_scenario

        result = run_scenario(self.scenario(body), self.attractors, limits=self.limits)
        return {"status": {n: str(s) for n, s in result.status.items()},
                "activity": {n: round(a, 4) for n, a in result.activity.items()},
                "attractors": len(result.attractors)}

    def simulate(self, body: Any) -> dict[str, Any]:
        from ..dynamics.population import simulate_scenario

        if not isinstance(body, dict):
            raise BadRequest("expected an object")
        scenario = self.scenario(body.get("settings"))
        before = body.get("before")
        after = self.scenario(before, "the settings before") if before is not None else None
        nodes = body.get("nodes") or [n for n in READOUTS if n in self.model]
        if not isinstance(nodes, list) or not all(isinstance(n, str) for n in nodes):
            raise BadRequest("nodes must be a list of node names")
        cells = body.get("cells", 500)
        end = body.get("time", 15)
        if not isinstance(cells, int) or not 1 <= cells <= MAX_CELLS:
            raise BadRequest(f"cells must be a whole number from 1 to {MAX_CELLS}")
        if not isinstance(end, (int, float)) or not 0 < end <= 200:
            raise BadRequest("time must be a number in (0, 200]")
        course = simulate_scenario(scenario, after=after, cells=cells, time=float(end),
                                   points=61, seed=0, shown=tuple(nodes),
                                   search_limits=self.limits,
                                   title="after the change" if after else "from random states")
        from io import StringIO

        buffer = StringIO()
        course.plot().savefig(buffer, format="svg")
        svg = buffer.getvalue()
        return {**course.to_json(), "svg": svg[svg.find("<svg"):]}

    def explain(self, body: Any) -> dict[str, Any]:
        from ..analysis.explain import ExplainCache, explain

        if not isinstance(body, dict) or not isinstance(body.get("node"), str):
            raise BadRequest("expected {settings, node}")
        cache = self.cache.setdefault("explain", ExplainCache())
        explanation = explain(self.scenario(body.get("settings")), body["node"], cache=cache,
                              limits=self.limits)
        return {"node": explanation.node, "status": str(explanation.status),
                "text": explanation.text(), "svg": explanation.picture()}

    def open_scenario(self, body: Any) -> dict[str, Any]:
        """A scenario file sent by the page (``{"name", "text"}``) as settings for it,
        read in a folder of its own that confines every file it names (see the module
        notes)."""
        from ..scenarios import load_scenario

        if not isinstance(body, dict) or not isinstance(body.get("text"), str):
            raise BadRequest("expected {name, text}: a scenario file's name and its TOML text")
        name = Path(str(body.get("name") or "scenario.toml")).name
        if not re.fullmatch(r"[\w.-]{1,100}\.toml", name, flags=re.ASCII):
            name = "scenario.toml"
        with tempfile.TemporaryDirectory(prefix="mtorlogic-page-") as folder:
            path = Path(folder) / name
            path.write_text(body["text"], encoding="utf-8")
            try:
                scenario = load_scenario(path, root=folder)
            except MtorlogicError as error:
                # name the file as the person knows it, not by the temporary folder
                raise BadRequest(str(error).replace(str(path), name)
                                 .replace(folder + "/", "")) from None
        if Path(scenario.model_path).resolve() != Path(self.model_path).resolve():
            raise BadRequest(f"{name}: this page shows {self.model.name}; the scenario names "
                             f"another model (use model = \"mtor\" or leave model out)"
                             if self.bundled else
                             f"{name}: this page shows a model of your own; scenarios "
                             "opened here can only use the bundled one (run them with "
                             "`mtorlogic run`)")
        if scenario.initial is not None:
            raise BadRequest(f"{name}: the page shows steady settings; a scenario with an "
                             "initial state runs with `mtorlogic run`")
        return {"name": scenario.name, "settings": _settings_of(scenario)}

    def exercise(self, query: Mapping[str, list[str]]) -> dict[str, Any]:
        exercise = self._exercise((query.get("id") or [""])[0])
        return {"id": exercise.id, "title": exercise.title, "level": exercise.level,
                "goal": exercise.goal, "introduction": exercise.introduction,
                "questions": [_question_json(q) for q in exercise.questions]}

    def grade(self, body: Any) -> dict[str, Any]:
        from ..analysis.exercises import grade

        if not isinstance(body, dict) or not isinstance(body.get("answers"), dict):
            raise BadRequest("expected {id, answers}")
        exercise = self._exercise(str(body.get("id", "")))
        graded = grade(exercise, body["answers"])
        return {**graded.to_json(), "text": graded.text()}

    def _exercise(self, identifier: str):
        try:
            from ..analysis.exercises import load_exercise, resolve_exercise
        except ImportError:
            raise BadRequest("exercises are not available in this installation") from None
        known = {e["id"] for e in self.exercises()}
        if identifier not in known:
            raise BadRequest(f"unknown exercise {identifier!r}")
        key = ("exercise", identifier)
        if key not in self.cache:
            self.cache[key] = load_exercise(resolve_exercise(identifier))
        return self.cache[key]


def _settings_of(scenario) -> dict[str, dict[str, int]]:
    return {"inputs": dict(scenario.inputs), "drugs": dict(scenario.drugs),
            "mutations": dict(scenario.mutations)}


def _question_json(question) -> dict[str, Any]:
    return {"id": question.id, "kind": str(question.kind), "prompt": question.prompt,
            "nodes": list(question.nodes), "hints": list(question.hints),
            "options": [{"label": o.label, "text": o.text} for o in question.options]}


# -- HTTP ----------------------------------------------------------------------------------

class Handler(BaseHTTPRequestHandler):
    """Serves the page and the API for ``server.application``."""

    server: Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the terminal is the user's
        return

    def _allowed(self) -> bool:
        port = self.server.server_address[1]
        host = (self.headers.get("Host") or "").lower()
        client = self.client_address[0]
        return client.startswith("127.") and host in (f"127.0.0.1:{port}", f"localhost:{port}")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy",
                         "default-src 'self'; img-src 'self' data:; style-src 'self' "
                         "'unsafe-inline'; connect-src 'self'")
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: Any) -> None:
        self._send(status, json.dumps(data).encode(), "application/json")

    def do_GET(self) -> None:
        if not self._allowed():
            self._send(HTTPStatus.FORBIDDEN, b"forbidden: this server answers only "
                       b"127.0.0.1", "text/plain; charset=utf-8")
            return
        url = urlsplit(self.path)
        application = self.server.application
        if url.path == "/api/model":
            self._answer(application.describe)
        elif url.path == "/api/network.svg":
            self._answer(application.network, "image/svg+xml")
        elif url.path == "/api/exercise":
            self._answer(lambda: application.exercise(parse_qs(url.query)))
        else:
            name = "index.html" if url.path in ("/", "/index.html") else url.path.lstrip("/")
            file = (STATIC / name).resolve()
            if STATIC not in file.parents or not file.is_file():
                self._send(HTTPStatus.NOT_FOUND, b"not found", "text/plain; charset=utf-8")
                return
            self._send(HTTPStatus.OK, file.read_bytes(),
                       CONTENT_TYPES.get(file.suffix, "application/octet-stream"))

    def do_POST(self) -> None:
        if not self._allowed():
            self._send(HTTPStatus.FORBIDDEN, b"forbidden", "text/plain; charset=utf-8")
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": "request too large"})
            return
        try:
            body = json.loads(self.rfile.read(length) or b"null")
        except ValueError:
            self._json(HTTPStatus.BAD_REQUEST, {"error": "the request is not JSON"})
            return
        application = self.server.application
        routes = {"/api/run": application.run, "/api/simulate": application.simulate,
                  "/api/explain": application.explain, "/api/grade": application.grade,
                  "/api/scenario": application.open_scenario}
        route = routes.get(urlsplit(self.path).path)
        if route is None:
            self._json(HTTPStatus.NOT_FOUND, {"error": "no such API"})
            return
        self._answer(lambda: route(body))

    def _answer(self, compute, content_type: str = "application/json") -> None:
        try:
            data = self.server.work(compute)
        except (BadRequest, MtorlogicError) as error:
            self._json(HTTPStatus.BAD_REQUEST, {"error": str(error)})
            return
        if content_type == "application/json":
            self._json(HTTPStatus.OK, data)
        else:
            self._send(HTTPStatus.OK, data.encode(), content_type)


@dataclass
class _Job:
    """A request's computation, handed to the thread that runs :meth:`Server.work_forever`."""

    compute: Callable[[], Any]
    done: threading.Event = field(default_factory=threading.Event)
    result: Any = None
    error: BaseException | None = None


class Server(ThreadingHTTPServer):
    """The page's HTTP server, bound to 127.0.0.1."""

    daemon_threads = True

    def __init__(self, application: Application, port: int = 0):
        self.application = application
        self.jobs: queue.Queue[_Job] = queue.Queue()
        self.working = False
        super().__init__((HOST, port), Handler)

    def work(self, compute: Callable[[], Any]) -> Any:
        """``compute()``, one at a time: in the thread running :meth:`work_forever` when
        one does (the main thread of ``mtorlogic serve``, where time budgets reach native
        code and Ctrl-C stops a search), else in the calling request's thread."""
        if not self.working:
            with self.application.lock:
                return compute()
        job = _Job(compute)
        self.jobs.put(job)
        while not job.done.wait(0.5):
            if not self.working:  # the worker stopped before it took this job
                raise BadRequest("the server is stopping")
        if job.error is not None:
            raise job.error
        return job.result

    def work_forever(self, stop: threading.Event | None = None) -> None:
        """Run the requests' computations in this thread (call it from the main thread,
        with ``serve_forever`` in another) until ``stop`` is set or Ctrl-C. Each search
        is bounded by the application's :class:`Limits`."""
        self.working = True
        try:
            while stop is None or not stop.is_set():
                try:
                    job = self.jobs.get(timeout=0.2)
                except queue.Empty:
                    continue
                try:
                    with self.application.lock:
                        job.result = job.compute()
                except (BadRequest, MtorlogicError) as error:
                    job.error = error
                except KeyboardInterrupt:
                    job.error = BadRequest("the server is stopping")
                    raise
                except Exception as error:  # the request fails, the page stays up
                    job.error = error
                finally:
                    job.done.set()
        finally:
            self.working = False
            while not self.jobs.empty():  # nobody will run these: answer them
                job = self.jobs.get_nowait()
                job.error = BadRequest("the server is stopping")
                job.done.set()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"


def make_server(model_path: str | None = None, port: int = 0,
                limits: Limits = Limits()) -> Server:
    """A server for the page on 127.0.0.1 (``port`` 0: any free port), whose searches
    are bounded by ``limits``; call ``serve_forever()`` on it (and, for time budgets that
    reach native code, ``work_forever()`` in the main thread meanwhile), ``shutdown()``
    from another thread to stop it.

    :raises InputError: a bad model, or a port that cannot be bound.
    """
    application = Application.load(model_path, limits)
    try:
        return Server(application, port)
    except OSError as error:
        raise InputError(f"cannot listen on {HOST}:{port} ({error.strerror or error}); "
                         "choose another --port") from None
