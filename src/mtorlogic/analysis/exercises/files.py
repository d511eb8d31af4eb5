"""Exercise files: a TOML lesson of predictions about one setting of the model.

The format is documented for authors in ``docs/exercises.md``. :func:`load_exercise` reads
and validates a file completely; every problem is an :class:`~mtorlogic.errors.InputError`
naming the file, the line where it can be found and the key (``q3.nodes``,
``setting.inputs.Insulin``), so the command line exits 2 with one readable message.

A *scenario reference* (the setting, a direction question's ``against``, an order question's
``before``, an inline setting's ``initial``) is either a string, a scenario file relative to
the exercise (or the name of a bundled scenario, ``01_fed``), or an inline table with the keys
of a SPEC §3 scenario file (without ``[expect]`` and ``[compare]``: the questions are the
expectations). The answer key is not part of the file: :mod:`.key` computes it.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from ...assignments import merge_assignments, parse_assignment
from ...errors import InputError
from ...model import Model
from ...outcomes import Status
from ...scenarios import TOP_LEVEL_KEYS as SCENARIO_KEYS
from ...scenarios import Scenario, ScenarioLoader, parse_toml, suggest

if TYPE_CHECKING:  # pragma: no cover
    from .key import CheckFinding

KeyPath = tuple[str | int, ...]
"""Where a value is in an exercise file: keys and array indices (``("questions", 2,
"nodes")``)."""

LEVELS = {1: "first steps", 2: "core pathway", 3: "drugs", 4: "feedback and crosstalk",
          5: "disease and resistance"}
"""Difficulty levels, easiest first, with the word shown beside the number."""

EXERCISE_KEYS = ("title", "level", "goal", "introduction", "setting", "references",
                 "questions")
QUESTION_KEYS = ("id", "kind", "prompt", "setting", "nodes", "against", "before", "target",
                 "phenotype", "options", "hints", "literature", "source", "discussion")
INLINE_SECTIONS = ("inputs", "drugs", "mutations")
INLINE_KEYS = tuple(key for key in SCENARIO_KEYS if key != "references") + INLINE_SECTIONS


class Kind(str, Enum):
    """What a question asks the student to predict."""

    STATUS = "status"        #: on / off / oscillates for each node
    DIRECTION = "direction"  #: higher / lower / same activity than in a reference
    CHOICE = "choice"        #: which perturbations achieve a phenotype
    ORDER = "order"          #: the order in which nodes switch after a change

    def __str__(self) -> str:
        return self.value


class Direction(str, Enum):
    """Activity against a reference scenario (SPEC §3 ``[compare]``)."""

    HIGHER = "higher"
    LOWER = "lower"
    SAME = "same"

    def __str__(self) -> str:
        return self.value


ANSWERABLE_STATUSES = (Status.ON, Status.OFF, Status.OSCILLATES)


@dataclass(frozen=True)
class Option:
    """One perturbation a choice question offers: ``label`` (a, b, c...), the ``text`` shown
    to the student, and the clamps it applies on top of the setting's."""

    label: str
    text: str
    clamps: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Question:
    """One question of an exercise.

    ``nodes`` are asked about (status, direction) or put in order (order); ``against`` is the
    reference of a direction question, ``before`` the earlier phase of an order question;
    ``target`` (an expression) and ``options`` belong to a choice question. ``setting``,
    when given, replaces the exercise's setting for this question (:meth:`scene`).
    ``literature`` is the answer the author states from the literature, with its
    ``source``: a node -> value mapping (status, direction), option labels (choice) or nodes
    in order (order); ``None`` when the author states none. ``discussion`` is shown once the
    answer is revealed.
    """

    id: str
    kind: Kind
    prompt: str
    hints: tuple[str, ...] = ()
    nodes: tuple[str, ...] = ()
    against: Scenario | None = field(default=None, repr=False)
    before: Scenario | None = field(default=None, repr=False)
    target: str = ""
    phenotype: str = ""
    options: tuple[Option, ...] = ()
    literature: Any = None
    source: str = ""
    discussion: str = ""
    setting: Scenario | None = field(default=None, repr=False)

    def scene(self, exercise: Exercise) -> Scenario:
        """The scenario this question is about: its own ``setting`` or the exercise's."""
        return self.setting if self.setting is not None else exercise.setting

    @property
    def marks(self) -> int:
        """Marks available: one per node for status and direction, one for the whole
        choice or order."""
        return len(self.nodes) if self.kind in (Kind.STATUS, Kind.DIRECTION) else 1


