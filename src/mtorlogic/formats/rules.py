"""The native ``.rules`` format: one rule per line, each with its evidence.

Example::

    # Amino-acid sensing (a comment: '#' to the end of the line)
    #: Leucine available to the cell
    input Leucine  [Wolfson 2016, Science 351:43]
    #: Rag heterodimer in its "on" state
    RAG    = GATOR2 & !GATOR1   [Liu & Sabatini 2020, Nat Rev Mol Cell Biol 21:183; Sancak 2008]
    mTORC1 = RHEB & RAG & !Rapamycin  # no citation yet

Grammar, one statement per line::

    line        := blank | comment | description | input | rule
    comment     := "#" text
    description := "#:" text
    input       := "input" NAME [citation] [comment]
    rule        := NAME "=" EXPRESSION [citation] [comment]
    citation    := "[" text without "[" or "]" "]"
    EXPRESSION  := disjunct {"|" disjunct}
    disjunct    := unary {"&" unary}
    unary       := "!" unary | "(" EXPRESSION ")" | NAME | "0" | "1"
    NAME        := a match of expressions.NAME_PATTERN other than "0" and "1"

- ``#`` starts a comment (a whole line or the end of one). Blank lines are ignored.
- ``#:`` lines directly above an input or a rule (with no other line in between, not even a
  blank one) are that node's one-line description; several ``#:`` lines join with a space.
- ``input NAME`` declares an input node: its function is itself. ``NAME = NAME`` means the
  same. ``input`` is a keyword only when one name follows it, so ``input = ...`` is the rule
  of a node called ``input``; any name (``in``, ``next``, ``MAX``, ``and``...) may be a node.
- The citation is optional, one per statement, and ends it: the text inside the ``[...]``
  at the end of the statement (before any comment). Inside it ``&``, ``|``, ``;``, ``,``,
  ``:`` and ``#`` are plain text. Several references go in one bracket, separated by ``;``.
- Operators ``!`` ``&`` ``|`` (also ``~``, ``&&``, ``||``) bind in that order; ``0``/``1``
  are the constants.
- Every node a rule mentions must have a rule or an ``input`` line, and each only one.
"""
from __future__ import annotations

import re
from dataclasses import replace

from ..errors import InputError
from ..expressions import is_node_name, parse, symbol, to_text
from ..model import Model, Node, input_node, make_model

# A name that does not contain '=' so that "input = X" stays the rule of a node named input.
_INPUT = re.compile(r"input\s+([^\s=]+)")


__all__ = ["format_rules", "is_node_name", "parse_rules"]


def parse_rules(text: str, *, source: str = "<rules>", name: str = "model") -> Model:
    text = text.removeprefix("\ufeff")  # a byte-order mark, as Windows editors write
    nodes: list[Node] = []
    description: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("#:"):
            description.append(stripped[2:].strip())
            continue
        if not stripped or stripped.startswith("#"):
            description = []
            continue
        statement, citation = _split_statement(raw, source, number)
        node = _parse_statement(statement, source, number)
        nodes.append(replace(node, description=" ".join(part for part in description if part),
                             citation=citation))
        description = []
    if not nodes:
        raise InputError("no rules found", source)
    return make_model(nodes, name=name, source=source)


def _split_statement(raw: str, source: str, number: int) -> tuple[str, str]:
    """The statement of a line without its comment, and its citation ("" when none).

    Scanned by hand because ``#`` and ``[`` mean different things inside a citation."""
    end = len(raw)
    brackets: list[tuple[int, int]] = []
    opened: int | None = None
    for position, char in enumerate(raw):
        if opened is None:
            if char == "#":
                end = position
                break
            if char == "[":
                opened = position
            elif char == "]":
                raise InputError("']' without a matching '['", source, number)
        elif char == "]":
            brackets.append((opened, position))
            opened = None
        elif char == "[":
            raise InputError("'[' inside a citation (citations cannot nest)", source, number)
    if opened is not None:
        raise InputError("unterminated citation: '[' without a closing ']' on this line",
                         source, number)
    if not brackets:
        return raw[:end].strip(), ""
    if len(brackets) > 1:
        raise InputError("more than one [...] citation; put every reference in one bracket, "
                         "separated by ';'", source, number)
    start, stop = brackets[0]
    if raw[stop + 1:end].strip():
        raise InputError("text after the citation; the [...] citation must end the statement",
                         source, number)
    return raw[:start].strip(), raw[start + 1:stop].strip()


def _parse_statement(statement: str, source: str, number: int) -> Node:
    declared = _INPUT.fullmatch(statement)
    if declared:
        return input_node(_checked_name(declared.group(1), source, number), line=number)
    target, equals, expression = statement.partition("=")
    if not equals:
        raise InputError("expected 'NAME = EXPRESSION' or 'input NAME'", source, number)
    target = _checked_name(target.strip(), source, number)
    if not expression.strip():
        raise InputError(f"the rule for {target!r} has no expression", source, number)
    function = parse(expression, source=source, line=number)
    return Node(target, function, is_input=function == symbol(target), line=number)


def _checked_name(name: str, source: str | None, number: int | None) -> str:
    if not is_node_name(name):
        raise InputError(f"bad node name {name!r} (use letters, digits and _ . : ' -; "
                         "not 0 or 1)", source, number)
    return name


_CITATION_COLUMN_LIMIT = 40  # longer statements put their citation two spaces after them


def format_rules(model: Model) -> str:
    """The model as ``.rules`` text: descriptions as ``#:`` lines, ``input`` declarations,
    rules with aligned ``=``, citations in brackets aligned where the statements are short."""
    inputs = set(model.inputs)
    width = max((len(node.name) for node in model.nodes if node.name not in inputs), default=0)
    statements = []
    for node in model.nodes:
        _checked_name(node.name, model.source, node.line)
        statements.append(f"input {node.name}" if node.name in inputs
                          else f"{node.name:<{width}} = {to_text(node.function)}")
    column = max((len(text) for text in statements if len(text) <= _CITATION_COLUMN_LIMIT),
                 default=0)
    lines = [f"# {' '.join(model.name.split())}", ""]
    for node, statement in zip(model.nodes, statements):
        if node.description:
            if lines[-1]:
                lines.append("")
            lines.extend(f"#: {part.strip()}" for part in node.description.splitlines())
        if node.citation:
            # Brackets would end the citation early and a newline would end the line.
            citation = " ".join(node.citation.split()).replace("[", "(").replace("]", ")")
            statement = f"{statement:<{column}}  [{citation}]"
        lines.append(statement)
    return "\n".join(lines) + "\n"
