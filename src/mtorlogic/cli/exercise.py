"""``mtorlogic exercises`` and ``mtorlogic exercise``: teaching exercises graded by the engine.

``exercises --json`` prints ``{"exercises": [{"id", "title", "questions", "level", "goal",
"marks", "file"}]}`` (SPEC §5, extended). ``exercise --answers ... --json`` prints
``{"results": [Graded.to_json()...]}``; ``--csv`` one row per graded item. ``exercise
--check --json`` prints ``{"passed": bool, "exercises": [{"id", "file", "title", "passed",
"findings": [CheckFinding.to_json()...]}]}``. ``exercise ID --key --json`` prints the model's
answers; ``exercise ID --json`` the exercise without answers (``Exercise.to_json()``).
"""
from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from ..dynamics.results import SEMANTICS, Limits
from .options import limit_options, make_limits

if TYPE_CHECKING:  # pragma: no cover
    from ..analysis.exercises import Exercise, Key

CSV_COLUMNS = ("file", "student", "exercise", "question", "kind", "item", "answer", "model",
               "correct")


def _status(message: str) -> None:
    """A progress line on stderr, only when a person is watching it."""
    if sys.stderr.isatty():
        click.echo(message, err=True)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def exercises(as_json: bool) -> None:
    """List the bundled teaching exercises: id, level, title and learning goal.

    Run one with `mtorlogic exercise ID`; levels go from 1 (first steps) to 5 (disease and
    resistance).
    """
    from ..analysis.exercises import bundled_exercises, load_exercises
    from ..analysis.exercises.files import LEVELS
    from ..analysis.exercises.render import wrap

    loaded = load_exercises(bundled_exercises())
    if as_json:
        import json

        click.echo(json.dumps({"exercises": [
            {"id": e.id, "title": e.title, "questions": len(e.questions), "level": e.level,
             "goal": e.goal, "marks": e.marks, "file": e.path.name} for e in loaded]},
            indent=2))
        return
    for exercise in loaded:
        click.echo(f"{exercise.id}  (level {exercise.level}, {LEVELS[exercise.level]}; "
                   f"{len(exercise.questions)} questions)")
        click.echo(wrap(exercise.title, "    "))
        click.echo(wrap(f"goal: {exercise.goal}", "    "))
    click.echo(f"{len(loaded)} exercises; run one with `mtorlogic exercise ID`")


@click.command()
@click.argument("names", nargs=-1, metavar="[ID | FILE]...")
@click.option("--answers", "answer_files", multiple=True, type=click.Path(dir_okay=False),
              metavar="FILE",
              help="Grade a student's answers file (TOML or JSON) instead of asking; repeat "
                   "for a whole class. The exercise is the ID given, or each file's "
                   "`exercise` key.")
@click.option("--check", "check", is_flag=True,
              help="For authors: validate exercise files (default: the bundled ones), "
                   "compute their keys and check every stated literature answer against the "
                   "model. Exit 0 when all hold, 1 when one disagrees, 2 on bad input.")
@click.option("--key", "show_key", is_flag=True,
              help="For teachers: print the model's answer to every question of the exercise "
                   "(with --json, as JSON) instead of asking.")
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object: the grades (--answers), the findings (--check), "
                   "the answers (--key), or else the exercise without its answers.")
@click.option("--csv", "as_csv", is_flag=True,
              help="With --answers: one CSV row per graded item.")
@click.option("--model", default=None, metavar="PATH",
              help="Run on this model (a path, or `mtor` for the bundled one) instead of the "
                   "exercise's.")
@click.option("--semantics", type=click.Choice(SEMANTICS), default=None,
              help="Use this update semantics instead of the exercise's.")
@limit_options
def exercise(names: tuple[str, ...], answer_files: tuple[str, ...], check: bool,
             show_key: bool, as_json: bool, as_csv: bool, model: str | None,
             semantics: str | None, **limit_values: Any) -> None:
    """Work through a teaching exercise: predict, let the model answer, see why.

    \b
      mtorlogic exercise 01_and_gate              ask the questions in the terminal
      mtorlogic exercise --answers ada.toml --answers bo.toml --csv
                                                  grade answers files (a class at once)
      mtorlogic exercise 01_and_gate --key        teachers: the model's answers
      mtorlogic exercise --check [FILE]...        authors: check files against the model

    In the terminal, type `?` for a hint (again for the next one) and `q` to stop; each
    wrong prediction is shown with the model's answer and the reason for it. An answers
    file names the student, the exercise and one answer per question (see
    docs/exercises.md).
    """
    from ..errors import InputError

    limits = make_limits(**limit_values)
    if as_json and as_csv:
        raise InputError("choose one of --json and --csv")
    if show_key and (check or answer_files or as_csv):
        raise InputError("--key prints one exercise's answers; it takes no --check, --answers "
                         "or --csv")
    if check:
        if answer_files:
            raise InputError("--check validates exercise files; it takes no --answers")
        if as_csv:
            raise InputError("--check has no --csv (use --json)")
        _check(names, as_json, model, semantics, limits)
        return
    if answer_files:
        if len(names) > 1:
            raise InputError("grade one exercise at a time (or name none and let each "
                             "answers file's `exercise` key choose)")
        _grade(names[0] if names else None, answer_files, as_json, as_csv, model, semantics,
               limits)
        return
    if as_csv:
        raise InputError("--csv exports grades: use it with --answers")
    if len(names) != 1:
        raise InputError("name one exercise to work through (`mtorlogic exercises` lists "
                         "them)")
    from ..analysis.exercises import compute_key, load_exercise

    loaded = load_exercise(names[0], model=model, semantics=semantics)
    if show_key:
        _key(compute_key(loaded, limits=limits), as_json)
        return
    if as_json:  # the exercise itself, without answers, for other tools
        import json

        click.echo(json.dumps(loaded.to_json(), indent=2))
        return
    _status("computing the model's answers...")
    Session(loaded, compute_key(loaded, limits=limits)).run()