@dataclass(frozen=True)
class Exercise:
    """One validated exercise file; ``id`` is the file name without ``.toml``."""

    id: str
    path: Path
    title: str
    level: int
    goal: str
    setting: Scenario = field(repr=False)
    questions: tuple[Question, ...] = field(repr=False)
    introduction: str = ""
    references: tuple[str, ...] = ()

    @property
    def marks(self) -> int:
        return sum(question.marks for question in self.questions)

    @property
    def model(self) -> Model:
        return self.setting.model

    def key(self, cache: dict[Any, Any] | None = None) -> Any:
        """The engine's answers (:func:`~.key.compute_key`)."""
        from .key import compute_key

        return compute_key(self, cache)

    def grade(self, answers: Mapping[str, Any], *, student: str = "", key: Any = None) -> Any:
        """Grade ``answers`` (question id -> answer) with explanations
        (:func:`~.grading.grade`); pass ``key`` to reuse one for a class."""
        from .grading import grade

        return grade(self, answers, key=key, student=student)

    def check(self) -> list["CheckFinding"]:
        """The literature answers checked against the model (what ``--check`` reports)."""
        from .key import check_key, compute_key

        return check_key(compute_key(self))

    def question(self, id: str) -> Question:
        for question in self.questions:
            if question.id == id:
                return question
        raise KeyError(id)

    def to_json(self) -> dict[str, Any]:
        """The exercise as a student sees it (no answers): for web pages and other tools."""

        def scene(scenario: Scenario | None) -> dict[str, Any] | None:
            if scenario is None:
                return None
            return {"name": scenario.name, "description": scenario.description or None,
                    "inputs": dict(scenario.inputs), "drugs": dict(scenario.drugs),
                    "mutations": dict(scenario.mutations), "initial": scene(scenario.initial)}

        questions = []
        for q in self.questions:
            item: dict[str, Any] = {"id": q.id, "kind": q.kind.value, "prompt": q.prompt,
                                    "marks": q.marks, "hints": list(q.hints)}
            if q.nodes:
                item["nodes"] = list(q.nodes)
            if q.setting is not None:
                item["setting"] = scene(q.setting)
            if q.against is not None:
                item["against"] = scene(q.against)
            if q.kind is Kind.ORDER:
                item["before"] = scene(q.before)
            if q.kind is Kind.CHOICE:
                item["target"] = q.target
                item["phenotype"] = q.phenotype
                item["options"] = [{"label": o.label, "text": o.text,
                                    "set": dict(o.clamps)} for o in q.options]
            questions.append(item)
        return {"id": self.id, "title": self.title, "level": self.level, "goal": self.goal,
                "introduction": self.introduction or None, "references": list(self.references),
                "setting": scene(self.setting), "questions": questions}

    def __repr__(self) -> str:
        return (f"<Exercise {self.id}: {self.title!r}, level {self.level}, "
                f"{len(self.questions)} questions, {self.marks} marks>")

    def _repr_html_(self) -> str:
        from .render import exercise_html

        return exercise_html(self)


# ---------------------------------------------------------------------------------------
# finding files


def bundled_exercises() -> tuple[Path, ...]:
    """The bundled exercise files (``exercises/*.toml``), sorted by file name."""
    from ...resources import bundled_path

    return tuple(sorted(bundled_path("exercises").glob("*.toml")))


