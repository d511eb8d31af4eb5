"""BNET, the PyBoolNet/BBM format: one ``target, expression`` per line.

- ``#`` starts a comment; blank lines are ignored.
- The first line that is not blank or a comment may be the header ``targets, factors``
  (any case); it is skipped there and only there, so a node named ``targets`` elsewhere
  stays a node.
- Operators ``!`` ``&`` ``|`` (also ``~``, ``&&``, ``||``) and parentheses; the constants
  are ``0``/``1`` and, as biodivine-aeon writes them, ``true``/``false`` (also ``True``/
  ``False``), which therefore cannot name nodes here.
- An input is written ``X, X``. Node names are those of the native format
  (:data:`mtorlogic.expressions.NAME_PATTERN`).
"""
from __future__ import annotations

from ..errors import InputError
from ..expressions import check_depth, is_node_name, parse, symbol, to_text
from ..model import Model, Node, make_model

CONSTANT_WORDS = frozenset({"true", "false", "True", "False"})


def parse_bnet(text: str, *, source: str = "<bnet>", name: str = "model") -> Model:
    text = text.removeprefix("\ufeff")  # a byte-order mark, as Windows editors write
    nodes = []
    first = True
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if "," not in line:
            raise InputError("expected 'target, expression'", source, number)
        target, expression = (part.strip() for part in line.split(",", 1))
        if first and target.lower() == "targets" and expression.lower() == "factors":
            first = False
            continue
        first = False
        if not target or not expression:
            raise InputError("expected 'target, expression'", source, number)
        _check_name(target, source, number)
        function = parse(expression, source=source, line=number, constant_words=True)
        nodes.append(Node(target, function, is_input=function == symbol(target), line=number))
    if not nodes:
        raise InputError("no rules found", source)
    return make_model(nodes, name=name, source=source)


def _check_name(name: str, source: str | None, line: int | None) -> None:
    if name in CONSTANT_WORDS:
        raise InputError(f"{name!r} is a constant in BNET and cannot name a node", source,
                         line)
    if not is_node_name(name):
        raise InputError(f"bad node name {name[:80]!r} (use letters, digits and _ . : ' -; "
                         "not 0 or 1)", source, line)


def format_bnet(model: Model) -> str:
    """The model as BNET text, with the ``targets, factors`` header. Refuses (InputError)
    a node named like a BNET constant, which no BNET reader could read back."""
    lines = [f"# {' '.join(model.name.split())}", "targets, factors"]
    width = max((len(n) for n in model.names), default=0)
    for node in model.nodes:
        _check_name(node.name, model.source, node.line)
        check_depth(node.function, model.source, node.line)
        lines.append(f"{node.name + ',':<{width + 1}} {to_text(node.function)}")
    return "\n".join(lines) + "\n"