# ---------------------------------------------------------------------------------------
# --key


def _key(key: "Key", as_json: bool) -> None:
    from ..analysis.exercises.key import plain
    from ..analysis.exercises.render import answer_word

    if as_json:
        import json

        click.echo(json.dumps({"exercise": key.exercise.id, "questions": [
            {"id": q.question.id, "kind": q.question.kind.value, "items": [
                {"item": i.item, "answer": plain(i.answer),
                 "detail": {k: plain(v) if not isinstance(v, dict) else
                            {a: plain(b) for a, b in v.items()}
                            for k, v in i.detail.items()}} for i in q.items]}
            for q in key.questions]}, indent=2))
        return
    click.echo(f"{key.exercise.id}: the model's answers")
    for qkey in key.questions:
        question = qkey.question
        if question.kind.value in ("status", "direction"):
            answers = ", ".join(f"{i.item} {i.answer}" for i in qkey.items)
        elif question.kind.value == "choice":
            verdicts = qkey.items[0].detail["verdicts"]
            answers = answer_word(qkey.items[0].answer) + "".join(
                f"\n      {o.label}) {o.text}: {verdicts[o.label]}" for o in question.options)
        else:
            steps = qkey.items[0].detail["steps"]
            answers = " < ".join(f"{n} ({'never' if steps[n] is None else steps[n]})"
                                 for n in qkey.items[0].answer)
        click.echo(f"  {question.id} ({question.kind}): {answers}")


# ---------------------------------------------------------------------------------------
# --check


def _check(names: Sequence[str], as_json: bool, model: str | None,
           semantics: str | None, limits: Limits) -> None:
    from ..analysis.exercises import (
        bundled_exercises,
        check_key,
        compute_key,
        load_exercises,
    )

    loaded = load_exercises(list(names) or bundled_exercises(), model=model,
                            semantics=semantics)
    cache: dict = {}
    outcomes = []
    for item in loaded:
        _status(f"checking {item.id}")
        findings = check_key(compute_key(item, cache, limits=limits))
        outcomes.append((item, findings, all(f.passed for f in findings)))
    passed = all(ok for _, _, ok in outcomes)
    if as_json:
        import json

        click.echo(json.dumps({"passed": passed, "exercises": [
            {"id": e.id, "file": str(e.path), "title": e.title, "passed": ok,
             "findings": [f.to_json() for f in findings]}
            for e, findings, ok in outcomes]}, indent=2))
    else:
        for item, findings, ok in outcomes:
            stated = sum(f.kind == "literature" for f in findings)
            click.echo(f"{'PASS' if ok else 'FAIL'}  {item.id}: {item.marks} items, "
                       f"{stated} literature answer{'s' if stated != 1 else ''} checked")
            for finding in findings:
                if not finding.passed:
                    source = f" [{finding.source}]" if finding.source else ""
                    click.echo(f"      {finding.question} {finding.message}{source}")
        failed = sum(not ok for _, _, ok in outcomes)
        click.echo(f"{len(outcomes)} exercise(s): {len(outcomes) - failed} passed, "
                   f"{failed} failed")
    if not passed:
        sys.exit(1)


# ---------------------------------------------------------------------------------------
# --answers


