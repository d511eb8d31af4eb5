"""Grading a student's predictions against the model's answer key, with a reason for every
wrong one.

Answers come from a Python mapping (a notebook), the interactive session, or an answers file
(TOML or JSON, documented in ``docs/exercises.md``)::

    student = "Ada Lovelace"
    exercise = "01_and_gate"          # the exercise's id
    [answers]
    q1 = { mTORC1 = "off", S6K1 = "off" }   # status: on / off / oscillates
    q2 = { AKT_S473 = "higher" }            # direction: higher / lower / same
    q3 = ["a", "c"]                         # choice: the options that achieve the target
    q4 = ["RAG", "mTORC1", "S6K1"]          # order: first to switch first

An item left unanswered earns no mark and gets its explanation like a wrong one; an answer
that is not one of the allowed values is bad input (the file and key are named).
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...errors import InputError
from ...outcomes import Status
from ...scenarios import parse_toml, suggest
from .files import Direction, Exercise, Kind, Question, line_of, suggest_node
from .key import Key, QuestionKey, compute_key, order_consistent

if TYPE_CHECKING:  # pragma: no cover
    from ...scenarios import Scenario

STATUS_WORDS = {"on": Status.ON, "1": Status.ON, "active": Status.ON,
                "off": Status.OFF, "0": Status.OFF, "inactive": Status.OFF,
                "oscillates": Status.OSCILLATES, "osc": Status.OSCILLATES,
                "oscillating": Status.OSCILLATES, "oscillate": Status.OSCILLATES,
                "o": Status.OSCILLATES, "mixed": Status.MIXED}
DIRECTION_WORDS = {"higher": Direction.HIGHER, "h": Direction.HIGHER, "up": Direction.HIGHER,
                   "+": Direction.HIGHER, "lower": Direction.LOWER, "l": Direction.LOWER,
                   "down": Direction.LOWER, "-": Direction.LOWER, "same": Direction.SAME,
                   "s": Direction.SAME, "=": Direction.SAME, "unchanged": Direction.SAME}
ANSWER_FILE_KEYS = ("student", "exercise", "answers")


# ---------------------------------------------------------------------------------------
# reading one answer


def parse_status(text: Any) -> Status:
    """``on``/``off``/``oscillates`` (also ``1``, ``0``, ``osc``...), any case."""
    word = str(text).strip().lower()
    if word not in STATUS_WORDS:
        raise ValueError(f"answer on, off or oscillates, not {text!r}")
    return STATUS_WORDS[word]


def parse_direction(text: Any) -> Direction:
    """``higher``/``lower``/``same`` (also ``h``, ``l``, ``s``, ``up``, ``down``)."""
    word = str(text).strip().lower()
    if word not in DIRECTION_WORDS:
        raise ValueError(f"answer higher, lower or same, not {text!r}")
    return DIRECTION_WORDS[word]


def _entries(value: Any) -> list[str]:
    if isinstance(value, str):
        return [part for part in re.split(r"[\s,;<>]+", value.strip()) if part]
    if isinstance(value, (list, tuple)) and all(isinstance(v, (str, int)) for v in value):
        return [str(v).strip() for v in value]
    raise ValueError("answer with a list, e.g. [\"a\", \"c\"], or a string \"a, c\"")


def parse_choice(value: Any, question: Question) -> tuple[str, ...]:
    """The options a student picked: letters (``a, c``), option texts, or ``none``."""
    if isinstance(value, str) and value.strip().lower() in ("none", "-", ""):
        return ()
    if isinstance(value, str) and re.fullmatch(r"[a-zA-Z]+", value.strip()) and len(
            value.strip()) <= len(question.options) and value.strip().lower() not in {
            o.text.lower() for o in question.options}:
        entries = list(value.strip().lower())  # "ac" = a and c
    else:
        entries = list(_entries(value) if not isinstance(value, str)
                       or not _matches_text(value, question) else [value])
    labels = []
    for entry in entries:
        match = [o.label for o in question.options
                 if entry.strip().lower() in (o.label, o.text.lower())]
        if not match:
            letters = ", ".join(o.label for o in question.options)
            raise ValueError(f"{entry!r} is not an option; answer with letters ({letters}) "
                             "or none")
        labels.append(match[0])
    return tuple(sorted(set(labels)))


def _matches_text(value: str, question: Question) -> bool:
    return any(value.strip().lower() == o.text.lower() for o in question.options)


def parse_order(value: Any, question: Question) -> tuple[str, ...]:
    """Nodes first to last: names (any case) or their numbers in the question's list."""
    entries = _entries(value)
    by_name = {node.lower(): node for node in question.nodes}
    order = []
    for entry in entries:
        if entry.isdigit() and 1 <= int(entry) <= len(question.nodes):
            order.append(question.nodes[int(entry) - 1])
        elif entry.lower() in by_name:
            order.append(by_name[entry.lower()])
        else:
            raise ValueError(f"{entry!r} is not one of {', '.join(question.nodes)}"
                             f"{suggest_node(entry, question.nodes)}")
    if sorted(order) != sorted(question.nodes):
        raise ValueError(f"put all {len(question.nodes)} nodes in order, each once: "
                         + ", ".join(question.nodes))
    return tuple(order)