def resolve_exercise(argument: str | os.PathLike[str]) -> Path:
    """An exercise named by a user: a path to a file, or the id of a bundled exercise
    (``and_gate`` for ``exercises/01_and_gate.toml`` also works without its number)."""
    path = Path(argument)
    if path.is_file():
        return path
    text = str(argument)
    if path.parent == Path(".") and not text.endswith(".toml"):
        bundled = bundled_exercises()
        for candidate in bundled:
            if candidate.stem == text:
                return candidate
        loose = [c for c in bundled if re.sub(r"^\d+_", "", c.stem) == text]
        if len(loose) == 1:
            return loose[0]
        ids = [c.stem for c in bundled]
        raise InputError(f"no exercise {text!r}{suggest(text, ids)}; `mtorlogic exercises` "
                         "lists them")
    if not path.exists():
        raise InputError("no such exercise file", text)
    return path


# ---------------------------------------------------------------------------------------
# reading


def load_exercise(path: str | os.PathLike[str], *, model: str | os.PathLike[str] | None = None,
                  semantics: str | None = None) -> Exercise:
    """Read and validate one exercise file (a path or a bundled exercise's id).

    :param model: a model path (or ``mtor``) used instead of the one the setting names, for
        every scenario of the exercise.
    :param semantics: likewise for the semantics.
    :raises InputError: naming the file, line and key of the first problem found.
    """
    return load_exercises([path], model=model, semantics=semantics)[0]


def load_exercises(paths: Iterable[str | os.PathLike[str]], *,
                   model: str | os.PathLike[str] | None = None,
                   semantics: str | None = None) -> tuple[Exercise, ...]:
    """Like :func:`load_exercise` for several files, reading each model once."""
    loader = ScenarioLoader(model=model, semantics=semantics)
    return tuple(_ExerciseFile(resolve_exercise(path), loader).exercise() for path in paths)


_HEADER = re.compile(r"^\[(\[)?\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]")
_KEY = re.compile(r"^(?:\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_\-]+))\s*[=.]")


def line_of(text: str, parts: tuple[str | int, ...]) -> int | None:
    """Best-effort line of a key in a TOML text. ``parts`` is the key's path, with an
    integer for the n-th (0-based) table of an array of tables (``("questions", 2,
    "nodes")``). Returns the line of the deepest part found, ``None`` if none is."""
    best: tuple[int, int] | None = None  # (depth matched, line)
    counters: dict[KeyPath, int] = {}
    current: KeyPath = ()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        header = _HEADER.match(line)
        if header:
            names = tuple(part.strip().strip("\"'") for part in header.group(2).split("."))
            if header.group(1):  # [[array]]: its n-th table
                index = counters.get(names, -1) + 1
                counters[names] = index
                current = names + (index,)
            else:  # [questions.literature] belongs to the last [[questions]]
                prefix = names[:1]
                current = (prefix + (counters[prefix],) + names[1:]
                           if prefix in counters else names)
            candidate = current
        else:
            key = _KEY.match(line)
            if not key:
                continue
            candidate = current + (next(g for g in key.groups() if g is not None),)
        if _is_prefix(candidate, parts) and (best is None or len(candidate) >= best[0]):
            best = (len(candidate), number)
    return None if best is None else best[1]


def _is_prefix(path: KeyPath, parts: KeyPath) -> bool:
    return len(path) <= len(parts) and tuple(parts[:len(path)]) == path


