"""Exercises and grades as text (terminal) and HTML (notebooks)."""
from __future__ import annotations

import textwrap
from html import escape
from typing import TYPE_CHECKING, Any

from .files import LEVELS, Direction, Kind, Question

if TYPE_CHECKING:  # pragma: no cover
    from ...scenarios import Scenario
    from .files import Exercise
    from .grading import Graded, Mark

WIDTH = 96
ENVIRONMENT = ("Insulin", "Leucine", "Arginine", "Glucose", "Oxygen")
"""SPEC §2's environment inputs: the setting says which of these are absent."""


def wrap(text: str, indent: str = "") -> str:
    return "\n".join(textwrap.fill(paragraph, WIDTH, initial_indent=indent,
                                   subsequent_indent=indent)
                     for paragraph in text.split("\n") if paragraph.strip())


def wrap_lines(text: str, indent: str = "") -> str:
    """Each line of ``text`` wrapped to the width on its own, keeping its indentation
    (continuations indented four more), all shifted by ``indent``."""
    out = []
    for line in text.splitlines():
        own = indent + line[:len(line) - len(line.lstrip())]
        out.append(textwrap.fill(line.strip(), WIDTH, initial_indent=own,
                                 subsequent_indent=own + "    ") if line.strip() else "")
    return "\n".join(out)


def clamps_text(scenario: Scenario) -> list[str]:
    """What a scenario sets, in a student's words: present and absent inputs, drugs,
    mutations."""
    model = scenario.model
    present = [n for n, v in scenario.inputs.items() if v == 1]
    absent = [n for n in ENVIRONMENT if n in model.inputs and n not in present
              and n not in scenario.mutations]
    lines = [f"present: {', '.join(present) or 'none'}"
             + (f"; absent: {', '.join(absent)}" if absent else "")]
    drugs = [n for n, v in scenario.drugs.items() if v == 1]
    if drugs:
        lines.append(f"drugs: {', '.join(drugs)}")
    if scenario.mutations:
        lines.append("mutations: " + ", ".join(
            f"{n} {'lost' if v == 0 else 'constitutively active'}"
            for n, v in scenario.mutations.items()))
    return lines


def setting_text(scenario: Scenario) -> str:
    lines = [f"Setting: {scenario.name}"]
    if scenario.initial is not None:
        lines.append(f"  starting from: {scenario.initial.name}")
        lines.extend("    " + line for line in clamps_text(scenario.initial))
        lines.append("  then:")
        lines.extend("    " + line for line in clamps_text(scenario))
    else:
        lines.extend("  " + line for line in clamps_text(scenario))
    if scenario.description:
        lines.append(wrap(scenario.description, "  "))
    return "\n".join(lines)


def exercise_text(exercise: Exercise) -> str:
    """The exercise as a student first sees it: title, goal, introduction, setting."""
    heading = (f"{exercise.title}  [{exercise.id}, level {exercise.level}: "
               f"{LEVELS[exercise.level]}]")
    lines = [heading, wrap(f"Goal: {exercise.goal}")]
    if exercise.introduction:
        lines += ["", wrap(exercise.introduction)]
    lines += ["", setting_text(exercise.setting)]
    return "\n".join(lines)


def question_text(question: Question, number: int, total: int) -> str:
    """The question as asked: prompt, and what to predict."""
    hints = len(question.hints)
    heading = (f"Question {number} of {total} ({question.id}, {question.kind}, "
               f"{question.marks} mark{'s' if question.marks != 1 else ''}"
               + (f", {hints} hint{'s' if hints != 1 else ''}" if hints else "") + ")")
    lines = [heading, wrap(question.prompt, "  ")]
    if question.setting is not None:
        lines.append(f"  in this question: {question.setting.name}")
        lines.extend("    " + line for line in clamps_text(question.setting))
    if question.kind is Kind.DIRECTION and question.against is not None:
        lines.append(f"  compared with: {question.against.name}")
        lines.extend("    " + line for line in clamps_text(question.against))
    if question.kind is Kind.ORDER and question.before is not None:
        lines.append(f"  the change starts from: {question.before.name}")
    if question.kind is Kind.CHOICE:
        lines.append(f"  phenotype: {question.phenotype}" + (
            f"  (target: {question.target})" if question.phenotype != question.target else ""))
        lines.extend(f"    {option.label}) {option.text}" for option in question.options)
    if question.kind is Kind.ORDER:
        lines.extend(f"    {i}. {node}" for i, node in enumerate(question.nodes, start=1))
    return "\n".join(lines)