def parse_answer(question: Question, item: str, value: Any) -> Any:
    """One item's answer in its typed form; ``ValueError`` with a readable message when it
    is not an allowed answer."""
    if question.kind is Kind.STATUS:
        return parse_status(value)
    if question.kind is Kind.DIRECTION:
        return parse_direction(value)
    if question.kind is Kind.CHOICE:
        return parse_choice(value, question)
    return parse_order(value, question)


def _typed_answers(exercise: Exercise, answers: Mapping[str, Any], *, source: str | None,
                   text: str = "") -> dict[tuple[str, str], Any]:
    """``{question id: answer}`` (answer: node -> value for status/direction) as
    ``{(question id, item): typed answer}``; bad entries are :class:`InputError`."""

    def fail(message: str, *parts: str) -> None:
        raise InputError(message, source, line_of(text, ("answers",) + parts) if text
                         else None, ".".join(("answers",) + parts))

    typed: dict[tuple[str, str], Any] = {}
    ids = [q.id for q in exercise.questions]
    for qid, value in answers.items():
        if qid not in ids:
            fail(f"exercise {exercise.id} has no question {qid!r}{suggest(str(qid), ids)}; "
                 f"its questions: {', '.join(ids)}", str(qid))
        question = exercise.question(qid)
        if question.kind in (Kind.STATUS, Kind.DIRECTION):
            if not isinstance(value, Mapping):
                fail("answer with a table of node = value, e.g. { mTORC1 = \"off\" }", qid)
            for node, answer in value.items():
                if node not in question.nodes:
                    fail(f"{node!r} is not asked in {qid}"
                         f"{suggest_node(str(node), question.nodes)}"
                         f"; asked: {', '.join(question.nodes)}", qid, str(node))
                try:
                    typed[(qid, node)] = parse_answer(question, node, answer)
                except ValueError as error:
                    fail(str(error), qid, str(node))
        else:
            item = "choice" if question.kind is Kind.CHOICE else "order"
            try:
                typed[(qid, item)] = parse_answer(question, item, value)
            except ValueError as error:
                fail(str(error), qid)
    return typed


# ---------------------------------------------------------------------------------------
# grades


@dataclass(frozen=True)
class Mark:
    """One graded item: the student's ``answer`` (``None`` when unanswered), the model's,
    and for a wrong or missing answer the ``explanation`` of the model's answer."""

    question: Question = field(repr=False)
    item: str
    answer: Any
    model: Any
    correct: bool
    explanation: str = ""
    details: Mapping[str, Any] = field(default_factory=dict, repr=False)

    def to_json(self) -> dict[str, Any]:
        from .key import plain

        data = {"item": self.item, "answer": plain(self.answer), "model": plain(self.model),
                "correct": self.correct}
        if self.explanation:
            data["explanation"] = self.explanation
        return data


