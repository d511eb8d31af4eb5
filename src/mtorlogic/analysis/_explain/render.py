"""The readable forms of an explanation: text for the terminal, HTML for notebooks.

The text is short by default: the cause, the *path* (the longest chain of the derivation,
from a root to the node: the story), each step of it with the node's description, rule and
evidence, and the other values the derivation needs named in one paragraph. ``full=True``
lists every step.
"""
from __future__ import annotations

import html as html_lib
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..explain import Case, Explanation, Step

WIDTH = 100
MOST_REACHED = 8
"""At most this many changed nodes are named in a contrast."""
ARROWS = {1: "->", -1: "-|", 0: "-?"}
MOST_RUNS = 6
"""Longer lists of attractor numbers are summarised by their count and range."""


WORDS: dict[object, str] = {1: "on", 0: "off", "*": "oscillating"}


def word(value: object) -> str:
    """A value in words: on, off, oscillating."""
    return WORDS.get(value, str(value))


def assignments(values: Mapping[str, object]) -> str:
    return ", ".join(f"{name}={value}" for name, value in values.items()) or "-"


def _wrap(text: str, indent: str = "", more: str = "  ") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent + more,
                         break_on_hyphens=False, break_long_words=False) or [indent]


def cause(roots: Mapping[str, int], clamps: Mapping[str, int],
          inputs: Iterable[str] | None = None) -> str:
    """Roots in words: ``TSC knocked out; Insulin, Leucine present; Rapamycin absent; held
    by a loop: B on``. A root that is not one of the scenario's ``clamps`` is held by a
    loop. Given the model's ``inputs``, other clamped nodes (mutations, ``--set``) are
    knocked out or constitutively active; without, every clamp is present or absent."""
    known_inputs = None if inputs is None else set(inputs)
    groups: dict[str, list[str]] = {}
    for name, value in roots.items():
        if clamps.get(name) != value:
            kind = "held"
        elif known_inputs is None or name in known_inputs:
            kind = "present" if value else "absent"
        else:
            kind = "constitutively active" if value else "knocked out"
        groups.setdefault(kind, []).append(name if kind != "held" else f"{name} {word(value)}")
    parts = [f"{', '.join(groups[kind])} {kind}" for kind in
             ("knocked out", "constitutively active", "present", "absent") if kind in groups]
    if "held" in groups:
        parts.append("held by a loop: " + ", ".join(groups["held"]))
    return "; ".join(parts)


def _cause(roots: Mapping[str, int], e: Explanation) -> str:
    return cause(roots, e.clamps, e.network.inputs if e.network is not None else None)


def attractor_list(indices: Sequence[int]) -> str:
    """Attractors by number, runs shortened: ``A1, A3-A7 (6 attractors)``."""
    runs: list[list[int]] = []
    for i in sorted(indices):
        if runs and i == runs[-1][1] + 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    if len(runs) > MOST_RUNS:
        return f"{len(indices)} attractors from A{runs[0][0] + 1} to A{runs[-1][1] + 1}"
    text = ", ".join(f"A{a + 1}" if a == b else f"A{a + 1}-A{b + 1}" for a, b in runs)
    return text + (f" ({len(indices)} attractors)" if len(indices) > 2 else "")


def _described(name: str, e: Explanation) -> list[str]:
    """``name: its description`` when the model gives one."""
    if e.network is None or name not in e.network or not e.network.node(name).description:
        return []
    return _wrap(f"{name}: {e.network.node(name).description}", "  ", "    ")


def arrows(chain: Sequence[str], steps: Sequence[Step]) -> str:
    """``A -> B -| C``, with each edge's sign from the steps."""
    signs = {step.node: step.signs for step in steps}
    text = chain[0]
    for regulator, target in zip(chain, chain[1:]):
        sign = signs.get(target, {}).get(regulator, 1)
        text += f" {ARROWS[sign]} {target}"
    return text


def _step_detail(step: Step) -> list[str]:
    given = ", ".join(f"{n} {word(v)}" for n, v in step.given.items())
    link = "following" if step.value == "*" else "because"
    head = f"{step.node} {word(step.value)}" + (f", {link} {given}" if given else "")
    if step.held:
        head += " (held by the loop)"
    lines = _wrap(head + (f": {step.description}" if step.description else ""), "  ", "    ")
    rule = f"{step.node} = {step.rule}" + (f"   [{step.citation}]" if step.citation else "")
    return lines + _wrap(rule, "      ", "  ")


