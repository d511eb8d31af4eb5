"""The readable forms of an explanation: text for the terminal, HTML for notebooks."""
from __future__ import annotations

import html as html_lib
import textwrap
from typing import TYPE_CHECKING, Iterable, Mapping

if TYPE_CHECKING:  # pragma: no cover
    from ..explain import Case, Explanation, Step

WIDTH = 100
MOST_REACHED = 8
"""At most this many changed nodes are named in a contrast."""


def word(value: object) -> str:
    """A value in words: on, off, oscillating."""
    return {1: "on", 0: "off", "*": "oscillating"}.get(value, str(value))  # type: ignore[arg-type]


def assignments(values: Mapping[str, object]) -> str:
    return ", ".join(f"{name}={value}" for name, value in values.items()) or "-"


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ",
                         break_on_hyphens=False) or [indent]


def _step_lines(step: "Step") -> list[str]:
    given = ", ".join(f"{n} {word(v)}" for n, v in step.given.items())
    head = f"  {step.node} {word(step.value)}"
    if step.value == "*":
        head += f", following {given}" if given else ""
    else:
        head += f", because {given}" if given else ", whatever its regulators do"
    if step.held:
        head += " (held by the loop)"
    lines = _wrap(head, "")
    if step.description:
        lines += _wrap(step.description, "      ")
    lines += _wrap(f"rule: {step.node} = {step.rule}", "      ")
    return lines


def _roots_lines(roots: Mapping[str, int], clamps: Mapping[str, int], label: str) -> list[str]:
    if not roots:
        return []
    from_scenario = {n: v for n, v in roots.items() if clamps.get(n) == v}
    held = {n: v for n, v in roots.items() if n not in from_scenario}
    parts = []
    if from_scenario:
        parts.append(f"the scenario's {assignments(from_scenario)}")
    if held:
        parts.append(f"the held values {assignments(held)}")
    return _wrap(f"{label}: " + " with ".join(parts) + ".", "")


def _case_lines(case: "Case", explanation: "Explanation", *, heading: str = "") -> list[str]:
    lines: list[str] = []
    if heading:
        lines.append(heading)
    if case.mechanism == "clamps":
        lines += _roots_lines(case.roots, explanation.clamps,
                              "Cause (the fewest of the clamps that force it)")
    elif case.mechanism == "loop":
        lines += _roots_lines(case.roots, explanation.clamps,
                              "Cause (no set of clamps forces it; a loop holds it)")
    elif case.mechanism == "oscillation":
        if case.loops:
            loop = case.loops[0]
            lines += _wrap(f"Driven by the negative feedback loop {loop.text()}.", "")
        lines += _roots_lines(case.roots, explanation.clamps, "Kept running by")
    for loop in case.loops:
        if loop.kind == "self-sustaining":
            values = ", ".join(f"{n} {word(v)}" for n, v in loop.values.items())
            lines += _wrap(f"Self-sustaining loop: {loop.text()} ({values}).", "")
    if case.note:
        lines += _wrap(f"Note: {case.note}.", "")
    if case.steps:
        lines.append("Chain:")
        for step in case.steps:
            lines += _step_lines(step)
    return lines


def _evidence(steps: Iterable["Step"]) -> list[str]:
    seen: dict[str, str] = {}
    for step in steps:
        if step.citation and step.node not in seen:
            seen[step.node] = step.citation
    if not seen:
        return []
    lines = ["Evidence for the rules used:"]
    for node, citation in seen.items():
        lines += _wrap(f"{node}: {citation}", "  ")
    return lines