def _grade(name: str | None, files: Sequence[str], as_json: bool, as_csv: bool,
           model: str | None, semantics: str | None, limits: Limits) -> None:
    from ..analysis.exercises import (
        compute_key,
        grade_sheet,
        load_exercise,
        read_answers,
    )

    def load(identifier: str) -> Exercise:
        return load_exercise(identifier, model=model, semantics=semantics)

    fixed = load(name) if name is not None else None
    known: dict[str, Exercise] = {}
    # every file is read and checked before anything is printed: a bad file stops the run
    sheets = [read_answers(path, fixed, exercises=known, load=load) for path in files]
    keys: dict[str, Key] = {}
    cache: dict = {}
    graded = []
    for sheet in sheets:
        identity = str(sheet.exercise.path)
        if identity not in keys:
            _status(f"computing the model's answers to {sheet.exercise.id}...")
            keys[identity] = compute_key(sheet.exercise, cache, limits=limits)
        graded.append(grade_sheet(sheet, keys[identity], explain=not as_csv))
    if as_json:
        import json

        click.echo(json.dumps({"results": [g.to_json() for g in graded]}, indent=2))
    elif as_csv:
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for result in graded:
            for mark in result.marks:
                writer.writerow([result.source, result.student, result.exercise.id,
                                 mark.question.id, mark.question.kind.value, mark.item,
                                 _cell(mark.answer), _cell(mark.model), int(mark.correct)])
    else:
        for result in graded:
            click.echo(result.text())
        if len(graded) > 1:
            mean = sum(g.score / g.out_of for g in graded if g.out_of) / len(graded)
            click.echo(f"{len(graded)} answer files graded; mean score {100 * mean:.0f}%")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return " ".join(value)
    return str(value)


# ---------------------------------------------------------------------------------------
# the interactive session


class _Stop(Exception):
    """The student ended the session (``q`` or end of input)."""


class Session:
    """Asks an exercise's questions in a terminal, revealing the model's answer and its
    reason after each question. End of input or ``q`` stops with the score so far; Ctrl-C
    is left to the command group (one line, exit 130)."""

    def __init__(self, exercise: Exercise, key: Key):
        self.exercise, self.key = exercise, key
        self.typed: dict[tuple[str, str], Any] = {}

    def ask(self, prompt: str) -> str:
        try:
            line = input(prompt).strip()
        except EOFError:
            click.echo("")
            raise _Stop from None
        if not sys.stdin.isatty():  # answers typed ahead (a pipe): show them, as a terminal would
            click.echo(line)
        return line

    def run(self) -> None:
        from ..analysis.exercises.render import exercise_text

        click.echo(exercise_text(self.exercise))
        click.echo("\nPredict first, then see what the model says. Type ? for a hint, "
                   "q to stop.")
        asked = 0
        try:
            for number, question in enumerate(self.exercise.questions, start=1):
                self.question(question, number)
                asked = number
        except _Stop:
            click.echo(f"\nStopped after {asked} of {len(self.exercise.questions)} "
                       "questions.")
        self.summary(asked)

    def question(self, question, number: int) -> None:
        from ..analysis.exercises.grading import parse_answer
        from ..analysis.exercises.render import choices, question_text

        click.echo("")
        click.echo(question_text(question, number, len(self.exercise.questions)))
        qkey = self.key.of(question.id)
        hints = list(question.hints)
        for item in qkey.items:
            label = (f"  {item.item} [{choices(question)}]: "
                     if question.kind in (question.kind.STATUS, question.kind.DIRECTION)
                     else f"  your answer [{choices(question)}]: ")
            while True:
                line = self.ask(label)
                if line.lower() in ("q", "quit", "exit"):
                    raise _Stop
                if line in ("?", "h", "hint"):
                    if hints:
                        click.echo(f"  hint: {hints.pop(0)}")
                    else:
                        click.echo("  no more hints for this question")
                    continue
                if not line:
                    continue
                try:
                    self.typed[(question.id, item.item)] = parse_answer(question, item.item,
                                                                        line)
                    break
                except ValueError as error:
                    click.echo(f"  {error}")
        self.reveal(qkey)

    def reveal(self, qkey) -> None:
        from ..analysis.exercises.grading import is_correct
        from ..analysis.exercises.reasons import explanation
        from ..analysis.exercises.render import answer_word, wrap, wrap_lines

        question = qkey.question
        for item in qkey.items:
            given = self.typed[(question.id, item.item)]
            name = item.item if question.kind in (question.kind.STATUS,
                                                  question.kind.DIRECTION) else "answer"
            if is_correct(qkey, item.item, given):
                click.echo(f"  right: {name} {answer_word(item.answer)}")
                continue
            click.echo(f"  wrong: {name}: you said {answer_word(given)}; the model says "
                       f"{answer_word(item.answer)}")
            click.echo(wrap_lines(explanation(self.key, qkey, item.item, given), "      "))
        if question.discussion:
            click.echo(wrap(question.discussion, "  "))

    def summary(self, asked: int) -> None:
        from ..analysis.exercises.grading import is_correct

        items = [(qkey, item) for qkey in self.key.questions[:asked] for item in qkey.items]
        score = sum(is_correct(qkey, item.item, self.typed[(qkey.question.id, item.item)])
                    for qkey, item in items)
        total = self.exercise.marks
        click.echo(f"\nScore: {score}/{len(items)}"
                   + (f" (of {total} marks in the whole exercise)" if len(items) < total
                      else ""))
        if self.exercise.references:
            from ..analysis.exercises.render import wrap_lines

            click.echo(wrap_lines("Read more: " + "; ".join(self.exercise.references)))
