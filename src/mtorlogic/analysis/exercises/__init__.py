"""Teaching exercises: predict what the model does, then let the engine grade and explain.

An exercise (a TOML file, ``docs/exercises.md``) sets a scene (a scenario), asks questions
(node statuses, directions of change, which perturbation achieves a phenotype, which node
switches first), and leaves the answers to the engine: :func:`compute_key` reads them from
the model, so exercises stay right when the model changes. For notebooks::

    from mtorlogic.analysis.exercises import load_exercise, grade
    exercise = load_exercise("01_and_gate")
    result = grade(exercise, {"q1": {"mTORC1": "off", "Autophagy": "on"}})
    result            # <Graded 01_and_gate: 2/7>, a table with reasons in a notebook
    print(result.text())

Modules: :mod:`.files` (the format), :mod:`.key` (the engine's answers and the literature
check), :mod:`.grading` (answers and grades), :mod:`.reasons` (explanations),
:mod:`.render` (text and HTML).
"""
from __future__ import annotations

from typing import Any

from .files import (
    LEVELS,
    Direction,
    Exercise,
    Kind,
    Option,
    Question,
    bundled_exercises,
    load_exercise,
    load_exercises,
    resolve_exercise,
)
from .grading import AnswerSheet, Graded, Mark, grade, grade_sheet, read_answers
from .key import CheckFinding, Key, Wave, check_key, compute_key, wave

__all__ = [
    "LEVELS",
    "AnswerSheet",
    "CheckFinding",
    "Direction",
    "Exercise",
    "Graded",
    "Key",
    "Kind",
    "Mark",
    "Option",
    "Question",
    "Wave",
    "bundled_exercises",
    "check",
    "check_key",
    "compute_key",
    "grade",
    "grade_sheet",
    "load_exercise",
    "load_exercises",
    "read_answers",
    "resolve_exercise",
    "wave",
]


def check(exercise: Exercise, cache: dict[Any, Any] | None = None) -> list[CheckFinding]:
    """Compute the exercise's key and check its literature answers against it (what
    ``mtorlogic exercise --check`` does for one file)."""
    return check_key(compute_key(exercise, cache))