def text(explanation: "Explanation") -> str:
    """The explanation as short readable text (at most 100 columns)."""
    e = explanation
    count = f"{e.attractors} attractor{'s' if e.attractors != 1 else ''} reached"
    status = {"on": "on", "off": "off", "oscillates": "oscillating",
              "mixed": "mixed"}[str(e.status)]
    lines = _wrap(f"{e.node} is {status} in {e.scenario} ({e.scenario_name}); {count}.", "")
    if e.perturbation:
        lines += _wrap(f"Perturbation on top of the scenario: {assignments(e.perturbation)}.",
                       "")
    if e.description:
        lines += _wrap(f"{e.node}: {e.description}", "")
    lines.append("")
    if len(e.cases) == 1:
        lines += _case_lines(e.cases[0], e)
    else:
        parts = [f"{word(case.value)} in attractor"
                 f"{'s' if len(case.attractors) > 1 else ''} "
                 + ", ".join(f"A{i + 1}" for i in case.attractors) for case in e.cases]
        lines += _wrap(f"{e.node} differs between the attractors: " + "; ".join(parts) + ".",
                       "")
        for case in e.cases:
            lines.append("")
            label = ", ".join(f"A{i + 1}" for i in case.attractors)
            lines += _case_lines(case, e, heading=f"In {label} ({word(case.value)}):")
    if e.against is not None:
        lines.append("")
        lines += _contrast_lines(e)
    steps = list(e.steps) if len(e.cases) == 1 else [s for c in e.cases for s in c.steps]
    evidence = _evidence(steps)
    if evidence:
        lines.append("")
        lines += evidence
    return "\n".join(lines)


def _contrast_lines(e: "Explanation") -> list[str]:
    c = e.against
    assert c is not None
    other = c.other
    changes = ", ".join(f"{n} {'-' if a is None else a} -> {'-' if b is None else b}"
                        for n, (a, b) in c.changed.items()) or "none"
    same = str(other.status) == str(e.status)
    lines = _wrap(f"Against {other.scenario}: {e.node} is "
                  f"{'also ' if same else ''}{str(other.status)} there. Clamps changed "
                  f"(there -> here): {changes}.", "")
    if c.path and not same:
        lines += _wrap(f"The change reaches {e.node} along {' -> '.join(c.path)} (in "
                       f"{c.path_in}'s chain).", "")
    elif not same:
        lines += _wrap(f"No changed clamp is a root of {e.node} in either chain: the "
                       "difference comes from the loops or the starting states.", "")
    else:
        shown = ", ".join(c.reached[:MOST_REACHED]) + (
            f" and {len(c.reached) - MOST_REACHED} more" if len(c.reached) > MOST_REACHED
            else "")
        reach = (f"The change reaches {shown}, but not {e.node}" if c.reached
                 else f"The change reaches no node's status, nor {e.node}")
        roots = assignments(e.roots)
        lines += _wrap(f"{reach}: its cause here ({roots}) holds in both.", "")
    if not same and other.roots:
        lines += _wrap(f"There, {e.node} is {other.status} because of "
                       f"{assignments(other.roots)}.", "")
    return lines


def html(explanation: "Explanation") -> str:
    """The explanation for a notebook: a heading, the roots, and the chain as a table."""
    e = explanation
    escape = html_lib.escape
    parts = [f"<div class='mtorlogic-explanation'><p><b>{escape(e.node)}</b> is "
             f"<b>{escape(str(e.status))}</b> in {escape(e.scenario)} "
             f"({escape(e.scenario_name)}); {e.attractors} attractor(s) reached.</p>"]
    for case in e.cases:
        if len(e.cases) > 1:
            parts.append(f"<p>In attractor(s) {', '.join(str(i + 1) for i in case.attractors)}"
                         f": {escape(word(case.value))}</p>")
        if case.roots:
            parts.append(f"<p>Roots: {escape(assignments(case.roots))}</p>")
        for loop in case.loops:
            parts.append(f"<p>{escape(loop.kind)} loop: {escape(loop.text())}</p>")
        if case.note:
            parts.append(f"<p><i>{escape(case.note)}</i></p>")
        if case.steps:
            rows = "".join(
                f"<tr><td>{escape(s.node)}</td><td>{escape(word(s.value))}</td>"
                f"<td>{escape(', '.join(f'{n} {word(v)}' for n, v in s.given.items()))}</td>"
                f"<td><code>{escape(s.rule)}</code></td>"
                f"<td>{escape(s.description)}</td></tr>" for s in case.steps)
            parts.append("<table><tr><th>node</th><th>value</th><th>because</th>"
                         f"<th>rule</th><th>what it is</th></tr>{rows}</table>")
    if e.against is not None:
        parts.append("<pre>" + escape("\n".join(_contrast_lines(e))) + "</pre>")
    parts.append("</div>")
    return "".join(parts)
