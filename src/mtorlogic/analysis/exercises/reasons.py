"""Why the model gives the answer it gives: the explanation shown for a wrong prediction.

Status, direction and choice items use the project's explanation engine
(:func:`mtorlogic.analysis.explain.explain`: the causal chain from the setting's clamps to
the node, checked by percolation). Where that module is not installed, the node's rule and
its regulators' statuses stand in, and the text says so. Order items are explained by the
wave itself: the critical path along which the change reached the node
(:meth:`~.key.Wave.chain`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from ...errors import MtorlogicError
from .files import Kind
from .key import Key, QuestionKey

if TYPE_CHECKING:  # pragma: no cover
    from ...scenarios import Scenario

Clamps = tuple[tuple[str, int], ...]
"""Extra clamps on top of a setting: a choice option's ``(node, value)`` pairs."""

FALLBACK_NOTE = "(the explanation engine is not available: showing the rule instead)"


def _explainer() -> Callable[..., Any] | None:
    try:
        from ..explain import explain
    except ImportError:
        return None
    return explain


def _cache(key: Key) -> Any:
    """One explanation cache per answer key, so a class's wrong answers share the work."""
    store = key.cache.setdefault("_explain_cache", {})
    if "cache" not in store:
        try:
            from ..explain import ExplainCache
            store["cache"] = ExplainCache()
        except ImportError:
            store["cache"] = None
    return store["cache"]


def explanation(key: Key, qkey: QuestionKey, item: str, given: Any = None) -> str:
    """The text explaining the model's answer to ``item`` (memoized per key and item; the
    student's wrong answer does not change the reason, except which choice options are
    explained)."""
    question = qkey.question
    memo: dict[Any, str] = key.cache.setdefault("_reasons", {})
    options = tuple(sorted(set(given or ()) ^ set(qkey.items[0].answer))) if (
        question.kind is Kind.CHOICE) else ()
    index = (key.exercise.path, question.id, item, options)
    if index not in memo:
        if question.kind is Kind.ORDER:
            memo[index] = order_reason(qkey)
        elif question.kind is Kind.CHOICE:
            memo[index] = choice_reason(key, qkey, options)
        elif question.kind is Kind.DIRECTION:
            memo[index] = node_reason(key, item, against=question.against,
                                      setting=question.scene(key.exercise))
        else:
            memo[index] = node_reason(key, item, setting=question.scene(key.exercise))
    return memo[index]


def node_reason(key: Key, node: str, *, setting: Scenario | None = None,
                against: Scenario | None = None, clamps: Clamps = ()) -> str:
    """Why ``node`` has its status in ``setting`` (default: the exercise's), with ``clamps``
    on top, contrasted with ``against`` when given."""
    explain = _explainer()
    setting = key.exercise.setting if setting is None else setting
    if explain is not None:
        try:
            result = explain(setting, node, against=against,
                             perturbation=dict(clamps) or None, cache=_cache(key))
            return str(result.brief())
        except MtorlogicError:  # a bound hit while explaining: the rule still teaches
            pass
    return rule_reason(key, node, setting=setting, against=against, clamps=clamps)


def rule_reason(key: Key, node: str, *, setting: Scenario | None = None,
                against: Scenario | None = None, clamps: Clamps = ()) -> str:
    """The fallback: the node's rule, and its regulators' statuses in the setting (and in
    ``against``)."""
    from ...readouts import run_scenario
    from .grading import perturbed

    setting = perturbed(key.exercise.setting if setting is None else setting, clamps)
    model = setting.model
    here = run_scenario(setting, key.cache)
    rule = model.describe(node)
    citation = model.node(node).citation
    regulators = sorted(model.node(node).regulators)
    lines = [f"{node} is {here.status[node]} here (activity {here.activity[node]:.2f}). "
             f"Rule: {rule}" + (f"  [{citation}]" if citation else "")]
    if against is not None:
        there = run_scenario(against, key.cache)
        lines.append(f"In {against.name}: {node} is {there.status[node]} "
                     f"(activity {there.activity[node]:.2f}).")
        lines.append("Its regulators here / there: " + ", ".join(
            f"{r} {here.status[r]} / {there.status[r]}" for r in regulators))
    elif regulators:
        lines.append("Its regulators here: " + ", ".join(f"{r} {here.status[r]}"
                                                        for r in regulators))
    lines.append(FALLBACK_NOTE)
    return "\n".join(lines)


def choice_reason(key: Key, qkey: QuestionKey, options: tuple[str, ...]) -> str:
    """For each option the student judged wrongly: its verdict, and why the target's nodes
    take their values under that perturbation."""
    from ...expressions import parse, variables
    from ...readouts import run_scenario
    from .grading import perturbed

    question = qkey.question
    verdicts = qkey.items[0].detail["verdicts"]
    nodes = sorted(variables(parse(question.target)))
    wording = {"always": "achieves it (true in every attractor reached)",
               "never": "does not achieve it (false in every attractor reached)",
               "sometimes": "does not achieve it reliably (true in some states or "
                            "attractors, false in others)"}
    lines = []
    for option in question.options:
        if option.label not in options:
            continue
        scene = question.scene(key.exercise)
        scenario = perturbed(scene, option.clamps)
        result = run_scenario(scenario, key.cache)
        lines.append(f"{option.label}) {option.text}: {wording[verdicts[option.label].value]}; "
                     + ", ".join(f"{n} {result.status[n]}" for n in nodes) + ".")
        for node in nodes:
            reason = node_reason(key, node, setting=scene, clamps=option.clamps)
            lines.extend("   " + line for line in reason.splitlines())
    return "\n".join(lines)


def order_reason(qkey: QuestionKey) -> str:
    """The switch step of each node and the path the change took to reach it."""
    wave = qkey.wave
    assert wave is not None
    steps = qkey.items[0].detail["steps"]
    lines = ["Switch steps (rounds of propagation from the change): " + ", ".join(
        f"{n} {'never' if s is None else s}" for n, s in
        sorted(steps.items(), key=lambda kv: (kv[1] is None, kv[1] or 0)))]
    shown: set[str] = set()
    for node in qkey.items[0].answer:
        chain = wave.chain(node)
        if not chain:
            lines.append(f"{node}: does not switch after this change")
            continue
        # start from the last link already shown, so shared paths are told once
        start = max((i for i, (n, _, _) in enumerate(chain) if n in shown), default=0)
        links = " -> ".join(_link(n, s, v) for n, s, v in chain[start:])
        lines.append(f"{node}: " + ("... " if start else "") + links)
        shown.update(n for n, _, _ in chain)
    return "\n".join(lines)


def _link(node: str, step: int, value: Any) -> str:
    word = {1: "on", 0: "off"}.get(value, "oscillates")
    return f"{node} {word} ({step})"
