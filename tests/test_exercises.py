"""Teaching exercises: files, the engine's answer key, exact grading, the commands, a real
terminal, and the bundled course.

Most tests use a toy AND-gate model whose answers are known by construction, so they do not
move when the curated model is corrected; the bundled course is checked for structure and
for exact grading against whatever the model answers.
"""
from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))

from brute_force import random_network  # noqa: E402
from mtorlogic.analysis.exercises import (  # noqa: E402
    Direction,
    Kind,
    bundled_exercises,
    check_key,
    compute_key,
    grade,
    load_exercise,
    load_exercises,
    wave,
)
from mtorlogic.analysis.exercises.key import order_consistent  # noqa: E402
from mtorlogic.cli import main  # noqa: E402
from mtorlogic.errors import InputError  # noqa: E402
from mtorlogic.formats.bnet import parse_bnet  # noqa: E402
from mtorlogic.outcomes import Status  # noqa: E402

# A toy AND-gate: mTORC1-like M needs GTP-Rheb (insulin keeps TSC off) AND active Rags
# (amino acids); a drug blocks M; S is M's substrate; Auto is off while M is on; IRS is
# braked by S through IRSP, a negative loop that oscillates while S is on.
TOY = """\
input Insulin   [toy]
input Amino     [toy]
input Drug      [toy]
TSC = !Insulin            [toy]
RHEB = !TSC               [toy]
RAG = Amino               [toy]
M = RHEB & RAG & !Drug    [toy]
S = M                     [toy]
Auto = !M                 [toy]
IRS = Insulin & !IRSP     [toy]
IRSP = S & IRS            [toy]
"""

LESSON = """\
title = "Toy gate"
level = 2
goal = "Predict a drug on a toy AND-gate."
references = ["Toy et al. 2024, J Toy 1:1"]

[setting]
name = "Drug on fed cells"
model = "toy.rules"
[setting.inputs]
Insulin = 1
Amino = 1
[setting.drugs]
Drug = 1
[setting.initial]
name = "Fed"
model = "toy.rules"
[setting.initial.inputs]
Insulin = 1
Amino = 1

[[questions]]
kind = "status"
prompt = "Predict the gate and its outputs."
nodes = ["M", "S", "Auto", "IRS", "IRSP"]
hints = ["The drug blocks M.", "S follows M."]
literature = { M = "off", Auto = "on" }
source = "Toy et al. 2024"

[[questions]]
kind = "direction"
prompt = "Compared with fed cells?"
nodes = ["M", "IRS", "RAG"]
literature = { IRS = "higher" }
source = "Toy et al. 2024"
[questions.against]
name = "Fed"
model = "toy.rules"
[questions.against.inputs]
Insulin = 1
Amino = 1

[[questions]]
kind = "choice"
prompt = "Which change turns M on in starved cells?"
target = "M"
options = ["RAG=1", "TSC=0", { text = "the drug", set = "Drug" }, "RAG=1 + Drug"]
literature = ["a"]
source = "Toy et al. 2024"
[questions.setting]
name = "Starved"
model = "toy.rules"
[questions.setting.inputs]
Insulin = 1

[[questions]]
id = "wave"
kind = "order"
prompt = "Order the events after the drug."
nodes = ["IRS", "S", "M", "Auto"]
literature = ["M", "S", "Auto", "IRS"]
source = "Toy et al. 2024"
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / "toy.rules").write_text(TOY, encoding="utf-8")
    (tmp_path / "lesson.toml").write_text(LESSON, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def perfect_answers(key) -> dict:
    """The engine's own answers, written as a student would."""
    answers: dict = {}
    for qkey in key.questions:
        kind = qkey.question.kind
        if kind in (Kind.STATUS, Kind.DIRECTION):
            answers[qkey.question.id] = {i.item: i.answer.value for i in qkey.items}
        else:
            answers[qkey.question.id] = list(qkey.items[0].answer)
    return answers


def wrong_value(question, item, right):
    """An allowed answer different from ``right``."""
    if question.kind is Kind.STATUS:
        return next(s.value for s in (Status.ON, Status.OFF, Status.OSCILLATES)
                    if s.value != right)
    if question.kind is Kind.DIRECTION:
        return next(d.value for d in Direction if d.value != right)
    if question.kind is Kind.CHOICE:
        labels = [o.label for o in question.options]
        return [label for label in labels if label not in right] or []
    return list(reversed(right))


