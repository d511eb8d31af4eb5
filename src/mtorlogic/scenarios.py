"""Scenario files (SPEC §3): a TOML description of an experiment on the model.

A scenario sets the environment (``[inputs]``), the drugs present (``[drugs]``) and any
mutations (``[mutations]``), says what should hold in the attractors reached (``[expect]``)
and how activities compare with another scenario (``[compare]``). It may start from the
attractors of another scenario (``initial``), which makes multi-phase experiments ("fed, then
rapamycin") possible.

:func:`load_scenario` reads and validates a file completely: every error is an
:class:`~mtorlogic.errors.InputError` naming the file, the line where it can be found, and the
key (``inputs.Insulin``, ``compare.reference``...), so the command line exits 2 with one
readable message.

Decisions beyond SPEC §3:

- Clamp values must be the integers 0 or 1; TOML booleans (``true``/``false``) are rejected
  with a hint to write 1/0, so every scenario file reads the same way.
- A node may be set in only one of ``[inputs]``, ``[drugs]`` and ``[mutations]``.
- A key ``"X*"`` in those tables clamps ``X`` and every level of it (``X_2``, ``X_3``... or
  ``X_high``; :mod:`mtorlogic.levels`); a plain ``X`` clamps ``X`` alone, as before.
- Every input of the model not set in ``[inputs]``/``[drugs]`` (or mutated) is 0, also in a
  scenario with ``initial``: a later phase restates its whole environment.
- ``initial`` must name a scenario on a model with the same nodes; a ``[compare]`` block needs
  a ``reference`` and its nodes must exist in the reference's model too.
- Scenarios reached through ``initial``/``reference`` are loaded with the same overrides
  (``model``, ``semantics``) as the file that names them.
"""
from __future__ import annotations

import difflib
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, NoReturn

from .dynamics.results import SEMANTICS
from .errors import InputError
from .levels import ALL_LEVELS, expand_levels, level_groups
from .model import Model
from .resources import shown
from .textfiles import path_problem, read_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

EXPECTATIONS = ("on", "off", "oscillates")
COMPARISONS = ("higher", "lower", "same")
CLAMP_SECTIONS = ("inputs", "drugs", "mutations")
TOP_LEVEL_KEYS = ("name", "description", "model", "semantics", "initial", "references")
SECTIONS = CLAMP_SECTIONS + ("expect", "compare", "start")
START_VALUES = (0, 1, "*")
MAX_LINKED_GROUPS = 12
"""At most this many ``[start.linked]`` groups (each doubles the start subspaces)."""
COMPARE_KEYS = ("reference",) + COMPARISONS
BUNDLED_MODEL = "mtor"


@dataclass(frozen=True)
class Comparison:
    """A ``[compare]`` block: nodes whose activity should be higher, lower or the same as in
    the ``reference`` scenario."""

    reference: "Scenario"
    higher: tuple[str, ...] = ()
    lower: tuple[str, ...] = ()
    same: tuple[str, ...] = ()

    def items(self) -> tuple[tuple[str, str], ...]:
        """``(node, relation)`` pairs in file order: higher, then lower, then same."""
        return tuple((node, relation) for relation in COMPARISONS
                     for node in getattr(self, relation))


