"""The answer key of an exercise, computed by the engine from the model (never written by
hand), and the check of an author's literature answers against it.

Each question's *items* are what earns a mark: one per node of a status or direction
question, one for a choice or order question. The model's answer to each:

- status: the node's :class:`~mtorlogic.outcomes.Status` in the attractors the setting
  reaches (SPEC §3);
- direction: the node's activity in the setting against the ``against`` scenario, as
  ``[compare]`` judges it (:func:`mtorlogic.readouts.relation`);
- choice: the options whose perturbation, applied on top of the setting's clamps, makes the
  target expression true in every state of every attractor reached (the screen's verdict
  ``always``, :class:`~mtorlogic.outcomes.Verdict`);
- order: the *switch step* of each node in the :func:`wave` that the setting's clamps start
  from the earlier phase.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from ...dynamics.results import Limits
from ...outcomes import Status, Verdict
from ...readouts import ScenarioResult, relation, run_scenario
from ...scenarios import Scenario
from .files import Direction, Exercise, Kind, Question

if TYPE_CHECKING:  # pragma: no cover
    from ...dynamics.results import Attractor
    from ...model import Model

ORDER_ITEM = "order"
CHOICE_ITEM = "choice"

Ternary = Mapping[str, "int | str"]
"""Node -> 0, 1 or ``"*"`` (not determined)."""


@dataclass(frozen=True)
class Wave:
    """How a change spreads from an earlier phase (see :func:`wave`).

    ``before`` are the earlier phase's values (``"*"`` where a node oscillates or the
    attractors disagree); ``states`` the ternary state after each step (step 0: the earlier
    values with the new clamps applied); ``switch`` the first step at which each node took a
    definite value other than its earlier one (nodes that never do are left out).
    """

    before: Ternary
    states: tuple[Ternary, ...]
    switch: Mapping[str, int]
    regulators: Mapping[str, tuple[str, ...]] = field(repr=False)

    def step(self, node: str) -> int | None:
        return self.switch.get(node)

    def chain(self, node: str) -> list[tuple[str, int, int | str]]:
        """Why ``node`` switched when it did: the critical path ``(node, step, new value)``
        from a changed clamp (step 0) to ``node``. Each link is a regulator whose value had
        changed one step before the next node switched, the one that switched last (the
        change the next node waited for). Empty when ``node`` never switches."""
        step = self.switch.get(node)
        if step is None:
            return []
        links = [(node, step, self.states[step][node])]
        while step > 0:
            earlier = self.states[step - 1]
            changed = [r for r in self.regulators[node]
                       if earlier.get(r) != self.before.get(r) and earlier.get(r) != "*"
                       and r in self.switch]
            node = max(changed, key=lambda r: (self.switch[r], r))
            step = self.switch[node]
            links.append((node, step, self.states[step][node]))
        return links[::-1]


def ternary_values(attractors: Iterable[Attractor], names: tuple[str, ...]) -> dict[str, int | str]:
    """One value per node over ``attractors``: 0 or 1 where every attractor has it
    constant at that value, ``"*"`` otherwise."""
    values: dict[str, int | str] = {}
    for name in names:
        seen = {attractor.values[name] for attractor in attractors}
        values[name] = seen.pop() if len(seen) == 1 and "*" not in seen else "*"
    return values


def wave(model: Model, clamps: Mapping[str, int], before: Ternary, *, max_steps: int | None = None
         ) -> Wave:
    """The synchronous three-valued propagation of ``clamps`` from ``before``.

    Step 0 is ``before`` with ``clamps`` applied. At step k every node takes the value its
    update function forces given the definite values of step k-1 (the function restricted
    to them is constant), or ``"*"`` when it is not forced. A node *switches* at the first
    step at which it holds a definite value different from its value in ``before`` (a
    node that oscillated before switches when it settles). Starting from a trap space of
    the old model (its attractors' values), this is percolation of the new clamps run in
    rounds, so the switch step counts the links a change must cross to reach a node:
    deterministic, independent of the update semantics, and an upper bound on when the
    node switches under synchronous updating. Each step is one round of the engine's
    percolation (:func:`~mtorlogic.dynamics.percolation.forced`); unlike a closure, which
    only grows, a step may also lose an earlier value no longer forced, so the steps are
    iterated here until the ternary state repeats.

    :param model: the model *without* the clamps.
    :param clamps: the later phase's clamps (inputs, drugs, mutations).
    :param before: node -> 0/1/``"*"`` in the earlier phase.
    :param max_steps: stop after this many steps (default: until the ternary state repeats,
        which it does within 3**n steps and in practice within a few dozen).
    :returns: the :class:`Wave`. Cost: O(n) BDD restrictions per step.
    """
    from ...dynamics.percolation import forced
    from ...dynamics.system import LogicalSystem

    clamped = model.clamp(clamps, reason="exercise change")
    system = LogicalSystem.from_model(clamped)
    names = system.names
    state: dict[str, int | str] = {name: before[name] for name in names}
    state.update(clamps)
    switch = {name: 0 for name, value in clamps.items() if before[name] != value}
    states = [dict(state)]
    seen = {tuple(state.values())}
    steps = 0
    while max_steps is None or steps < max_steps:
        steps += 1
        fixed = {i: int(v) for i, v in enumerate(state.values()) if v != "*"}
        values = forced(system, fixed)
        new: dict[str, int | str] = {name: values.get(i, "*") for i, name in enumerate(names)}
        for name, value in new.items():
            if name not in switch and value != "*" and value != before[name]:
                switch[name] = steps
        states.append(new)
        signature = tuple(new.values())
        if signature in seen:
            break
        seen.add(signature)
        state = new
    regulators = {name: tuple(sorted(names[r] for r in system.regulators[i]))
                  for i, name in enumerate(names)}
    return Wave(dict(before), tuple(states), switch, regulators)


@dataclass(frozen=True)
class ItemKey:
    """The model's answer to one item: ``answer`` is a :class:`Status`, a
    :class:`Direction`, the labels of the options that achieve the target (choice) or the
    nodes in switching order (order). ``detail`` holds what the answer was read from:
    activities, each option's verdict, each node's switch step."""

    item: str
    answer: Any
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class QuestionKey:
    question: Question
    items: tuple[ItemKey, ...]
    wave: Wave | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Key:
    """The answer key of an exercise: one :class:`QuestionKey` per question, and the
    results it was read from (memoized attractors in ``cache``)."""

    exercise: Exercise
    questions: tuple[QuestionKey, ...]
    result: ScenarioResult = field(repr=False)
    cache: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def of(self, question_id: str) -> QuestionKey:
        for key in self.questions:
            if key.question.id == question_id:
                return key
        raise KeyError(question_id)


def compute_key(exercise: Exercise, cache: dict[Any, Any] | None = None, *,
                limits: Limits = Limits()) -> Key:
    """Compute every question's answer from the model.

    :param cache: attractors memoized between calls (see :func:`~mtorlogic.readouts.
        run_scenario`); pass one dict to share work between exercises.
    :param limits: bounds on each attractor search and screen judgement behind the answers
        (a model brought by the exercise's author may be large).
    """
    cache = {} if cache is None else cache
    main = run_scenario(exercise.setting, cache, limits=limits)
    keys = []
    for question in exercise.questions:
        scene = question.scene(exercise)
        result = main if scene is exercise.setting else run_scenario(scene, cache, limits=limits)
        if question.kind is Kind.STATUS:
            keys.append(QuestionKey(question, tuple(
                ItemKey(node, Status(result.status[node]),
                        {"activity": result.activity[node]}) for node in question.nodes)))
        elif question.kind is Kind.DIRECTION:
            if question.against is None:  # the loader requires it
                raise ValueError(f"direction question {question.id} has no reference")
            reference = run_scenario(question.against, cache, limits=limits)
            keys.append(QuestionKey(question, tuple(
                ItemKey(node, Direction(relation(result.activity[node],
                                                 reference.activity[node])),
                        {"activity": result.activity[node],
                         "reference_activity": reference.activity[node]})
                for node in question.nodes)))
        elif question.kind is Kind.CHOICE:
            verdicts = option_verdicts(scene, question, limits)
            achieving = tuple(label for label, verdict in verdicts.items()
                              if verdict is Verdict.ALWAYS)
            keys.append(QuestionKey(question, (ItemKey(CHOICE_ITEM, achieving,
                                                       {"verdicts": verdicts}),)))
        else:
            keys.append(order_key(scene, question, cache, limits))
    return Key(exercise, tuple(keys), main, cache)


def option_verdicts(setting: Scenario, question: Question,
                    limits: Limits = Limits()) -> dict[str, Verdict]:
    """Each option's verdict on the question's target: the screen's judgement of the
    setting with the option's clamps on top (SPEC §5, ``screen``)."""
    from ..screen import build_spec
    from ..spec import combine
    from ..workers import evaluate_chunk

    spec = build_spec([setting], question.target, limits=limits)
    rows = evaluate_chunk(spec, [option.clamps for option in question.options])
    return {option.label: Verdict(combine(v for base in row for v in base))
            for option, row in zip(question.options, rows)}


def order_key(setting: Scenario, question: Question, cache: dict[Any, Any],
              limits: Limits = Limits()) -> QuestionKey:
    """The wave from ``question.before``'s attractors under the setting's clamps; the
    answer lists the question's nodes by switch step (ties in the question's order, nodes
    that never switch last)."""
    from ...readouts import reached_attractors

    before = question.before
    if before is None:  # the loader gives every order question an earlier phase
        raise ValueError(f"order question {question.id} has no earlier phase")
    attractors = reached_attractors(before, cache, limits=limits)
    values = ternary_values(attractors, before.model.names)
    spread = wave(setting.model, setting.clamps, values)
    never = len(setting.model) * 10
    ordered = tuple(sorted(question.nodes, key=lambda n: (spread.switch.get(n, never),
                                                           question.nodes.index(n))))
    steps = {node: spread.step(node) for node in question.nodes}
    return QuestionKey(question, (ItemKey(ORDER_ITEM, ordered, {"steps": steps}),), spread)


def order_consistent(order: Sequence[str], steps: Mapping[str, int | None]) -> bool:
    """Whether ``order`` (every node once) lists nodes by non-decreasing switch step, nodes
    that never switch last; nodes that switch at the same step may come in any order."""
    if sorted(order) != sorted(steps):
        return False
    never = float("inf")
    ranks = [never if (step := steps[node]) is None else float(step) for node in order]
    return all(a <= b for a, b in pairwise(ranks))


# ---------------------------------------------------------------------------------------
# checking an exercise against the model


@dataclass(frozen=True)
class CheckFinding:
    """One thing ``exercise --check`` verified: a stated literature answer against the
    model (``kind = "literature"``), or that the model gives the item a single answer a
    student can state (``kind = "key"``: no "mixed" status, every ordered node switches)."""

    exercise: str
    question: str
    item: str
    kind: str
    passed: bool
    message: str
    literature: Any = None
    model: Any = None
    source: str = ""

    def to_json(self) -> dict[str, Any]:
        data = {"exercise": self.exercise, "question": self.question, "item": self.item,
                "kind": self.kind, "passed": self.passed, "message": self.message,
                "literature": plain(self.literature), "model": plain(self.model),
                "source": self.source or None}
        return {key: value for key, value in data.items() if value is not None}


def plain(value: Any) -> Any:
    """``value`` for JSON: answers' enums as their words, tuples as lists."""
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    if isinstance(value, (Status, Direction, Verdict)):
        return value.value
    return value


def check_key(key: Key) -> list[CheckFinding]:
    """Every literature answer of the exercise compared with the model's, and every item
    whose model answer a student could not give; passing findings included."""
    exercise = key.exercise.id
    findings: list[CheckFinding] = []
    for qkey in key.questions:
        question = qkey.question
        for item in qkey.items:
            if isinstance(item.answer, Status) and item.answer is Status.MIXED:
                findings.append(CheckFinding(
                    exercise, question.id, item.item, "key", False,
                    f"{item.item} is mixed in the model (the attractors reached disagree), "
                    "so the question has no single answer", model=item.answer))
            if question.kind is Kind.ORDER:
                silent = [n for n, s in item.detail["steps"].items() if s is None]
                if silent:
                    findings.append(CheckFinding(
                        exercise, question.id, item.item, "key", False,
                        f"{', '.join(silent)} never switch(es) after the change in the model, "
                        "so the order is not defined for it", model=item.answer))
        literature = question.literature
        if literature is None:
            continue
        if question.kind in (Kind.STATUS, Kind.DIRECTION):
            for item in qkey.items:
                if item.item not in literature:
                    continue
                stated = literature[item.item]
                ok = stated == item.answer
                findings.append(CheckFinding(
                    exercise, question.id, item.item, "literature", ok,
                    f"{item.item}: literature says {stated}, model gives {item.answer}"
                    + _detail(item), stated, item.answer, question.source))
        elif question.kind is Kind.CHOICE:
            item = qkey.items[0]
            ok = tuple(literature) == tuple(item.answer)
            findings.append(CheckFinding(
                exercise, question.id, item.item, "literature", ok,
                f"options achieving the target: literature says {_labels(literature)}, "
                f"model gives {_labels(item.answer)} ("
                + ", ".join(f"{label}: {verdict}" for label, verdict
                            in item.detail["verdicts"].items()) + ")",
                literature, item.answer, question.source))
        else:
            item = qkey.items[0]
            ok = order_consistent(literature, item.detail["steps"])
            steps = ", ".join(f"{n} {'never' if s is None else s}"
                              for n, s in item.detail["steps"].items())
            findings.append(CheckFinding(
                exercise, question.id, item.item, "literature", ok,
                f"order: literature says {' < '.join(literature)}, model's switch steps are "
                f"{steps}", literature, item.answer, question.source))
    return findings


def _labels(labels: Sequence[str] | None) -> str:
    return ", ".join(labels) if labels else "none"


def _detail(item: ItemKey) -> str:
    if "reference_activity" in item.detail:
        return (f" (activity {item.detail['activity']:.3f} vs "
                f"{item.detail['reference_activity']:.3f})")
    return ""