# ---------------------------------------------------------------------------------------
# the key


def test_key_is_the_models_answer(folder: Path) -> None:
    exercise = load_exercise("lesson.toml")
    assert [q.kind for q in exercise.questions] == list(Kind)
    assert exercise.marks == 5 + 3 + 1 + 1
    key = compute_key(exercise)
    status = {i.item: i.answer for i in key.of("q1").items}
    assert status == {"M": Status.OFF, "S": Status.OFF, "Auto": Status.ON, "IRS": Status.ON,
                      "IRSP": Status.OFF}
    direction = {i.item: i.answer for i in key.of("q2").items}
    assert direction == {"M": Direction.LOWER, "IRS": Direction.HIGHER, "RAG": Direction.SAME}
    choice = key.of("q3").items[0]
    assert choice.answer == ("a",)
    assert {k: v.value for k, v in choice.detail["verdicts"].items()} == {
        "a": "always", "b": "never", "c": "never", "d": "never"}
    # the drug reaches M in one round, S and Auto in two; IRS, oscillating before, settles
    # on once IRSP has switched off (round 3), in round 4
    order = key.of("wave").items[0]
    assert order.detail["steps"] == {"IRS": 4, "S": 2, "M": 1, "Auto": 2}
    assert order.answer == ("M", "S", "Auto", "IRS")
    chain = key.of("wave").wave.chain("IRS")
    assert [(n, s) for n, s, _ in chain] == [("Drug", 0), ("M", 1), ("S", 2), ("IRSP", 3),
                                            ("IRS", 4)]
    assert all(f.passed for f in check_key(key))


def test_order_ties_and_never(folder: Path) -> None:
    steps = {"M": 1, "S": 2, "Auto": 2, "IRS": None}
    assert order_consistent(("M", "S", "Auto", "IRS"), steps)
    assert order_consistent(("M", "Auto", "S", "IRS"), steps)
    assert not order_consistent(("S", "M", "Auto", "IRS"), steps)
    assert not order_consistent(("M", "S", "IRS", "Auto"), steps)
    assert not order_consistent(("M", "S", "Auto"), steps)


@pytest.mark.parametrize("seed", range(40))
def test_wave_from_a_fixed_point_is_the_synchronous_trajectory(seed: int) -> None:
    """From a fixed point every value is definite, so the three-valued wave must be the
    plain synchronous trajectory of the clamped network (computed here by brute force)."""
    for attempt in range(50):  # the first network from this seed that has a fixed point
        net = random_network(1000 * attempt + seed)
        oracle = net.oracle()
        fixed = [s for s in oracle.states if oracle.image[s] == s]
        if fixed:
            break
    rng = random.Random(seed)
    before = rng.choice(fixed)
    clamped = rng.sample(range(len(net.names)), k=rng.randint(1, 2))
    clamps = {net.names[i]: 1 - before[i] for i in clamped}
    model = parse_bnet(net.text, source=f"random-{seed}.bnet")
    spread = wave(model, clamps, dict(zip(net.names, before)))
    # brute force: synchronous steps of the clamped functions until a state repeats
    state = tuple(clamps.get(n, v) for n, v in zip(net.names, before))
    expected = {net.names[i]: 0 for i in clamped}
    seen, step = {state}, 0
    while True:
        step += 1
        state = tuple(clamps[n] if n in clamps else int(f(state))
                      for n, f in zip(net.names, net.functions))
        for i, name in enumerate(net.names):
            if name not in expected and state[i] != before[i]:
                expected[name] = step
        if state in seen:
            break
        seen.add(state)
    assert dict(spread.switch) == expected
    for name in spread.switch:  # every chain runs from a clamp to the node, steps rising
        chain = spread.chain(name)
        assert chain[0][0] in clamps and chain[-1][0] == name
        assert [s for _, s, _ in chain] == sorted({s for _, s, _ in chain})


# ---------------------------------------------------------------------------------------
# grading


def test_the_engines_own_answers_score_full_marks(folder: Path) -> None:
    exercise = load_exercise("lesson.toml")
    key = compute_key(exercise)
    graded = grade(exercise, perfect_answers(key), key=key, student="Ada")
    assert (graded.score, graded.out_of) == (10, 10)
    assert not graded.wrong
    assert repr(graded) == "<Graded lesson by Ada: 10/10>"
    assert "<table>" in graded._repr_html_()


