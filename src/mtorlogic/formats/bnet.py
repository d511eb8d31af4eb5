"""BNET, the PyBoolNet/BBM format: one ``target, expression`` per line.

An optional ``targets, factors`` header line is skipped; ``#`` starts a comment; an input is
written ``X, X``.
"""
from __future__ import annotations

from ..errors import InputError
from ..expressions import parse, symbol, to_text
from ..model import Model, Node, make_model


def parse_bnet(text: str, *, source: str = "<bnet>", name: str = "model") -> Model:
    nodes = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if "," not in line:
            raise InputError("expected 'target, expression'", source, number)
        target, expression = (part.strip() for part in line.split(",", 1))
        if target.lower() == "targets" and expression.lower().startswith("factors"):
            continue
        if not target or not expression:
            raise InputError("expected 'target, expression'", source, number)
        function = parse(expression, source=source, line=number)
        nodes.append(Node(target, function, is_input=function == symbol(target), line=number))
    if not nodes:
        raise InputError("no rules found", source)
    return make_model(nodes, name=name, source=source)


def format_bnet(model: Model) -> str:
    lines = [f"# {model.name}", "targets, factors"]
    width = max((len(n) for n in model.names), default=0)
    for node in model.nodes:
        lines.append(f"{node.name + ',':<{width + 1}} {to_text(node.function)}")
    return "\n".join(lines) + "\n"