def _step_line(step: Step) -> list[str]:
    given = ", ".join(f"{n} {word(v)}" for n, v in step.given.items())
    return _wrap(f"{step.node} {word(step.value)} <- {given or 'its rule is constant'}", "  ",
                 "    ")


def _case_lines(case: Case, e: Explanation, full: bool) -> list[str]:
    lines: list[str] = []
    steps = list(case.steps)
    if case.mechanism == "clamps":
        lines += _wrap(f"Cause: {_cause(case.roots, e)} (the fewest of the scenario's "
                       "clamps that force it).")
    elif case.mechanism == "loop":
        lines += _wrap(f"Cause: {_cause(case.roots, e)} (no set of clamps forces it).")
        for loop in case.loops:
            values = ", ".join(f"{n} {word(v)}" for n, v in loop.values.items())
            lines += _wrap(f"Held by the self-sustaining loop {loop.text()} ({values}).")
    elif case.mechanism == "oscillation" and case.loops:
        loop = case.loops[0]
        if loop.kind == "negative feedback":
            lines += _wrap(f"Driven by the negative feedback loop {loop.text()}.")
        else:
            lines += _wrap(f"Driven by the loop {loop.text()}, around which synchronous "
                           "updating carries a pattern (no negative loop reaches it).")
        if case.roots:
            enablers: dict[str, object] = {}
            for step in case.steps:
                if step.value == "*":
                    enablers.update(list(step.given.items())[1:])
            held = ", ".join(f"{n} {word(v)}" for n, v in enablers.items())
            lines += _wrap(f"Kept running by {held} (forced by: {_cause(case.roots, e)}).")
    if case.note:
        lines += _wrap(f"Note: {case.note}.")
    if not steps:
        if e.node in case.roots:
            lines += _wrap(f"{e.node} is itself set by the scenario.")
        return lines
    if case.mechanism == "oscillation":
        path_nodes = [s.node for s in steps if s.value == "*"]
        if len(case.path) > 1:
            lines += _wrap(f"It reaches {e.node} along {arrows(case.path, steps)}.")
    else:
        path_nodes = list(case.path)
        lines += _wrap(f"Path: {arrows(case.path, steps)}")
    by_node = {step.node: step for step in steps}
    if path_nodes and path_nodes[0] not in by_node:  # the root the path starts from
        lines += _described(path_nodes[0], e)
    for node in path_nodes:
        if node in by_node:
            lines += _step_detail(by_node[node])
    others = [s for s in steps if s.node not in path_nodes]
    if others and full:
        lines.append("Other steps (value <- the regulator values that force it by its rule):")
        for step in others:
            lines += _step_line(step)
    elif others:
        needed = ", ".join(f"{s.node} {word(s.value)}" for s in others)
        lines += _wrap(f"Also needed ({len(others)}; --full shows why): {needed}.")
    return lines


def text(explanation: Explanation, *, full: bool = False) -> str:
    """The explanation as short readable text (at most 100 columns, but for long words);
    ``full`` lists every step of the chain."""
    e = explanation
    count = f"{e.attractors} attractor{'s' if e.attractors != 1 else ''} reached"
    status = {"on": "on", "off": "off", "oscillates": "oscillating",
              "mixed": "mixed"}[str(e.status)]
    lines = _wrap(f"{e.node} is {status} in {e.scenario} ({e.scenario_name}); {count}.")
    if e.perturbation:
        lines += _wrap(f"Perturbation on top of the scenario: {assignments(e.perturbation)}.")
    if e.description:
        lines += _wrap(f"{e.node}: {e.description}")
    lines.append("")
    if len(e.cases) == 1:
        lines += _case_lines(e.cases[0], e, full)
    else:
        parts = [f"{word(case.value)} in {attractor_list(case.attractors)}"
                 for case in e.cases]
        lines += _wrap(f"{e.node} differs between the attractors: " + "; ".join(parts) + ".")
        for case in e.cases:
            label = attractor_list(case.attractors)
            lines += ["", f"In {label} ({word(case.value)}):"]
            lines += _case_lines(case, e, full)
    if e.against is not None:
        lines.append("")
        lines += contrast_lines(e)
    return "\n".join(lines)