def test_each_wrong_answer_costs_its_mark_and_is_explained(folder: Path) -> None:
    exercise = load_exercise("lesson.toml")
    key = compute_key(exercise)
    right = perfect_answers(key)
    for qkey in key.questions:
        question = qkey.question
        for item in qkey.items:
            answers = json.loads(json.dumps(right))
            if question.kind in (Kind.STATUS, Kind.DIRECTION):
                answers[question.id][item.item] = wrong_value(question, item.item,
                                                              right[question.id][item.item])
            else:
                answers[question.id] = wrong_value(question, item.item, right[question.id])
            graded = grade(exercise, answers, key=key)
            assert graded.score == graded.out_of - 1, (question.id, item.item)
            (mark,) = graded.wrong
            assert (mark.question.id, mark.item) == (question.id, item.item)
            assert mark.explanation.strip(), (question.id, item.item)
            if question.kind in (Kind.STATUS, Kind.DIRECTION):
                assert item.item in mark.explanation
            elif question.kind is Kind.ORDER:
                assert "IRSP" in mark.explanation  # the path the change took to IRS
            else:  # every option judged wrongly (here all four) gets its verdict
                assert [line[:2] for line in mark.explanation.splitlines()
                        if re.match(r"[a-d]\) ", line)] == ["a)", "b)", "c)", "d)"]


def test_unanswered_items_lose_their_mark_and_ties_are_accepted(folder: Path) -> None:
    exercise = load_exercise("lesson.toml")
    key = compute_key(exercise)
    graded = grade(exercise, {"wave": "M Auto S IRS", "q3": "a"}, key=key)
    assert graded.score == 2 and graded.out_of == 10
    assert all(mark.answer is None for mark in graded.wrong)
    assert grade(exercise, {"wave": ["1", "2", "3", "4"]}, key=key).score == 0


@pytest.mark.parametrize("answers, message", [
    ({"q9": {}}, "has no question 'q9'"),
    ({"q1": {"MM": "on"}}, "'MM' is not asked in q1 (did you mean 'M'?)"),
    ({"q1": {"M": "maybe"}}, "answer on, off or oscillates, not 'maybe'"),
    ({"q2": {"M": "on"}}, "answer higher, lower or same, not 'on'"),
    ({"q3": "z"}, "'z' is not an option"),
    ({"wave": "M S"}, "put all 4 nodes in order"),
])
def test_bad_answers_are_input_errors(folder: Path, answers, message) -> None:
    exercise = load_exercise("lesson.toml")
    with pytest.raises(InputError) as error:
        grade(exercise, answers)
    assert message in str(error.value)


# ---------------------------------------------------------------------------------------
# bad exercise files


def broken(folder: Path, old: str, new: str) -> Path:
    text = LESSON.replace(old, new, 1)
    assert text != LESSON
    path = folder / "broken.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("old, new, where, message", [
    ('nodes = ["M", "S"', 'nodes = ["MM", "S"', "broken.toml:24: q1.nodes",
     "unknown node 'MM' (did you mean 'M'?)"),
    ('goal = "Predict a drug on a toy AND-gate."\n', "", "broken.toml: goal",
     "missing required key 'goal'"),
    ('kind = "direction"', 'kind = "directions"', "broken.toml:30: q2.kind",
     "unknown kind 'directions' (did you mean 'direction'?)"),
    ("level = 2", "level = 9", "broken.toml:2: level", "must be a whole number from 1 to 5"),
    ("Insulin = 1\nAmino = 1\n[setting.drugs]", "Insulin = 2\nAmino = 1\n[setting.drugs]",
     "broken.toml:10: setting.inputs.Insulin", "must be 0 or 1, not 2"),
    ('literature = { M = "off", Auto = "on" }', 'literature = { M = "of" }',
     "broken.toml:26: q1.literature.M", "expected one of on, off, oscillates"),
    ('literature = ["a"]', 'literature = ["e"]', "broken.toml:47: q3.literature",
     "'e' is not an option"),
    ('source = "Toy et al. 2024"\n', "", "broken.toml:26: q1.literature",
     "needs its `source`"),
    ('options = ["RAG=1",', 'options = ["RAGG=1",', "broken.toml:46: q3.options",
     "unknown node 'RAGG' (did you mean 'RAG'?)"),
    ('options = ["RAG=1",', 'options = ["TSC",', "broken.toml:46: q3.options",
     "'TSC' is not an input"),
    ('options = ["RAG=1",', 'options = ["RAG=2",', "broken.toml:46: q3.options",
     "expected NODE, NODE=0 or NODE=1, not 'RAG=2'"),
    ('options = ["RAG=1",', 'options = ["RAG=1 + RAG=0",', "broken.toml:46: q3.options",
     "'RAG=1 + RAG=0': RAG is set to both 0 and 1"),
    ('target = "M"', 'target = "M &"', "broken.toml:45: q3.target", ""),
    ('title = "Toy gate"', 'title = "Toy gate', "broken.toml:1", "TOML syntax error"),
    ('prompt = "Order the events after the drug."',
     'prompt = "Order."\nbefore = "nowhere.toml"', "broken.toml:59: wave.before", "not found"),
])
def test_bad_exercise_files_name_file_line_and_key(folder, old, new, where, message) -> None:
    path = broken(folder, old, new)
    result = CliRunner().invoke(main, ["exercise", "--check", path.name])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert lines[0].startswith(f"mtorlogic: error: {where}"), lines[0]
    assert message in lines[0]