@dataclass(frozen=True)
class Graded:
    """A student's graded attempt at one exercise: a short ``repr`` (the score), ``text()``
    for a terminal, ``to_json()``, and ``_repr_html_`` for a notebook."""

    exercise: Exercise = field(repr=False)
    marks: tuple[Mark, ...] = field(repr=False)
    student: str = ""
    source: str | None = None

    @property
    def score(self) -> int:
        return sum(mark.correct for mark in self.marks)

    @property
    def out_of(self) -> int:
        return len(self.marks)

    @property
    def wrong(self) -> tuple[Mark, ...]:
        return tuple(mark for mark in self.marks if not mark.correct)

    def __repr__(self) -> str:
        who = f" by {self.student}" if self.student else ""
        return f"<Graded {self.exercise.id}{who}: {self.score}/{self.out_of}>"

    def text(self) -> str:
        from .render import graded_text

        return graded_text(self)

    def _repr_html_(self) -> str:
        from .render import graded_html

        return graded_html(self)

    def to_json(self) -> dict[str, Any]:
        questions = []
        for question in self.exercise.questions:
            questions.append({"id": question.id, "kind": question.kind.value,
                              "marks": [m.to_json() for m in self.marks
                                        if m.question.id == question.id]})
        return {"file": self.source, "student": self.student, "exercise": self.exercise.id,
                "title": self.exercise.title, "score": self.score, "out_of": self.out_of,
                "questions": questions}


def grade(exercise: Exercise, answers: Mapping[str, Any], *, key: Key | None = None,
          student: str = "", source: str | None = None, explain: bool = True) -> Graded:
    """Grade ``answers`` (question id -> answer, as in an answers file's ``[answers]``)
    against the model's key.

    :param key: the exercise's :func:`~.key.compute_key` result, to share it between
        students (computed when not given).
    :param explain: give every wrong or missing answer its explanation.
    :raises InputError: on an answer that is not allowed (unknown question or node, a word
        that is not an answer).
    """
    typed = _typed_answers(exercise, answers, source=source)
    return grade_typed(exercise, typed, key=key, student=student, source=source,
                       explain=explain)


def grade_typed(exercise: Exercise, typed: Mapping[tuple[str, str], Any], *,
                key: Key | None = None, student: str = "", source: str | None = None,
                explain: bool = True) -> Graded:
    """:func:`grade` for answers already parsed (``{(question id, item): answer}``)."""
    from .reasons import explanation

    key = compute_key(exercise) if key is None else key
    marks = []
    for qkey in key.questions:
        for item in qkey.items:
            given = typed.get((qkey.question.id, item.item))
            correct = given is not None and is_correct(qkey, item.item, given)
            text = "" if correct or not explain else explanation(key, qkey, item.item, given)
            marks.append(Mark(qkey.question, item.item, given, item.answer, correct, text,
                              dict(item.detail)))
    return Graded(exercise, tuple(marks), student, source)


def is_correct(qkey: QuestionKey, item: str, given: Any) -> bool:
    """Whether ``given`` is the model's answer to ``item``: equal status or direction, the
    same set of options, or an order consistent with the switch steps (nodes switching at
    the same step in either order)."""
    expected = next(i for i in qkey.items if i.item == item)
    if qkey.question.kind is Kind.ORDER:
        return order_consistent(given, expected.detail["steps"])
    if qkey.question.kind is Kind.CHOICE:
        return tuple(sorted(given)) == tuple(sorted(expected.answer))
    return bool(given == expected.answer)


# ---------------------------------------------------------------------------------------
# answers files


@dataclass(frozen=True)
class AnswerSheet:
    """One answers file: who, for which exercise, and the typed answers."""

    path: Path
    student: str
    exercise: Exercise
    answers: Mapping[tuple[str, str], Any]