def brief(explanation: Explanation) -> str:
    """The explanation told briefly (a few lines), for a student who just predicted wrongly
    (exercises): the cause, the path from it to the node, the node's rule, and
    for a contrast how the change reaches the node. (:func:`text` is the full account,
    every step with its rule and citation.)"""
    e = explanation
    status = {"oscillates": "oscillating"}.get(str(e.status), str(e.status))
    lines = [f"{e.node} is {status} here" + (f": {e.description}" if e.description else "")
             + ("" if e.description.endswith(".") else ".")]
    for case in e.cases:
        lead = "" if len(e.cases) == 1 else (
            f"In {len(case.attractors)} of the {e.attractors} attractors it is "
            f"{word(case.value)}: ")
        if case.mechanism == "oscillation" and case.loops:
            lines.append(f"{lead}Driven by the negative feedback loop {case.loops[0].text()}.")
        elif case.roots:
            held = "; ".join(f"held by the loop {loop.text()}" for loop in case.loops)
            lines.append(f"{lead}Cause: {cause(case.roots, e.clamps)}"
                         + (f"; {held}" if held else "") + ".")
        elif case.note:
            lines.append(f"{lead}{case.note}.")
        if len(case.path) > 1:
            lines.append(f"Path: {arrows(case.path, case.steps)}")
        last = next((step for step in case.steps if step.node == e.node), None)
        if last is not None:
            lines.append(f"Rule: {e.node} = {last.rule}"
                         + (f"  [{last.citation}]" if last.citation else ""))
    if e.against is not None:
        for line in contrast_lines(e):  # join its wrapped paragraphs; the caller wraps
            if line.startswith(" ") and lines:
                lines[-1] += " " + line.strip()
            else:
                lines.append(line)
    return "\n".join(line for line in lines if line.strip())


def _change(name: str, there: int | None, here: int | None) -> str:
    if there is None:
        return f"{name}={here} (not clamped there)"
    if here is None:
        return f"{name} no longer clamped (was {there})"
    return f"{name} {there} -> {here}"


def contrast_lines(e: Explanation) -> list[str]:
    c = e.against
    assert c is not None
    other = c.other
    changes = ", ".join(_change(n, a, b) for n, (a, b) in c.changed.items()) or "none"
    same = str(other.status) == str(e.status)
    here = e.scenario + "".join(f" + {n}={v}" for n, v in e.perturbation.items())
    lines = _wrap(f"Against {other.scenario}: {e.node} is {'also ' if same else ''}"
                  f"{other.status} there. Clamps changed ({other.scenario} -> {here}): "
                  f"{changes}.")
    steps = [s for case in (e.cases + other.cases) for s in case.steps]
    shown = ", ".join(c.reached[:MOST_REACHED]) + (
        f" and {len(c.reached) - MOST_REACHED} more" if len(c.reached) > MOST_REACHED else "")
    if c.path and not same:
        lines += _wrap(f"The change reaches {e.node} along {arrows(c.path, steps)}.")
    elif not same:
        lines += _wrap(f"No changed clamp is a root of {e.node} in either scenario: the "
                       "difference comes from loops or starting states.")
    elif c.path:
        lines += _wrap(f"The change reaches {e.node} along {arrows(c.path, steps)}, yet "
                       "other causes give it the same value in both.")
    else:
        reach = (f"The change reaches {shown}, but not {e.node}" if c.reached
                 else f"The change alters no node's status, nor {e.node}'s")
        lines += _wrap(f"{reach}: no changed clamp is among the roots of its value here.")
    if not same and other.roots:
        lines += _wrap(f"There, {e.node} is {other.status} because of: "
                       f"{_cause(other.roots, other)}.")
    return lines


def html(explanation: Explanation) -> str:
    """The explanation for a notebook: the text, then every step as a table."""
    e = explanation
    escape = html_lib.escape
    parts = [f"<div class='mtorlogic-explanation'><pre>{escape(text(e))}</pre>"]
    for case in e.cases:
        if not case.steps:
            continue
        rows = "".join(
            f"<tr><td>{escape(s.node)}</td><td>{escape(word(s.value))}</td>"
            f"<td>{escape(', '.join(f'{n} {word(v)}' for n, v in s.given.items()))}</td>"
            f"<td><code>{escape(s.rule)}</code></td>"
            f"<td>{escape(s.description)}</td></tr>" for s in case.steps)
        parts.append(f"<details><summary>All {len(case.steps)} steps"
                     f"{'' if len(e.cases) == 1 else ' (' + word(case.value) + ')'}</summary>"
                     "<table><tr><th>node</th><th>value</th><th>because</th><th>rule</th>"
                     f"<th>what it is</th></tr>{rows}</table></details>")
    parts.append("</div>")
    return "".join(parts)