@dataclass(frozen=True)
class Scenario:
    """One validated scenario file.

    ``path`` is the file as named (relative paths stay relative, for readable messages);
    ``model`` the model it runs on, loaded from ``model_path`` (an absolute path; the bundled
    model's when the file names none or ``mtor``). ``inputs``, ``drugs`` and ``mutations`` are
    the clamps as written; :attr:`clamps` adds 0 for every input left out. ``initial`` and
    ``compare.reference`` are themselves loaded scenarios. ``start`` (a ``[start]`` table)
    holds the start subspaces written in the file: node -> 0/1, nodes left out free (one
    subspace per combination of values of the ``[start.linked]`` groups); the scenario's
    clamps are set on top of them when it runs. ``random_inputs``: inputs ``[start]`` leaves
    random (``"*"``): not clamped, each keeps the value it starts with.
    """

    path: Path
    name: str
    model_path: str
    model: Model = field(repr=False, compare=False)
    description: str = ""
    semantics: str = "asynchronous"
    initial: "Scenario | None" = None
    references: tuple[str, ...] = ()
    inputs: Mapping[str, int] = field(default_factory=dict)
    drugs: Mapping[str, int] = field(default_factory=dict)
    mutations: Mapping[str, int] = field(default_factory=dict)
    expect: Mapping[str, str] = field(default_factory=dict)
    compare: Comparison | None = None
    start: tuple[Mapping[str, int], ...] | None = None
    random_inputs: tuple[str, ...] = ()

    @property
    def clamps(self) -> dict[str, int]:
        """Every node this scenario fixes: all inputs (0 unless set or left random by
        ``[start]``), drugs, mutations."""
        random = set(self.random_inputs)
        values = dict.fromkeys((name for name in self.model.inputs if name not in random), 0)
        for section in (self.inputs, self.drugs, self.mutations):
            values.update(section)
        return values

    @property
    def key(self) -> tuple[Any, ...]:
        """What determines the attractors reached: model, clamps, semantics and, recursively,
        the initial scenario's key. Equal keys give equal results (used for memoization)."""
        return (self.model_path, tuple(sorted(self.clamps.items())), self.semantics,
                self.initial.key if self.initial is not None else None,
                None if self.start is None else tuple(tuple(sorted(s.items()))
                                                      for s in self.start))

    @property
    def label(self) -> str:
        """The file name without ``.toml``: short, unique within a folder."""
        return self.path.stem

    @property
    def shown_path(self) -> str:
        """The file as the user named it (a bundled scenario by its stem, ``01_fed``)."""
        return shown(self.path) or str(self.path)

    @property
    def shown_model(self) -> str:
        """The model as the user would name it (``mtor`` for the bundled one)."""
        return shown(self.model_path) or self.model_path

    def __repr__(self) -> str:
        set_ = ", ".join(f"{node}={value}" for node, value in
                         {**self.inputs, **self.drugs, **self.mutations}.items())
        after = f", after {self.initial.label}" if self.initial is not None else ""
        return (f"<Scenario {self.label}: {self.name!r} on {self.shown_model}, "
                f"{self.semantics}{after}; sets {set_ or 'nothing'} (other inputs 0)>")


def bundled_scenarios() -> tuple[Path, ...]:
    """The bundled scenario files (``scenarios/*.toml``), sorted by file name."""
    from .resources import bundled_path

    return tuple(sorted(bundled_path("scenarios").glob("*.toml")))


def resolve_scenario_argument(argument: str) -> Path:
    """A scenario named on the command line: a path to a file, or else the name of a bundled
    scenario (``01_fed`` or ``01_fed.toml`` for ``scenarios/01_fed.toml``).

    :raises InputError: when it is neither, with the closest bundled name (case ignored) and
        where to find the list.
    """
    path = Path(argument)
    if path.exists():
        return path
    if path.parent == Path(".") and argument:
        stem = argument.removesuffix(".toml")
        bundled = {candidate.stem: candidate for candidate in bundled_scenarios()}
        if stem in bundled:
            return bundled[stem]
        raise InputError(f"no such scenario file or bundled scenario{_suggest(stem, bundled)};"
                         " `mtorlogic scenarios` lists the bundled ones", argument)
    raise InputError("no such scenario file", argument)