def test_check_reports_a_literature_answer_the_model_contradicts(folder: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["exercise", "--check", "lesson.toml"])
    assert result.exit_code == 0, result.output
    assert "PASS  lesson: 10 items, 5 literature answers checked" in result.output
    wrong = broken(folder, 'literature = { IRS = "higher" }', 'literature = { IRS = "lower" }')
    result = runner.invoke(main, ["exercise", "--check", wrong.name])
    assert result.exit_code == 1
    assert ("q2 IRS: literature says lower, model gives higher (activity 1.000 vs 0.500) "
            "[Toy et al. 2024]") in result.output
    wrong = broken(folder, 'literature = ["M", "S", "Auto", "IRS"]',
                   'literature = ["M", "IRS", "S", "Auto"]')
    result = runner.invoke(main, ["exercise", "--check", "--json", wrong.name])
    assert result.exit_code == 1
    data = json.loads(result.output)
    failed = [f for e in data["exercises"] for f in e["findings"] if not f["passed"]]
    assert [(f["question"], f["kind"], f["literature"]) for f in failed] == [
        ("wave", "literature", ["M", "IRS", "S", "Auto"])]


# ---------------------------------------------------------------------------------------
# the commands


ADA = 'student = "Ada"\nexercise = "lesson"\n[answers]\nq1 = { M = "off", S = "on" }\n' \
      'q2 = { IRS = "higher" }\nq3 = ["a"]\nwave = ["M", "S", "Auto", "IRS"]\n'