class _ExerciseFile:
    """The validation of one exercise file; :meth:`fail` raises with file, line and key."""

    def __init__(self, path: Path, loader: ScenarioLoader):
        self.path, self.loader = path, loader
        self.source = str(path)
        self.id = path.stem
        self.qids: dict[int, str] = {}  # question index -> id, to name keys as users see them
        try:
            self.text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError("no such exercise file", self.source) from None
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(f"cannot read exercise file ({error.__class__.__name__}: "
                             f"{error})", self.source) from None
        self.data: dict[str, Any] = parse_toml(self.text, self.source)

    def fail(self, message: str, *parts: str | int, key: str | None = None) -> NoReturn:
        dotted = key if key is not None else _dotted(parts, self.qids)
        raise InputError(message, self.source, line_of(self.text, parts) if parts else None,
                         dotted or None)

    # -- top level --------------------------------------------------------------------------

    def exercise(self) -> Exercise:
        data = self.data
        for key in data:
            if key not in EXERCISE_KEYS:
                self.fail(f"unknown key {key!r}{suggest(key, EXERCISE_KEYS)}; known: "
                          + ", ".join(EXERCISE_KEYS), key)
        for key in ("title", "level", "goal", "setting", "questions"):
            if key not in data:
                self.fail(f"missing required key {key!r}", key)
        title = self.text_of(data, "title", ("title",))
        goal = self.text_of(data, "goal", ("goal",))
        level = data["level"]
        if isinstance(level, bool) or not isinstance(level, int) or level not in LEVELS:
            self.fail(f"must be a whole number from 1 to {max(LEVELS)}, not {level!r}",
                      "level")
        setting = self.scenario(data["setting"], ("setting",))
        questions = data["questions"]
        if not isinstance(questions, list) or not questions or not all(
                isinstance(q, dict) for q in questions):
            self.fail("must be one or more [[questions]] tables", "questions")
        parsed: list[Question] = []
        for index, table in enumerate(questions):
            question = self.question(index, table, setting)
            if any(q.id == question.id for q in parsed):
                self.fail(f"question id {question.id!r} is used twice", "questions", index,
                          "id")
            parsed.append(question)
        return Exercise(id=self.id, path=self.path, title=title, level=level, goal=goal,
                        setting=setting, questions=tuple(parsed),
                        introduction=self.text_of(data, "introduction", ("introduction",), ""),
                        references=self.strings(data, "references", ("references",)))

    def text_of(self, table: Mapping[str, Any], key: str, parts: KeyPath, default: str | None = None
                ) -> str:
        value = table.get(key, default)
        if not isinstance(value, str) or (default is None and not value.strip()):
            self.fail(f"must be a non-empty string, not {value!r}", *parts)
        return value.strip()

    def strings(self, table: Mapping[str, Any], key: str, parts: KeyPath) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip()
                                                  for v in value):
            self.fail("must be a list of strings, e.g. [\"Sancak et al. 2008, Science "
                      "320:1496\"]", *parts)
        return tuple(v.strip() for v in value)

    # -- scenarios --------------------------------------------------------------------------

    def scenario(self, value: Any, parts: KeyPath) -> Scenario:
        """A scenario reference at ``parts``: a file name or an inline table."""
        if isinstance(value, str):
            return self.linked(value, parts)
        if not isinstance(value, dict):
            self.fail("must be a scenario: a file name (\"../scenarios/01_fed.toml\" or a "
                      "bundled scenario such as \"01_fed\") or a table of scenario keys",
                      *parts)
        for key in value:
            if key in ("expect", "compare"):
                self.fail(f"an exercise's scenario has no [{key}]: the questions are what "
                          "it checks", *parts, key)
            if key not in INLINE_KEYS:
                self.fail(f"unknown key {key!r}{suggest(key, INLINE_KEYS)}; known: "
                          + ", ".join(INLINE_KEYS), *parts, key)
        data = dict(value)
        data.setdefault("name", str(self.data.get("title", self.id)))
        initial = data.get("initial")
        if not isinstance(data["name"], str) or not data["name"].strip():
            self.fail("must be a non-empty string", *parts, "name")
        # an inline scenario is known by its name (explanations and messages show it)
        path = self.path.parent / re.sub(r"[./\\:]+", " ", data["name"]).strip()
        if isinstance(initial, dict):
            earlier = self.scenario(initial, parts + ("initial",))
            del data["initial"]
            scenario = self.inline(path, data, parts)
            if set(earlier.model.names) != set(scenario.model.names):
                self.fail("the initial scenario runs on a model whose nodes differ from this "
                          "one's", *parts, "initial")
            from dataclasses import replace

            return replace(scenario, initial=earlier)
        if isinstance(initial, str):
            data["initial"] = os.path.relpath(self.resolve(initial, parts + ("initial",)),
                                              self.path.parent)
        return self.inline(path, data, parts)

    def inline(self, path: Path, data: dict[str, Any], parts: KeyPath) -> Scenario:
        try:
            if isinstance(data.get("initial"), dict):
                raise InputError("an inline initial scenario must be a file name here; write "
                                 "the earlier phase as the setting's own `initial` table "
                                 "instead", str(path), None, "initial")
            return self.loader.load_table(data, path)
        except InputError as error:
            if error.source != str(path):  # a scenario file the table names: its own error
                raise
            inner = tuple((error.key or "").split(".")) if error.key else ()
            self.fail(error.message, *(parts + inner))

    def resolve(self, text: str, parts: KeyPath) -> Path:
        """A scenario file named in the exercise: relative to the exercise file, else a
        bundled scenario's name."""
        from ...resources import bundled_path

        local = self.path.parent / text
        if local.is_file():
            return local
        name = text if text.endswith(".toml") else f"{text}.toml"
        bundled = bundled_path("scenarios") / name
        if Path(text).parent == Path(".") and bundled.is_file():
            return bundled
        self.fail(f"scenario {text!r} not found (neither {local} nor a bundled scenario)",
                  *parts)

    def linked(self, text: str, parts: KeyPath) -> Scenario:
        path = self.resolve(text, parts)
        try:
            return self.loader.load(path)
        except InputError as error:
            raise InputError(f"{error} (named at {_dotted(parts, self.qids)})", self.source,
                             line_of(self.text, parts)) from None

    # -- questions --------------------------------------------------------------------------

    def question(self, index: int, table: dict[str, Any], setting: Scenario) -> Question:
        where = ("questions", index)
        qid = table.get("id", f"q{index + 1}")
        if not isinstance(qid, str) or not re.fullmatch(r"[A-Za-z0-9_\-]+", qid):
            self.fail("must be a short name of letters, digits, - or _", *where, "id")
        self.qids[index] = qid
        for key in table:
            if key not in QUESTION_KEYS:
                self.fail(f"unknown key {key!r}{suggest(key, QUESTION_KEYS)}; known: "
                          + ", ".join(QUESTION_KEYS), *where, key)
        if "kind" not in table:
            self.fail("missing required key 'kind' (status, direction, choice or order)",
                      *where, "kind")
        kinds = [kind.value for kind in Kind]
        if table["kind"] not in kinds:
            self.fail(f"unknown kind {table['kind']!r}{suggest(str(table['kind']), kinds)}; "
                      f"choose one of {', '.join(kinds)}", *where, "kind")
        kind = Kind(table["kind"])
        allowed = {"id", "kind", "prompt", "setting", "hints", "literature", "source",
                   "discussion"} | {
            Kind.STATUS: {"nodes"}, Kind.DIRECTION: {"nodes", "against"},
            Kind.CHOICE: {"target", "phenotype", "options"},
            Kind.ORDER: {"nodes", "before"}}[kind]
        for key in table:
            if key not in allowed:
                self.fail(f"a {kind} question has no {key!r}", *where, key)
        if "prompt" not in table:
            self.fail("missing required key 'prompt'", *where, "prompt")
        fields: dict[str, Any] = {
            "id": qid, "kind": kind, "prompt": self.text_of(table, "prompt", where + ("prompt",)),
            "hints": self.strings(table, "hints", where + ("hints",)),
            "discussion": self.text_of(table, "discussion", where + ("discussion",), "")}
        if "setting" in table:
            own = self.scenario(table["setting"], where + ("setting",))
            self.same_nodes(own, setting.model, where + ("setting",))
            fields["setting"] = setting = own
        model = setting.model
        if kind is not Kind.CHOICE:
            fields["nodes"] = self.nodes(table, where, model)
        if kind is Kind.DIRECTION:
            if "against" not in table:
                self.fail("missing required key 'against' (the reference scenario)", *where,
                          "against")
            fields["against"] = self.scenario(table["against"], where + ("against",))
            self.same_nodes(fields["against"], model, where + ("against",))
        if kind is Kind.ORDER:
            if "before" in table:
                fields["before"] = self.scenario(table["before"], where + ("before",))
            elif setting.initial is not None:
                fields["before"] = setting.initial
            else:
                self.fail("an order question needs an earlier phase: give the setting an "
                          "`initial` scenario or the question a `before` one", *where,
                          "before")
            self.same_nodes(fields["before"], model, where + ("before",))
        if kind is Kind.CHOICE:
            fields.update(self.choice(table, where, model))
        if "literature" in table:
            fields["literature"] = self.literature(table["literature"], kind, fields, where)
            fields["source"] = self.text_of(table, "source", where + ("source",), "")
            if not fields["source"]:
                self.fail("a stated literature answer needs its `source` (the paper that "
                          "reports it)", *where, "literature")
        elif "source" in table:
            self.fail("`source` names the paper behind a `literature` answer; add the "
                      "answer or remove the source", *where, "source")
        return Question(**fields)

    def node(self, name: Any, model: Model, parts: KeyPath) -> str:
        if not isinstance(name, str) or name not in model:
            text = str(name)
            self.fail(f"unknown node {text!r}{suggest_node(text, model.names)} in model "
                      f"{_shown(model.source or model.name)}", *parts)
        return name

    def nodes(self, table: dict[str, Any], where: KeyPath, model: Model) -> tuple[str, ...]:
        if "nodes" not in table:
            self.fail("missing required key 'nodes'", *where, "nodes")
        names = table["nodes"]
        if not isinstance(names, list) or not names:
            self.fail("must be a list of node names, e.g. [\"mTORC1\", \"S6K1\"]", *where,
                      "nodes")
        for name in names:
            self.node(name, model, where + ("nodes",))
        if len(set(names)) != len(names):
            self.fail("names a node twice", *where, "nodes")
        return tuple(names)

    def same_nodes(self, other: Scenario, model: Model, parts: KeyPath) -> None:
        if set(other.model.names) != set(model.names):
            self.fail(f"this scenario runs on {other.model_path}, whose nodes differ from the "
                      "setting's model", *parts)

    def choice(self, table: dict[str, Any], where: KeyPath, model: Model) -> dict[str, Any]:
        from ..screen import parse_target

        for key in ("target", "options"):
            if key not in table:
                self.fail(f"missing required key {key!r}", *where, key)
        target = self.text_of(table, "target", where + ("target",))
        try:
            target = parse_target(target, [model])
        except InputError as error:
            self.fail(error.message or str(error), *where, "target")
        options = table["options"]
        if not isinstance(options, list) or len(options) < 2:
            self.fail("must list at least two perturbations, e.g. [\"Rapamycin\", "
                      "\"TSC=0\"]", *where, "options")
        parsed = []
        for number, option in enumerate(options):
            parts = where + ("options",)
            label = chr(ord("a") + number)
            text: Any
            spec: Any
            if isinstance(option, str):
                text, spec = option, option
            elif isinstance(option, dict) and set(option) <= {"text", "set"} and "set" in option:
                text, spec = option.get("text", option["set"]), option["set"]
                if not isinstance(text, str) or not isinstance(spec, str):
                    self.fail("an option table has a `set` string and an optional `text`",
                              *parts)
            else:
                self.fail("each option is a perturbation such as \"TSC=0 + Rapamycin\" or a "
                          "table {text = \"...\", set = \"...\"}", *parts)
            parsed.append(Option(label, text.strip(), self.perturbation(spec, model, parts)))
        if len({option.clamps for option in parsed}) != len(parsed):
            self.fail("two options apply the same perturbation", *where, "options")
        return {"target": target, "options": tuple(parsed),
                "phenotype": self.text_of(table, "phenotype", where + ("phenotype",), "")
                or target}

    def perturbation(self, text: str, model: Model, parts: KeyPath) -> tuple[tuple[str, int], ...]:
        """``TSC=0 + Rapamycin``: ``NODE=0|1`` clamps; a bare name is a drug or other input
        set to 1. ``none`` is the setting alone."""
        if text.strip().lower() in ("none", "nothing", ""):
            return ()
        pairs = []
        for entry in re.split(r"[+,]", text):
            name = entry.partition("=")[0].strip()
            if name:  # an unknown name first, with a suggestion
                self.node(name, model, parts)
            try:
                name, number = parse_assignment(entry, bare=True)
            except ValueError as error:
                self.fail(str(error), *parts)
            if number is None:
                if name not in model.inputs:
                    self.fail(f"{name!r} is not an input (a drug): write {name}=0 for a loss "
                              f"or {name}=1 for a constitutive activation", *parts)
                number = 1
            pairs.append((name, number))
        try:
            clamps = merge_assignments(pairs)
        except ValueError as error:
            self.fail(f"{text!r}: {error}", *parts)
        return tuple(sorted(clamps.items()))

    def literature(self, value: Any, kind: Kind, fields: dict[str, Any], where: KeyPath) -> Any:
        parts = where + ("literature",)
        if kind in (Kind.STATUS, Kind.DIRECTION):
            allowed = ([s.value for s in ANSWERABLE_STATUSES] if kind is Kind.STATUS
                       else [d.value for d in Direction])
            if not isinstance(value, dict) or not value:
                self.fail("must be a table of node = answer, e.g. {mTORC1 = \"off\"}", *parts)
            for name, answer in value.items():
                if name not in fields["nodes"]:
                    self.fail(f"{name!r} is not one of this question's nodes", *parts, name)
                if answer not in allowed:
                    self.fail(f"expected one of {', '.join(allowed)}, not {answer!r}", *parts,
                              name)
            enum = Status if kind is Kind.STATUS else Direction
            return {name: enum(answer) for name, answer in value.items()}
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail("must be a list of strings", *parts)
        if kind is Kind.CHOICE:
            chosen = []
            for item in value:
                match = [o.label for o in fields["options"]
                         if item.strip() in (o.label, o.text)]
                if not match:
                    self.fail(f"{item!r} is not an option (name it by its letter or its text)",
                              *parts)
                chosen.append(match[0])
            return tuple(sorted(set(chosen)))
        if sorted(value) != sorted(fields["nodes"]):
            self.fail("must list this question's nodes, each once, first to switch first",
                      *parts)
        return tuple(value)