def read_answers(path: str | os.PathLike[str], exercise: Exercise | None = None, *,
                 exercises: dict[str, Exercise] | None = None,
                 load: Callable[[str], Exercise] | None = None) -> AnswerSheet:
    """Read an answers file (``.toml`` or ``.json``; format in the module docstring).

    :param exercise: the exercise being graded; the file's ``exercise`` key, when present,
        must name it. Without it, the file's ``exercise`` key chooses one (loaded with
        ``load``, an id -> :class:`Exercise` function, and memoized in ``exercises``).
    :raises InputError: naming the file, line and key of the first problem.
    """
    path = Path(path)
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such answers file", source) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read answers file ({error.__class__.__name__}: {error})",
                         source) from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except ValueError as error:
            raise InputError(f"JSON syntax error: {getattr(error, 'msg', error)}", source,
                             getattr(error, "lineno", None)) from None
        except RecursionError:  # json recurses into nested arrays and objects
            raise InputError("JSON nested too deeply", source) from None
        text = ""
    else:
        data = parse_toml(text, source)
    if not isinstance(data, dict):
        raise InputError("an answers file holds one table with student, exercise and "
                         "[answers]", source)
    for name in data:
        if name not in ANSWER_FILE_KEYS:
            raise InputError(f"unknown key {name!r}{suggest(name, ANSWER_FILE_KEYS)}; known: "
                             + ", ".join(ANSWER_FILE_KEYS), source,
                             line_of(text, (name,)) if text else None, name)
    student = data.get("student", path.stem)
    if not isinstance(student, str):
        raise InputError("must be a string", source, line_of(text, ("student",)) or None,
                         "student")
    named = data.get("exercise")
    if named is not None and not isinstance(named, str):
        raise InputError("must be an exercise id such as \"01_and_gate\"", source, None,
                         "exercise")
    if exercise is None:
        if named is None:
            raise InputError("missing key 'exercise' (which exercise these answers are for); "
                             "or name the exercise on the command line", source, None,
                             "exercise")
        if load is None:
            from .files import load_exercise

            load = load_exercise
        cache = {} if exercises is None else exercises
        if named not in cache:
            try:
                cache[named] = load(named)
            except InputError as error:
                raise InputError(f"{error}", source, line_of(text, ("exercise",)) if text
                                 else None, "exercise") from None
        exercise = cache[named]
    elif named is not None and named not in (exercise.id, re.sub(r"^\d+_", "", exercise.id)):
        raise InputError(f"these answers are for exercise {named!r}, not {exercise.id!r}",
                         source, line_of(text, ("exercise",)) if text else None, "exercise")
    answers = data.get("answers", {})
    if not isinstance(answers, dict):
        raise InputError("must be a table: [answers] with one line per question", source,
                         None, "answers")
    typed = _typed_answers(exercise, answers, source=source, text=text)
    return AnswerSheet(path, student, exercise, typed)


def grade_sheet(sheet: AnswerSheet, key: Key | None = None, *, explain: bool = True) -> Graded:
    """Grade one :class:`AnswerSheet`."""
    return grade_typed(sheet.exercise, sheet.answers, key=key, student=sheet.student,
                       source=str(sheet.path), explain=explain)


def perturbed(setting: Scenario, clamps: Sequence[tuple[str, int]]) -> Scenario:
    """The setting with extra clamps (a choice question's option) on top."""
    if not clamps:
        return setting
    mutations = dict(setting.mutations)
    mutations.update(dict(clamps))
    inputs = {n: v for n, v in setting.inputs.items() if n not in mutations}
    drugs = {n: v for n, v in setting.drugs.items() if n not in mutations}
    label = " + ".join(f"{n}={v}" for n, v in clamps)
    return replace(setting, inputs=inputs, drugs=drugs, mutations=mutations,
                   name=f"{setting.name}, with {label}",
                   path=setting.path.with_name(f"{setting.path.name}+{label}"))