def test_grading_a_class_in_one_command(folder: Path) -> None:
    (folder / "ada.toml").write_text(ADA, encoding="utf-8")
    (folder / "bo.json").write_text(json.dumps(
        {"student": "Bo", "answers": {"q3": "b", "q1": {"M": "on"}}}), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["exercise", "lesson.toml", "--answers", "ada.toml",
                                  "--answers", "bo.json"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Ada: lesson: 4/10 (40%)\n  q1 S: answered on, model: off")
    assert "Bo: lesson: 0/10 (0%)" in result.output
    assert result.output.rstrip().endswith("2 answer files graded; mean score 20%")
    result = runner.invoke(main, ["exercise", "lesson.toml", "--answers", "ada.toml",
                                  "--answers", "bo.json", "--csv"])
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 20
    assert rows[1] == {"file": "ada.toml", "student": "Ada", "exercise": "lesson",
                       "question": "q1", "kind": "status", "item": "S", "answer": "on",
                       "model": "off", "correct": "0"}
    result = runner.invoke(main, ["exercise", "--answers", "ada.toml", "--json"])
    # without an ID, the file's `exercise` key names a bundled exercise, which is not this
    assert result.exit_code == 2 and "no exercise 'lesson'" in result.output
    result = runner.invoke(main, ["exercise", "lesson.toml", "--answers", "ada.toml",
                                  "--json"])
    data = json.loads(result.output)["results"][0]
    assert (data["student"], data["score"], data["out_of"]) == ("Ada", 4, 10)
    assert data["questions"][0]["marks"][1]["explanation"]


@pytest.mark.parametrize("name, text, message", [
    ("deep.json", "[" * 10_000 + "]" * 10_000, "deep.json: JSON nested too deeply"),
    ("deep.toml", "x = " + "[" * 10_000 + "]" * 10_000, "deep.toml: TOML nested too deeply"),
])
def test_files_nested_too_deeply_are_refused_in_one_line(folder, name, text, message) -> None:
    """An answers file, or an exercise file, nested beyond the parser's depth: one line,
    exit 2, never a RecursionError traceback."""
    (folder / name).write_text(text, encoding="utf-8")
    for arguments in (["lesson.toml", "--answers", name], ["--check", name]):
        if name.endswith(".json") and "--check" in arguments:
            continue  # exercise files are TOML only
        result = CliRunner().invoke(main, ["exercise", *arguments])
        assert result.exit_code == 2, result.output
        assert result.output.strip().splitlines() == [f"mtorlogic: error: {message}"]


@pytest.mark.parametrize("text, where, message", [
    ('student = "Ada"\n[answers]\nq1 = { M = "onn" }\n', "bad.toml:3: answers.q1.M",
     "answer on, off or oscillates, not 'onn'"),
    ('[answers]\nq7 = "a"\n', "bad.toml:2: answers.q7", "has no question 'q7'"),
    ('exercise = "other"\n', "bad.toml:1: exercise", "are for exercise 'other'"),
    ('studnet = "Ada"\n', "bad.toml:1: studnet", "(did you mean 'student'?)"),
    ('[answers\n', "bad.toml:1", "TOML syntax error"),
    ("x = " + "[" * 10_000 + "]" * 10_000 + "\n", "bad.toml", "TOML nested too deeply"),
])
def test_a_bad_answers_file_is_one_line_and_exit_2(folder, text, where, message) -> None:
    (folder / "ada.toml").write_text(ADA, encoding="utf-8")
    (folder / "bad.toml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["exercise", "lesson.toml", "--answers", "ada.toml",
                                       "--answers", "bad.toml"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output  # nothing graded before the bad file was found
    assert lines[0].startswith(f"mtorlogic: error: {where}") and message in lines[0], lines[0]


def test_key_for_teachers(folder: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["exercise", "lesson.toml", "--key"])
    assert result.exit_code == 0
    assert "  q2 (direction): M lower, IRS higher, RAG same" in result.output
    assert "  wave (order): M (1) < S (2) < Auto (2) < IRS (4)" in result.output
    data = json.loads(runner.invoke(main, ["exercise", "lesson.toml", "--key",
                                           "--json"]).output)
    choice = data["questions"][2]["items"][0]
    assert choice["answer"] == ["a"] and choice["detail"]["verdicts"]["b"] == "never"


def test_exercise_as_json_has_no_answers(folder: Path) -> None:
    result = CliRunner().invoke(main, ["exercise", "lesson.toml", "--json"])
    data = json.loads(result.output)
    assert [q["kind"] for q in data["questions"]] == ["status", "direction", "choice", "order"]
    assert data["questions"][2]["options"][3] == {"label": "d", "text": "RAG=1 + Drug",
                                                 "set": {"Drug": 1, "RAG": 1}}
    assert data["setting"]["initial"]["inputs"] == {"Insulin": 1, "Amino": 1}
    assert "literature" not in result.output and "off" not in result.output


def test_usage_errors(folder: Path) -> None:
    runner = CliRunner()
    for args in (["exercise"], ["exercise", "lesson.toml", "--csv"],
                 ["exercise", "--check", "--csv"], ["exercise", "nosuch"],
                 ["exercise", "lesson.toml", "--key", "--check"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 2, args
        assert len(result.output.strip().splitlines()) == 1, result.output


def test_piped_answers_and_end_of_input(folder: Path) -> None:
    typed = "?\n?\n?\noff\nof\noff\non\non\noff\nlower\nhigher\nsame\na\n"
    result = CliRunner().invoke(main, ["exercise", "lesson.toml"], input=typed)
    assert result.exit_code == 0, result.output
    assert "hint: The drug blocks M." in result.output
    assert "hint: S follows M." in result.output
    assert "no more hints for this question" in result.output
    assert "answer on, off or oscillates, not 'of'" in result.output
    assert "Stopped after 3 of 4 questions." in result.output
    assert "Score: 9/9 (of 10 marks in the whole exercise)" in result.output


# ---------------------------------------------------------------------------------------
# a real terminal


def _read_until(fd: int, pattern: str, timeout: float = 90.0) -> str:
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            if re.search(pattern, seen.decode(errors="replace")):
                return seen.decode(errors="replace")
    raise AssertionError(f"{pattern!r} not seen in:\n{seen.decode(errors='replace')}")


def _drain(fd: int, process: subprocess.Popen) -> str:
    seen = b""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                chunk = b""
            seen += chunk
            if not chunk and process.poll() is not None:
                break
        elif process.poll() is not None:
            break
    return seen.decode(errors="replace")


def _controlling_terminal() -> None:
    """In the child: make the pseudo-terminal on stdin its controlling terminal, so that
    Ctrl-C typed there sends SIGINT as in a real terminal."""
    import fcntl
    import signal
    import termios

    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    # a job started in the background (CI runners, `cmd &`) inherits SIGINT ignored, and
    # Python then installs no KeyboardInterrupt handler; a terminal's foreground job has it
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # nor blocked by a parent


def _wait_until_blocked_in_read(process: subprocess.Popen) -> None:
    """Wait until the child sleeps (blocked reading the terminal), as a person's Ctrl-C
    finds it. A SIGINT that lands between the prompt's write and the read only sets
    Python's flag; the read then blocks regardless (no EINTR), a race no person can hit
    but a test that answers within microseconds of the prompt sometimes does."""
    stat = Path(f"/proc/{process.pid}/stat")
    deadline = time.monotonic() + 10
    asleep = 0
    while asleep < 3 and time.monotonic() < deadline:
        try:
            state = stat.read_text().rsplit(")", 1)[1].split()[0]
        except OSError:  # no /proc: give the child a moment
            time.sleep(0.5)
            return
        asleep = asleep + 1 if state == "S" else 0
        time.sleep(0.05)


def _terminal(folder: Path):
    import pty

    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-c", "from mtorlogic.cli import main; main()", "exercise",
         "lesson.toml"], stdin=follower, stdout=follower, stderr=follower, cwd=folder,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}, start_new_session=True,
        preexec_fn=_controlling_terminal)
    os.close(follower)
    return leader, process


@pytest.mark.slow
@pytest.mark.parametrize("ending", ["answers", "ctrl-c", "ctrl-d"])
def test_interactive_session_in_a_pseudo_terminal(folder: Path, ending: str) -> None:
    leader, process = _terminal(folder)
    try:
        transcript = _read_until(leader, r"M \[on/off/oscillates\]: ")
        os.write(leader, b"?\n")
        # the hint, then the same prompt again: the session is waiting for input
        transcript += _read_until(leader, r"hint: The drug blocks M\.\s+M \[on/off/oscillates\]: ")
        if ending == "ctrl-c":
            _wait_until_blocked_in_read(process)
            os.write(leader, b"\x03")
            output = transcript + _drain(leader, process)
            assert process.wait(60) == 130
            assert "mtorlogic: interrupted" in output
        elif ending == "ctrl-d":
            os.write(leader, b"\x04")
            output = transcript + _drain(leader, process)
            assert process.wait(60) == 0
            assert "Stopped after 0 of 4 questions." in output
            assert "Score: 0/0" in output
        else:
            for line in ("off", "on", "on", "on", "off"):
                os.write(leader, line.encode() + b"\n")
            transcript += _read_until(leader, r"M \[higher/lower/same\]: ")
            for line in ("lower", "higher", "same"):
                os.write(leader, line.encode() + b"\n")
            transcript += _read_until(leader, r"your answer .*: ")
            os.write(leader, b"a, b\n")
            transcript += _read_until(leader, r"your answer .*: ")
            os.write(leader, b"M S Auto IRS\n")
            output = transcript + _drain(leader, process)
            assert process.wait(60) == 0
            assert "wrong: S: you said on; the model says off" in output
            assert "wrong: answer: you said a, b; the model says a" in output
            assert "right: answer M, S, Auto, IRS" in output
            assert "Score: 8/10" in output
        assert "Traceback" not in output
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        os.close(leader)


# ---------------------------------------------------------------------------------------
# the bundled course


def test_bundled_course_is_a_course() -> None:
    course = load_exercises(bundled_exercises())
    assert len(course) >= 15
    levels = [exercise.level for exercise in course]
    assert levels == sorted(levels) and levels[0] == 1 and levels[-1] == 5
    kinds = {question.kind for exercise in course for question in exercise.questions}
    assert kinds == set(Kind)
    for exercise in course:
        assert exercise.goal and exercise.references, exercise.id
        assert any(re.search(r"(19|20)\d\d", ref) for ref in exercise.references)
        for question in exercise.questions:
            assert question.hints, (exercise.id, question.id)
            assert question.literature is not None and question.source, (exercise.id,
                                                                          question.id)


def test_exercises_listing_json() -> None:
    result = CliRunner().invoke(main, ["exercises", "--json"])
    assert result.exit_code == 0
    listed = json.loads(result.output)["exercises"]
    assert [e["id"] for e in listed] == [p.stem for p in bundled_exercises()]
    first = listed[0]
    assert set(first) >= {"id", "title", "questions", "level", "goal"}
    assert first["questions"] == len(load_exercise(first["id"]).questions)


@pytest.mark.slow
def test_bundled_course_grades_exactly() -> None:
    """Whatever the model answers, its own answers score full marks on every bundled
    exercise, and one wrong status answer costs exactly one mark with a reason."""
    cache: dict = {}
    for exercise in load_exercises(bundled_exercises()):
        key = compute_key(exercise, cache)
        answers = perfect_answers(key)
        graded = grade(exercise, answers, key=key, explain=False)
        assert graded.score == graded.out_of == exercise.marks, exercise.id
        status = next(q for q in exercise.questions if q.kind is Kind.STATUS)
        node = status.nodes[0]
        answers[status.id][node] = wrong_value(status, node, answers[status.id][node])
        graded = grade(exercise, answers, key=key)
        assert graded.score == graded.out_of - 1
        assert node in graded.wrong[0].explanation


def test_bundled_exercise_by_short_id() -> None:
    assert load_exercise("and_gate").id == "01_and_gate"
    with pytest.raises(InputError, match="did you mean '01_and_gate'"):
        load_exercise("01_and_gat")


def test_explanations_come_from_the_explain_engine_with_the_rule_as_fallback(
        folder: Path, monkeypatch) -> None:
    from mtorlogic.analysis.exercises import reasons

    exercise = load_exercise("lesson.toml")
    graded = grade(exercise, {"q1": {"S": "on"}, "q2": {"IRS": "lower"}},
                   key=compute_key(exercise))
    why = {(m.question.id, m.item): m.explanation for m in graded.marks}
    assert "Path: Drug -| M -> S" in why[("q1", "S")]
    assert "Rule: S = M" in why[("q1", "S")]
    assert "Against Fed: IRS is oscillates there" in why[("q2", "IRS")]
    monkeypatch.setattr(reasons, "_explainer", lambda: None)
    graded = grade(exercise, {"q1": {"S": "on"}}, key=compute_key(exercise))
    fallback = next(m for m in graded.marks if m.item == "S").explanation
    assert fallback.startswith("S is off here (activity 0.00). Rule: S = M  [toy]")
    assert "Its regulators here: M off" in fallback


def test_scenarios_named_by_file(folder: Path) -> None:
    (folder / "fed.toml").write_text('name = "Fed"\nmodel = "toy.rules"\n[inputs]\n'
                                     'Insulin = 1\nAmino = 1\n', encoding="utf-8")
    (folder / "drug.toml").write_text('name = "Drug"\nmodel = "toy.rules"\n'
                                      'initial = "fed.toml"\n[inputs]\nInsulin = 1\n'
                                      'Amino = 1\n[drugs]\nDrug = 1\n', encoding="utf-8")
    (folder / "files.toml").write_text(
        'title = "t"\nlevel = 1\ngoal = "g"\nsetting = "drug.toml"\n'
        '[[questions]]\nkind = "direction"\nprompt = "p"\nnodes = ["IRS"]\n'
        'against = "fed.toml"\n'
        '[[questions]]\nkind = "order"\nprompt = "p"\nnodes = ["S", "M"]\n', encoding="utf-8")
    exercise = load_exercise("files.toml")
    assert exercise.setting.initial is not None and exercise.setting.initial.name == "Fed"
    key = compute_key(exercise)
    assert key.of("q1").items[0].answer is Direction.HIGHER
    assert key.of("q2").items[0].answer == ("M", "S")
    (folder / "fed.toml").write_text('name = "Fed"\nmodel = "toy.rules"\n[inputs]\n'
                                     'Insuline = 1\n', encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_exercise("files.toml")
    # the scenario file's own problem, and where the exercise names it
    assert str(error.value).startswith("files.toml:4: fed.toml:4: inputs.Insuline: unknown "
                                       "node 'Insuline' (did you mean 'Insulin'?)")
    assert str(error.value).endswith("(named at setting)")