def answer_word(value: Any) -> str:
    if value is None:
        return "(no answer)"
    if isinstance(value, tuple):
        return ", ".join(value) if value else "none"
    return str(value)


def model_word(mark: Mark) -> str:
    """The model's answer as shown to a student, with what it was read from."""
    if mark.question.kind is Kind.ORDER:
        steps = mark.details["steps"]
        return " < ".join(f"{n} ({'never' if steps[n] is None else steps[n]})"
                          for n in mark.model)
    if mark.question.kind is Kind.DIRECTION:
        return (f"{mark.model} (activity {mark.details['activity']:.2f} vs "
                f"{mark.details['reference_activity']:.2f})")
    return answer_word(mark.model)


def graded_text(graded: Graded) -> str:
    who = f"{graded.student}: " if graded.student else ""
    percent = 100 * graded.score / graded.out_of if graded.out_of else 100.0
    lines = [f"{who}{graded.exercise.id}: {graded.score}/{graded.out_of} ({percent:.0f}%)"]
    for mark in graded.wrong:
        item = "" if mark.question.kind in (Kind.CHOICE, Kind.ORDER) else f" {mark.item}"
        lines.append(f"  {mark.question.id}{item}: answered {answer_word(mark.answer)}, "
                     f"model: {model_word(mark)}")
        if mark.explanation:
            lines.append(wrap_lines(mark.explanation, "      "))
        if mark.question.discussion:
            lines.append(wrap(mark.question.discussion, "      "))
    return "\n".join(lines)


def graded_html(graded: Graded) -> str:
    rows = []
    for mark in graded.marks:
        sign = "&#10003;" if mark.correct else "&#10007;"
        why = ""
        if mark.explanation:
            why = (f"<details><summary>why</summary><pre>{escape(mark.explanation)}</pre>"
                   "</details>")
        rows.append(f"<tr><td>{escape(mark.question.id)}</td><td>{escape(mark.item)}</td>"
                    f"<td>{escape(answer_word(mark.answer))}</td>"
                    f"<td>{escape(model_word(mark))}</td><td>{sign}</td><td>{why}</td></tr>")
    who = f" &mdash; {escape(graded.student)}" if graded.student else ""
    return (f"<div><strong>{escape(graded.exercise.title)}</strong>{who}: "
            f"{graded.score}/{graded.out_of}<table><thead><tr><th>question</th><th>item</th>"
            "<th>answer</th><th>model</th><th></th><th></th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table></div>")


def exercise_html(exercise: Exercise) -> str:
    questions = "".join(
        f"<li><em>{escape(q.id)}</em> ({escape(q.kind.value)}): {escape(q.prompt)}"
        + (f" <code>{escape(', '.join(q.nodes))}</code>" if q.nodes else "")
        + ("<ol type='a'>" + "".join(f"<li>{escape(o.text)}</li>" for o in q.options)
           + "</ol>" if q.options else "") + "</li>"
        for q in exercise.questions)
    setting = escape(setting_text(exercise.setting))
    return (f"<div><h4>{escape(exercise.title)}</h4><p><em>Level {exercise.level} "
            f"({escape(LEVELS[exercise.level])}).</em> {escape(exercise.goal)}</p>"
            f"<pre>{setting}</pre><ol>{questions}</ol></div>")


def choices(question: Question) -> str:
    """The answers a prompt offers for one item."""
    if question.kind is Kind.STATUS:
        return "on/off/oscillates"
    if question.kind is Kind.DIRECTION:
        return "/".join(d.value for d in Direction)
    if question.kind is Kind.CHOICE:
        return "letters, e.g. a,c, or none"
    return "names or numbers, first to switch first"
