"""Boolean expressions: one parser for every text format, one printer, and compilation.

Expressions are `boolean.py <https://github.com/bastikr/boolean.py>`_ objects built from
``ALGEBRA``. Parsing is our own, so node names may be any identifier, including words that
are keywords elsewhere (``in``, ``next``, ``MAX``, ``and``...). Operators are spelled
``!``/``~`` (not), ``&``/``&&`` (and), ``|``/``||`` (or); ``0``/``1`` are constants.
BooleanNet text additionally accepts the words ``not``, ``and``, ``or``, ``True``, ``False``;
BNET the constants ``true``/``false`` (as biodivine-aeon writes them).

The parser works with explicit stacks, so any nesting is read without recursion, then an
expression deeper than :data:`MAX_DEPTH` is refused: everything downstream may walk
expressions recursively. The printer puts every ``&`` inside an ``|`` in parentheses.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable, Mapping, TypeAlias

import boolean

from .errors import InputError

ALGEBRA = boolean.BooleanAlgebra()
TRUE = ALGEBRA.TRUE
FALSE = ALGEBRA.FALSE
Expression: TypeAlias = boolean.Expression
"""A boolean.py expression (the library is untyped, so mypy sees ``Any``)."""

_TOKEN = re.compile(r"\s*(?:(\|\||&&|[!~&|()])|([A-Za-z0-9_.][A-Za-z0-9_.:'\-]*))")
NAME_PATTERN = re.compile(r"^[A-Za-z0-9_.][A-Za-z0-9_.:'\-]*$")


def is_node_name(name: object) -> bool:
    """True when ``name`` can name a node in every text format: a match of
    :data:`NAME_PATTERN` other than the constants ``0`` and ``1``."""
    return isinstance(name, str) and NAME_PATTERN.fullmatch(name) is not None \
        and name not in ("0", "1")


def symbol(name: str) -> Expression:
    """The expression made of the single node ``name``."""
    return ALGEBRA.Symbol(name)


def conjunction(items: Iterable[Expression]) -> Expression:
    items = list(items)
    if not items:
        return TRUE
    return items[0] if len(items) == 1 else ALGEBRA.AND(*items)


def disjunction(items: Iterable[Expression]) -> Expression:
    items = list(items)
    if not items:
        return FALSE
    return items[0] if len(items) == 1 else ALGEBRA.OR(*items)


def negation(item: Expression) -> Expression:
    if item == TRUE:
        return FALSE
    if item == FALSE:
        return TRUE
    return ALGEBRA.NOT(item)


MAX_DEPTH = 100
"""The deepest nesting of operators an expression may have (``!``, and ``&``/``|`` chains
alternating, counted after ``a | (b | c)`` is flattened to ``a | b | c`` and ``!!a`` to
``a``). Published models stay below 10; the bound keeps every recursive walk over
expressions (boolean.py's, the engine's, Python's own compiler) far from its limits."""

_CONSTANT_WORDS = {"true": "1", "false": "0", "True": "1", "False": "0"}
_OPERATOR_WORDS = {"and": "&", "or": "|", "not": "!", **_CONSTANT_WORDS}


def parse(text: str, *, source: str | None = None, line: int | None = None,
          word_operators: bool = False, constant_words: bool = False) -> Expression:
    """Parse ``text`` into an expression; raise :class:`InputError` naming source and line.

    ``word_operators`` lets ``and``/``or``/``not``/``True``/``False`` act as operators and
    constants (BooleanNet); ``constant_words`` only ``true``/``false``/``True``/``False``
    (BNET as biodivine-aeon writes it); otherwise every identifier is a node name.
    Linear in the length of ``text`` at any nesting depth; an expression nested deeper than
    :data:`MAX_DEPTH` is refused.
    """
    tokens: list[str] = []
    position = 0
    stripped = text.rstrip()
    while position < len(stripped):
        match = _TOKEN.match(stripped, position)
        if not match or match.end() == position:
            bad = stripped[position:].strip()[:20]
            raise InputError(f"unexpected character(s) {bad!r} in expression "
                             f"{_excerpt(text)}", source, line)
        tokens.append(match.group(1) or match.group(2))
        position = match.end()
    words = _OPERATOR_WORDS if word_operators else _CONSTANT_WORDS if constant_words else None
    if words:
        tokens = [words.get(token, token) for token in tokens]
    expression = _build(tokens, text, source, line)
    check_depth(expression, source, line)
    return expression


def _excerpt(text: str, limit: int = 60) -> str:
    """``text`` quoted for a message, shortened in the middle when long."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = f"{text[:limit // 2 - 2]} ... {text[-(limit // 2 - 3):]}"
    return repr(text)


def depth(expression: Expression) -> int:
    """The nesting depth of ``expression``: 1 for a node or a constant, one more for each
    operator above it. Iterative, O(size)."""
    deepest = 0
    stack = [(expression, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((arg, level + 1) for arg in getattr(node, "args", ()))
    return deepest


def check_depth(expression: Expression, source: str | None = None,
                line: int | None = None) -> None:
    """Raise :class:`InputError` when ``expression`` nests deeper than :data:`MAX_DEPTH`."""
    found = depth(expression)
    if found > MAX_DEPTH:
        raise InputError(f"expression nested {found} levels deep (at most {MAX_DEPTH}); "
                         "write it with fewer nested parentheses or negations, or split it "
                         "over intermediate nodes", source, line)


_BINDING = {"|": 1, "||": 1, "&": 2, "&&": 2}


class _Chain:
    """An AND/OR chain under construction: boolean.py objects are built once, at the end,
    because re-creating a growing chain for every operand is quadratic."""

    __slots__ = ("conjunctive", "args")

    def __init__(self, conjunctive: bool, args: list):
        self.conjunctive, self.args = conjunctive, args


def _combine(operator: str, left, right) -> _Chain:
    """Chain two operands, merging nested chains of the same operator so that deeply
    parenthesised files (``a | (b | (c | ...)))``) give flat, shallow expressions.
    A chain belongs to the parser alone, so ``left``'s is extended in place: a chain of n
    operands costs O(n), not O(n²)."""
    conjunctive = operator in ("&", "&&")
    if isinstance(left, _Chain) and left.conjunctive == conjunctive:
        chain = left
    else:
        chain = _Chain(conjunctive, [left])
    if isinstance(right, _Chain) and right.conjunctive == conjunctive:
        chain.args.extend(right.args)
    else:
        chain.args.append(right)
    return chain


def _finish(item) -> Expression:
    """The boolean.py expression of a parsed item; iterative, as chains nest arbitrarily."""
    if not isinstance(item, _Chain):
        return item
    done: dict[int, Expression] = {}
    stack: list[tuple[_Chain, bool]] = [(item, False)]
    while stack:
        chain, ready = stack.pop()
        if ready:
            args = [done.pop(id(arg)) if isinstance(arg, _Chain) else arg
                    for arg in chain.args]
            done[id(chain)] = conjunction(args) if chain.conjunctive else disjunction(args)
            continue
        stack.append((chain, True))
        stack.extend((arg, False) for arg in chain.args if isinstance(arg, _Chain))
    return done[id(item)]


def _negate(item: Expression) -> Expression:
    """Negation that cancels a double negation, so ``!!!!a`` is ``a`` however many there
    are."""
    if isinstance(item, boolean.NOT):
        return item.args[0]
    return negation(item)


def _build(tokens: list[str], text: str, source: str | None, line: int | None) -> Expression:
    """Operator-precedence parsing with explicit stacks (no recursion, any nesting depth):
    ``!`` binds tightest, then ``&``, then ``|``."""

    def fail(what: str):
        raise InputError(f"{what} in expression {_excerpt(text)}", source, line)

    operands: list[Expression] = []
    operators: list[str] = []
    expect_operand = True

    def reduce_top() -> None:
        operator = operators.pop()
        if operator in ("!", "~"):
            operands.append(_negate(_finish(operands.pop())))
        else:
            right, left = operands.pop(), operands.pop()
            operands.append(_combine(operator, left, right))

    for token in tokens:
        if expect_operand:
            if token in ("!", "~", "("):
                operators.append(token)
            elif token in (")", "&", "|", "&&", "||"):
                fail(f"unexpected {token!r}")
            else:
                operands.append(TRUE if token == "1" else FALSE if token == "0" else symbol(token))
                expect_operand = False
                while operators and operators[-1] in ("!", "~"):
                    reduce_top()
        elif token in _BINDING:
            while operators and operators[-1] in _BINDING and \
                    _BINDING[operators[-1]] >= _BINDING[token]:
                reduce_top()
            operators.append(token)
            expect_operand = True
        elif token == ")":
            while operators and operators[-1] != "(":
                reduce_top()
            if not operators:
                fail("unmatched ')'")
            operators.pop()
            while operators and operators[-1] in ("!", "~"):
                reduce_top()
        else:
            fail(f"unexpected {token!r}")
    if expect_operand:
        fail("expression ends too early" if tokens else "empty expression")
    while operators:
        if operators[-1] == "(":
            fail("missing ')'")
        reduce_top()
    return _finish(operands[0])


def variables(expression: Expression) -> frozenset[str]:
    """Names of the nodes that occur in ``expression``."""
    return frozenset(str(s.obj) for s in expression.get_symbols())


_PRECEDENCE = {"OR": 1, "AND": 2, "NOT": 3, "ATOM": 4}


def _kind(expression: Expression) -> str:
    if isinstance(expression, boolean.NOT):
        return "NOT"
    if isinstance(expression, boolean.AND):
        return "AND"
    if isinstance(expression, boolean.OR):
        return "OR"
    return "ATOM"


def to_text(expression: Expression, *, style: str = "symbols",
            rename: Callable[[str], str] | None = None,
            constants: tuple[str, str] | None = None) -> str:
    """Print ``expression`` with the parentheses precedence needs, and around every
    ``&`` inside an ``|`` (``(A & !B) | C``) so that the grouping reads without knowing
    that ``&`` binds tighter.

    ``style`` is ``"symbols"`` (``! & |``, ``0``/``1``: native and BNET) or ``"words"``
    (``not and or``, ``True``/``False``: BooleanNet). ``rename`` maps node names;
    ``constants`` overrides the spelling of (false, true).
    """
    words = style == "words"
    false_text, true_text = constants or (("False", "True") if words else ("0", "1"))
    ops = {"NOT": "not " if words else "!", "AND": " and " if words else " & ",
           "OR": " or " if words else " | "}

    def show(node: Expression, parent: int) -> str:
        kind = _kind(node)
        if kind == "ATOM":
            if node == TRUE:
                return true_text
            if node == FALSE:
                return false_text
            name = str(node.obj)
            return rename(name) if rename else name
        mine = _PRECEDENCE[kind]
        if kind == "NOT":
            text = ops["NOT"] + show(node.args[0], mine)
        else:
            text = ops[kind].join(show(arg, mine) for arg in node.args)
        grouped = mine < parent or (kind == "AND" and parent == _PRECEDENCE["OR"])
        return f"({text})" if grouped else text

    return show(expression, 0)


def substitute(expression: Expression, values: Mapping[str, int]) -> Expression:
    """Replace the named nodes by constants and simplify what becomes constant."""
    if not values:
        return expression

    def walk(node: Expression) -> Expression:
        kind = _kind(node)
        if kind == "ATOM":
            if node in (TRUE, FALSE):
                return node
            value = values.get(str(node.obj))
            return node if value is None else (TRUE if value else FALSE)
        if kind == "NOT":
            return negation(walk(node.args[0]))
        args = [walk(arg) for arg in node.args]
        absorbing, neutral = (FALSE, TRUE) if kind == "AND" else (TRUE, FALSE)
        if any(arg == absorbing for arg in args):
            return absorbing
        args = [arg for arg in args if arg != neutral]
        return conjunction(args) if kind == "AND" else disjunction(args)

    return walk(expression)