def load_scenario(path: str | os.PathLike[str], *, model: str | os.PathLike[str] | None = None,
                  semantics: str | None = None,
                  root: str | os.PathLike[str] | None = None) -> Scenario:
    """Read and validate one scenario file.

    :param path: the TOML file.
    :param model: when given, a model path (or ``mtor``) used instead of the one the file
        names, for it and every scenario it refers to.
    :param semantics: when given, used instead of the file's semantics, likewise.
    :param root: when given, confine the files read to this folder: the scenario, the
        ``model`` it names (the bundled ``mtor`` is always allowed) and the scenarios named
        by ``initial`` and ``reference`` must resolve (symbolic links followed) inside it,
        else an :class:`InputError` that names the key and echoes nothing of the file
        outside. For scenarios that other people supply (a teaching page or server): a
        person's own files need no root.
    :returns: the :class:`Scenario`, with ``initial`` and ``compare.reference`` loaded.
    :raises InputError: naming the file, line and key of the first problem found.
    """
    return load_scenarios([path], model=model, semantics=semantics, root=root)[0]


def load_scenarios(paths: Iterable[str | os.PathLike[str]], *,
                   model: str | os.PathLike[str] | None = None,
                   semantics: str | None = None,
                   root: str | os.PathLike[str] | None = None) -> tuple[Scenario, ...]:
    """Like :func:`load_scenario` for several files, reading each file and model once."""
    loader = ScenarioLoader(model=model, semantics=semantics, root=root)
    return tuple(loader.load(path) for path in paths)


class ScenarioLoader:
    """Reads scenario files, and scenario tables written inside other files (an exercise's
    setting), all with the same overrides, each file and model once: :func:`load_scenarios`
    for readers that hold scenarios in their own files.

    :param model: a model path (or ``mtor``) used instead of the one each scenario names.
    :param semantics: likewise for the semantics.
    :param root: confine the files read to this folder (see :func:`load_scenario`).
    :raises InputError: for an unknown semantics or a ``root`` that is not a folder.
    """

    def __init__(self, *, model: str | os.PathLike[str] | None = None,
                 semantics: str | None = None, root: str | os.PathLike[str] | None = None):
        if semantics is not None and semantics not in SEMANTICS:
            raise InputError(f"unknown semantics {semantics!r}; choose one of "
                             f"{', '.join(SEMANTICS)}")
        override = None if model is None else _model_location(str(model), Path.cwd())
        confined = None
        if root is not None:
            if path_problem(str(root)) or not Path(root).is_dir():
                raise InputError("the folder scenarios are confined to is not a folder",
                                 str(root))
            confined = Path(root).resolve()
        self._loader = _Loader(model_override=override, semantics_override=semantics,
                               root=confined)

    def load(self, path: str | os.PathLike[str]) -> Scenario:
        """The scenario file at ``path``, validated, with what it links loaded too."""
        if path_problem(str(path)):
            raise InputError(str(path_problem(str(path))), str(path))
        if not self._loader.allowed(Path(path)):
            raise InputError("scenario file outside the folder scenarios are confined to",
                             Path(path).name)
        return self._loader.load(Path(path), ())

    def load_table(self, data: Mapping[str, Any], path: str | os.PathLike[str]) -> Scenario:
        """A scenario given as a parsed TOML table rather than a file, validated as a file
        would be; ``path`` names it in messages (errors name no line: there is no text) and
        is where relative ``initial``/``reference``/``model`` paths start from."""
        return _Table(self._loader, Path(path), dict(data)).scenario()


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """The TOML document ``text``; a syntax error, or nesting too deep for the parser, is an
    :class:`InputError` naming ``source`` (and the line, for a syntax error)."""
    try:
        data: dict[str, Any] = tomllib.loads(text)
        return data
    except RecursionError:  # tomllib recurses into nested arrays and inline tables
        raise InputError("TOML nested too deeply", source) from None
    except tomllib.TOMLDecodeError as error:
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        raise InputError(f"TOML syntax error: {message}", source,
                         _toml_error_line(error)) from None


def _model_location(text: str, base: Path) -> Path:
    """The model file a scenario or option names: ``mtor`` is the bundled model, any other
    path is relative to ``base``."""
    if text == BUNDLED_MODEL:
        from .formats import bundled_model_path

        return bundled_model_path().resolve()
    return (base / text).resolve()


