"""BooleanNet, the text format of the ``booleannet`` simulator (Albert et al. 2008).

::

    # a comment, to the end of the line
    A = True              initial values (True, False, Random, 0, 1): ignored
    B = C = Random        several nodes at once
    A* = B and not C      an update rule; also written "A *= ..." or "A*=..."
    1: C* = A or B        an optional rank prefix "N:" (ignored: it only orders updates)
    X* = X                an input

Update rules use ``and``, ``or``, ``not``, parentheses and ``True``/``False`` (also the
symbols of the native format). A node with an initial value but no update rule keeps
whatever value it is given, as in BooleanNet itself, so it becomes an input.
"""
from __future__ import annotations

import re

from ..errors import InputError
from ..expressions import is_node_name, parse, symbol, to_text
from ..model import Model, Node, input_node, make_model

_RULE = re.compile(r"(?:\d+\s*:)?\s*([^\s*=]+)\s*\*\s*=(.*)")
_RANK = re.compile(r"\d+\s*:")
_INITIAL_VALUE = re.compile(r"(?i:true|false|random|0|1)")
# Words that the BooleanNet grammar reads as operators or constants, never as node names.
_RESERVED = frozenset({"and", "or", "not", "True", "False", "true", "false"})


def parse_booleannet(text: str, *, source: str = "<booleannet>", name: str = "model") -> Model:
    text = text.removeprefix("\ufeff")
    nodes: list[Node] = []
    initialised: dict[str, int] = {}  # node -> line of its first initial value
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        rule = _RULE.fullmatch(line)
        if rule:
            target, expression = rule.group(1), rule.group(2)
            _check_name(target, source, number)
            if not expression.strip():
                raise InputError(f"the rule for {target!r} has no expression", source, number)
            function = parse(expression, source=source, line=number, word_operators=True)
            nodes.append(Node(target, function, is_input=function == symbol(target),
                              line=number))
            continue
        *targets, value = (part.strip() for part in line.split("="))
        if not targets or not _INITIAL_VALUE.fullmatch(value):
            raise InputError("expected 'NODE* = expression' or 'NODE = True|False|Random'",
                             source, number)
        for target in targets:
            _check_name(target, source, number)
            initialised.setdefault(target, number)
    defined = {node.name for node in nodes}
    nodes.extend(input_node(target, line=number) for target, number in initialised.items()
                 if target not in defined)
    if not nodes:
        raise InputError("no rules found", source)
    return make_model(nodes, name=name, source=source)


def _check_name(name: str, source: str | None, line: int | None) -> None:
    if name in _RESERVED or not is_node_name(name):
        raise InputError(f"bad node name {name[:80]!r} for BooleanNet", source, line)
    if _RANK.match(name):
        raise InputError(f"bad node name {name[:80]!r} for BooleanNet: it would be read as "
                         "a rank prefix 'N:'", source, line)


def format_booleannet(model: Model) -> str:
    """The model as BooleanNet update rules; descriptions and citations become comments."""
    lines = [f"# {' '.join(model.name.split())}"]
    for node in model.nodes:
        _check_name(node.name, model.source, node.line)
        notes = " ".join(node.description.split())
        if node.citation:
            notes = f"{notes} [{' '.join(node.citation.split())}]".strip()
        if notes:
            lines.append(f"# {node.name}: {notes}")
        lines.append(f"{node.name}* = {to_text(node.function, style='words')}")
    return "\n".join(lines) + "\n"