def suggest_node(name: str, names: Iterable[str]) -> str:
    """`` (did you mean 'mTORC1'?)`` for a misspelt node name, case-insensitively first."""
    same = [n for n in names if n.lower() == name.lower()]
    if same:
        return f" (did you mean {same[0]!r}?)"
    lowered = {n.lower(): n for n in names}
    close = suggest(name.lower(), list(lowered))
    match = re.search(r"'(.*)'", close)
    return f" (did you mean {lowered[match.group(1)]!r}?)" if match else ""


def _shown(path: str) -> str:
    """A model's path as a user reads it: ``mtor`` for the bundled model, relative to the
    working directory when inside it."""
    from ...formats import bundled_model_path

    if Path(path).resolve() == bundled_model_path().resolve():
        return "mtor"
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return path


def _dotted(parts: KeyPath, ids: Mapping[int, str] | None = None) -> str:
    """``("questions", 2, "nodes")`` -> ``q3.nodes``: a question by its id (``ids``, index ->
    id), else ``q`` and its number, as students see it; other parts joined with dots."""
    out: list[str] = []
    items = list(parts)
    while items:
        part = items.pop(0)
        following = items[0] if items else None
        if part == "questions" and isinstance(following, int):
            index = following
            items.pop(0)
            out.append((ids or {}).get(index, f"q{index + 1}"))
        else:
            out.append(str(part))
    return ".".join(out)