def suggest(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'X'?)`` for the choice closest to ``word``, case ignored
    (``insulin`` -> ``Insulin``, ``mtorc1`` -> ``mTORC1``), or ``""`` when none is close."""
    folded: dict[str, str] = {}
    for choice in choices:
        folded.setdefault(choice.casefold(), choice)
    key = word.casefold()
    if key not in folded:
        close = difflib.get_close_matches(key, list(folded), n=1, cutoff=0.6)
        if not close:
            return ""
        key = close[0]
    return f" (did you mean {folded[key]!r}?)"


_suggest = suggest  # the name other modules already import


def _toml_error_line(error: Exception) -> int | None:
    lineno = getattr(error, "lineno", None)  # Python >= 3.14
    if isinstance(lineno, int) and lineno:
        return lineno
    match = re.search(r"at line (\d+)", str(error))
    return int(match.group(1)) if match else None


_HEADER = re.compile(r"^\[\s*(?:\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_\-]+))\s*\]")
_KEY = re.compile(r"^(?:\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_\-]+))\s*=")


def _line_of(text: str, section: str | None, key: str | None) -> int | None:
    """Best-effort line of ``key`` in ``[section]`` (``section=None``: top level), or of the
    ``[section]`` header when ``key`` is None. ``None`` when it cannot be found (inline
    tables, dotted keys)."""
    current: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        header = _HEADER.match(line)
        if header:
            current = next(group for group in header.groups() if group is not None)
            if key is None and current == section:
                return number
            continue
        match = _KEY.match(line)
        if match and key is not None and current == section:
            if next(group for group in match.groups() if group is not None) == key:
                return number
    return None


@dataclass
class _Loader:
    """Loads scenario files and their models once each, following ``initial``/``reference``
    and reporting cycles."""

    model_override: Path | None = None
    semantics_override: str | None = None
    root: Path | None = None  # files read must lie inside it (load_scenario's ``root``)
    scenarios: dict[Path, Scenario] = field(default_factory=dict)
    models: dict[Path, Model] = field(default_factory=dict)

    def load(self, path: Path, chain: tuple[Path, ...]) -> Scenario:
        identity = path.resolve()
        if identity in self.scenarios:
            return self.scenarios[identity]
        scenario = _File(self, path, chain + (identity,)).scenario()
        self.scenarios[identity] = scenario
        return scenario

    def allowed(self, path: Path) -> bool:
        """Whether the file may be read: inside ``root`` once resolved (always without
        one)."""
        return self.root is None or path.resolve().is_relative_to(self.root)

    def model(self, location: Path) -> Model:
        if location not in self.models:
            from .formats import load_model

            self.models[location] = load_model(location)
        return self.models[location]


class _File:
    """The validation of one scenario file; :meth:`fail` raises with file, line and key."""

    def __init__(self, loader: _Loader, path: Path, chain: tuple[Path, ...]):
        self.loader, self.path, self.chain = loader, path, chain
        self.source = str(path)  # InputError shows bundled files by name (resources.shown)
        self.text = read_text(path, "scenario file")  # regular, bounded, BOM allowed
        self.data: dict[str, Any] = parse_toml(self.text, self.source)

    def fail(self, message: str, section: str | None = None,
             key: str | None = None) -> NoReturn:
        dotted = ".".join(part for part in (section, key) if part) or None
        raise InputError(message, self.source, _line_of(self.text, section, key), dotted)

    # -- the parts of the file -------------------------------------------------------------

    def scenario(self) -> Scenario:
        data = self.data
        for key, value in data.items():
            if key in SECTIONS:
                if not isinstance(value, dict):
                    self.fail(f"[{key}] must be a table of `name = value` lines", None, key)
            elif key not in TOP_LEVEL_KEYS:
                if isinstance(value, dict):
                    self.fail(f"unknown section [{key}]{_suggest(key, SECTIONS)}; known: "
                              + ", ".join(f"[{s}]" for s in SECTIONS), key, None)
                self.fail(f"unknown key {key!r}{_suggest(key, TOP_LEVEL_KEYS)}; known: "
                          + ", ".join(TOP_LEVEL_KEYS), None, key)
        if "name" not in data:
            self.fail("missing required key 'name'", None, "name")
        name = self.string("name")
        if not name.strip():
            self.fail("'name' must not be empty", None, "name")
        model_path, model = self.model()
        semantics = self.semantics()
        clamps = {section: self.clamps(section, model) for section in CLAMP_SECTIONS}
        initial = self.initial(model)
        start = self.start(model)
        random_inputs = tuple(name for name, value in self.data.get("start", {}).items()
                              if name in model.inputs and value == "*")
        if start is not None and initial is not None:
            self.fail("a scenario starts either from another scenario (initial) or from the "
                      "states in [start], not both; remove one", None, "initial")
        return Scenario(
            path=self.path, name=name, model_path=str(model_path), model=model,
            description=self.string("description", ""), semantics=semantics,
            initial=initial, references=self.references(), expect=self.expect(model),
            compare=self.compare(model), start=start,
            random_inputs=random_inputs, **clamps)

    def string(self, key: str, default: str | None = None, section: str | None = None) -> str:
        table = self.data if section is None else self.data[section]
        value = table.get(key, default)
        if not isinstance(value, str):
            self.fail(f"must be a string, not {value!r}", section, key)
        return value

    def model(self) -> tuple[Path, Model]:
        if self.loader.model_override is not None:
            location = self.loader.model_override
        else:
            text = self.string("model", BUNDLED_MODEL)
            if path_problem(text):  # a NUL or an overlong name: refuse before resolving
                self.fail(str(path_problem(text)), None, "model")
            location = _model_location(text, self.path.parent)
            if text != BUNDLED_MODEL and not self.loader.allowed(location):
                self.fail("the model must lie in the folder scenarios are confined to", None,
                          "model")
            if not location.is_file():
                self.fail(f"model file {text!r} not found (looked for {location})", None,
                          "model")
        return location, self.loader.model(location)

    def semantics(self) -> str:
        if self.loader.semantics_override is not None:
            return self.loader.semantics_override
        value = self.string("semantics", "asynchronous")
        if value not in SEMANTICS:
            self.fail(f"unknown semantics {value!r}{_suggest(value, SEMANTICS)}; choose one "
                      f"of {', '.join(SEMANTICS)}", None, "semantics")
        return value

    def references(self) -> tuple[str, ...]:
        value = self.data.get("references", [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.fail("must be a list of strings, e.g. [\"Liu & Sabatini 2020\"]", None,
                      "references")
        return tuple(value)

    def node(self, name: str, model: Model, section: str, key: str | None = None) -> str:
        """``name`` when it is a node of ``model``; otherwise fail at ``section.key``."""
        if name not in model:
            hint = (f"; top-level keys such as {name!r} go above the first [section]"
                    if name in TOP_LEVEL_KEYS else "")
            self.fail(f"unknown node {name!r}{_suggest(name, model.names)} in model "
                      f"{shown(model.source) or model.name}{hint}", section, key or name)
        return name

    def clamps(self, section: str, model: Model) -> dict[str, int]:
        """The ``[section]`` table (inputs, drugs or mutations) as node values; a key
        ``"X*"`` clamps ``X`` and all its levels (:func:`mtorlogic.levels.expand_levels`)."""
        values: dict[str, int] = {}
        for key, value in self.data.get(section, {}).items():
            members = self.members(key, model, section)
            if isinstance(value, bool):
                self.fail(f"must be 0 or 1, not {str(value).lower()} (write "
                          f"{int(value)})", section, key)
            if not isinstance(value, int) or value not in (0, 1):
                self.fail(f"must be 0 or 1, not {value!r}", section, key)
            for name in members:
                if section != "mutations" and name not in model.inputs:
                    self.fail(f"{name!r} is not an input of the model; clamp it under "
                              "[mutations] instead", section, key)
                for other in CLAMP_SECTIONS:
                    if other != section and name in self.clamped_names(other, model):
                        self.fail(f"{name!r} is set in both [{other}] and [{section}]; set "
                                  "it in one", section, key)
                if values.setdefault(name, value) != value:
                    self.fail(f"{name!r} is set to both 0 and 1 in [{section}]", section, key)
        return values

    def members(self, key: str, model: Model, section: str) -> tuple[str, ...]:
        """The nodes a clamp table's ``key`` names: ``X`` alone, or for ``X*`` ``X`` and all
        its levels."""
        if not key.endswith(ALL_LEVELS):
            return (self.node(key, model, section),)
        try:
            return tuple(expand_levels({key: 0}, model))
        except InputError as error:
            self.fail(error.message, section, key)

    def clamped_names(self, section: str, model: Model) -> set[str]:
        """Every node ``[section]`` clamps, its ``X*`` keys expanded (unknown names kept: they
        are reported where their own section is read)."""
        names: set[str] = set()
        for key in self.data.get(section, {}):
            if key.endswith(ALL_LEVELS):
                names.update(level_groups(model).get(key[:-len(ALL_LEVELS)], ()))
            else:
                names.add(key)
        return names

    def expect(self, model: Model) -> dict[str, str]:
        values: dict[str, str] = {}
        for name, value in self.data.get("expect", {}).items():
            self.node(name, model, "expect")
            if value not in EXPECTATIONS:
                self.fail(f"expected one of {', '.join(repr(e) for e in EXPECTATIONS)}, not "
                          f"{value!r}", "expect", name)
            values[name] = value
        return values

    def linked(self, section: str | None, key: str) -> Scenario:
        """The scenario a path at ``section.key`` names, loaded (relative to this file)."""
        text = self.string(key, section=section)
        if path_problem(text):  # a NUL or an overlong name: refuse before resolving
            self.fail(str(path_problem(text)), section, key)
        path = self.path.parent / text
        if not self.loader.allowed(path):
            self.fail("the scenario must lie in the folder scenarios are confined to",
                      section, key)
        if path.resolve() in self.chain:
            cycle = " -> ".join(p.name for p in self.chain[self.chain.index(path.resolve()):])
            self.fail(f"initial/reference cycle: {cycle} -> {path.name}", section, key)
        if not path.is_file():
            self.fail(f"scenario file {text!r} not found (looked for {path})", section, key)
        return self.loader.load(path, self.chain)

    def initial(self, model: Model) -> Scenario | None:
        if "initial" not in self.data:
            return None
        initial = self.linked(None, "initial")
        if set(initial.model.names) != set(model.names):
            self.fail(f"the initial scenario runs on {shown(initial.model_path)}, whose nodes "
                      f"differ from this scenario's model {shown(model.source)}", None,
                      "initial")
        return initial

    def start(self, model: Model) -> tuple[dict[str, int], ...] | None:
        """The ``[start]`` table as start subspaces (see :class:`Scenario`): each node
        0, 1 or ``"*"`` (free); ``default`` (0, 1 or ``"*"``, itself ``"*"`` when left
        out) for nodes not listed; ``[start.linked]`` groups of free nodes that share one
        random value (``group = ["A", "B"]``)."""
        table = self.data.get("start")
        if table is None:
            return None
        values: dict[str, int | str] = {}
        default = self._start_value(table.get("default", "*"), "default")
        for key, value in table.items():
            if key in ("default", "linked"):
                continue
            self.node(key, model, "start")
            values[key] = self._start_value(value, key)
            if key in model.inputs and values[key] != "*":
                self.fail(f"{key!r} is an input: the scenario clamps it (0 unless set); set it "
                          "under [inputs], or write \"*\" to leave it random", "start", key)
            if key in model.inputs and any(key in self.clamped_names(section, model)
                                           for section in CLAMP_SECTIONS):
                self.fail(f"{key!r} is clamped in this file and cannot start random", "start",
                          key)
        linked = table.get("linked", {})
        if not isinstance(linked, dict):
            self.fail("[start.linked] must be a table of `group = [\"A\", \"B\"]` lines",
                      "start", "linked")
        groups: list[list[str]] = []
        owner: dict[str, str] = {}
        for group, names in linked.items():
            if not isinstance(names, list) or len(names) < 2 or not all(
                    isinstance(n, str) for n in names):
                self.fail("must list at least two node names, e.g. [\"BIM\", \"BIM_T\"]",
                          "start.linked", group)
            for name in names:
                self.node(name, model, "start.linked", group)
                if name in owner:
                    self.fail(f"{name!r} is in two linked groups ({owner[name]!r} and "
                              f"{group!r})", "start.linked", group)
                owner[name] = group
                if values.get(name, default) != "*":
                    self.fail(f"{name!r} starts at {values.get(name, default)}, so it cannot "
                              "share a random value; set it to \"*\" in [start]",
                              "start.linked", group)
            groups.append(names)
        if len(groups) > MAX_LINKED_GROUPS:
            self.fail(f"{len(groups)} linked groups make 2^{len(groups)} start subspaces "
                      f"(at most {MAX_LINKED_GROUPS} groups)", "start", "linked")
        # inputs are clamped unless [start] lists them as "*": `default` is not for them
        fixed = {name: int(values.get(name, default)) for name in model.names
                 if values.get(name, default) != "*" and name not in model.inputs}
        starts = []
        for code in range(1 << len(groups)):
            start = dict(fixed)
            for j, names in enumerate(groups):
                start.update(dict.fromkeys(names, code >> j & 1))
            starts.append({name: start[name] for name in model.names if name in start})
        return tuple(starts)

    def _start_value(self, value: Any, key: str) -> int | str:
        if isinstance(value, bool):
            self.fail(f"must be 0, 1 or \"*\", not {str(value).lower()} (write "
                      f"{int(value)})", "start", key)
        if value not in START_VALUES or isinstance(value, float):
            self.fail(f"must be 0, 1 or \"*\" (free), not {value!r}", "start", key)
        return value if isinstance(value, str) else int(value)

    def compare(self, model: Model) -> Comparison | None:
        table = self.data.get("compare")
        if table is None:
            return None
        for key in table:
            if key not in COMPARE_KEYS:
                self.fail(f"unknown key {key!r}{_suggest(key, COMPARE_KEYS)}; known: "
                          + ", ".join(COMPARE_KEYS), "compare", key)
        if "reference" not in table:
            self.fail("[compare] needs a reference = \"other.toml\"", "compare", None)
        reference = self.linked("compare", "reference")
        lists: dict[str, tuple[str, ...]] = {}
        seen: dict[str, str] = {}
        for relation in COMPARISONS:
            names = table.get(relation, [])
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                self.fail("must be a list of node names, e.g. [\"S6K1\"]", "compare",
                          relation)
            for name in names:
                self.node(name, model, "compare", relation)
                if name not in reference.model:
                    self.fail(f"node {name!r} is not in the reference scenario's model "
                              f"{shown(reference.model_path)}", "compare", relation)
                if name in seen:
                    self.fail(f"{name!r} is listed under both {seen[name]!r} and "
                              f"{relation!r}", "compare", relation)
                seen[name] = relation
            lists[relation] = tuple(names)
        return Comparison(reference=reference, **lists)


class _Table(_File):
    """A scenario given as a parsed table (:meth:`ScenarioLoader.load_table`): a file's
    validation without the file."""

    def __init__(self, loader: _Loader, path: Path, data: dict[str, Any]):
        self.loader, self.path, self.chain = loader, path, (path.resolve(),)
        self.source = str(path)
        self.text = ""
        self.data = data
