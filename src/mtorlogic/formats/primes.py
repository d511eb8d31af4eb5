"""PyBoolNet primes: the prime implicants of every update function, as one JSON object.

::

    {"A": [[{"A": 0}], [{"A": 1}]],
     "B": [[{"A": 0}, {"C": 1}], [{"A": 1, "C": 0}]],
     "C": [[{}], []]}

``primes[X][1]`` lists the prime implicants of X's update function (each a partial state
``{node: 0 | 1}``, an empty one meaning "always"), ``primes[X][0]`` those of its negation.
This is the structure PyBoolNet's ``bnet2primes`` returns and ``read_primes`` reads (which
parses the text as a Python literal, so JSON works).

- Extension ``.primes`` (PyBoolNet's own, ``write_primes(primes, "mapk.primes")``) or
  ``.primes.json``; plain ``.json`` is not a model format (mtorlogic writes JSON results).
- Reading accepts JSON and the Python-literal text PyBoolNet 3's ``write_primes`` writes.
  The function of X is the disjunction of ``primes[X][1]``; ``primes[X][0]`` must be its
  exact complement (checked with BDDs). A node whose 1-primes are ``[{"X": 1}]`` is an input.
- Writing computes all prime implicants of each function and of its negation, exactly, with
  BDDs; a function with more than :data:`MAX_PRIMES` of them is refused.
"""
from __future__ import annotations

import ast
import json
import warnings
from typing import Any

from ..errors import InputError, LimitExceeded
from ..expressions import (
    Expression,
    conjunction,
    disjunction,
    is_node_name,
    negation,
    symbol,
    variables,
)
from ..model import Model, Node, make_model

MAX_PRIMES = 100_000
"""Most prime implicants written for one function (or its negation)."""

Implicant = dict[str, int]


def parse_primes(text: str, *, source: str = "<primes>", name: str = "model") -> Model:
    text = text.removeprefix("\ufeff")  # a byte-order mark, as Windows editors write
    data = _load(text, source)
    if not isinstance(data, dict) or not data:
        raise InputError("expected a non-empty object {node: [0-primes, 1-primes]}", source)
    nodes = []
    pairs = {}
    for node_name, value in data.items():
        if not isinstance(node_name, str) or not is_node_name(node_name):
            raise InputError(f"bad node name {str(node_name)[:80]!r} (use letters, digits and "
                             "_ . : ' -; not 0 or 1)", source)
        if not (isinstance(value, list) and len(value) == 2
                and all(isinstance(side, list) for side in value)):
            raise InputError("expected [0-primes, 1-primes], two lists of implicants", source,
                             key=node_name)
        for side in (0, 1):
            for implicant in value[side]:
                _check_implicant(implicant, data, source, f"{node_name}[{side}]")
        function = _expression(value[1])
        pairs[node_name] = (_expression(value[0]), function)
        nodes.append(Node(node_name, function, is_input=function == symbol(node_name)))
    model = make_model(nodes, name=name, source=source)
    _check_complements(model, pairs, source)
    return model


def _load(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        raise InputError("nested too deeply", source) from None
    except json.JSONDecodeError as json_error:
        try:  # PyBoolNet 3 writes str(dict): a Python literal with single quotes
            with warnings.catch_warnings():  # Python's compiler warns on odd literals
                warnings.simplefilter("ignore")
                return ast.literal_eval(text)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            raise InputError(f"neither JSON nor a PyBoolNet primes literal "
                             f"({json_error.msg})", source, json_error.lineno) from None


def _check_implicant(implicant: Any, nodes: dict, source: str, key: str) -> None:
    if not isinstance(implicant, dict):
        raise InputError(f"an implicant must be an object {{node: 0 | 1}}, not "
                         f"{type(implicant).__name__}", source, key=key)
    for regulator, value in implicant.items():
        if regulator not in nodes:
            raise InputError(f"implicant names unknown node {str(regulator)[:80]!r}", source,
                             key=key)
        if type(value) is not int or value not in (0, 1):
            raise InputError(f"implicant value of {regulator!r} must be 0 or 1, not "
                             f"{value!r}", source, key=key)


def _expression(implicants: list[Implicant]) -> Expression:
    return disjunction(conjunction(symbol(n) if v else negation(symbol(n))
                                   for n, v in implicant.items())
                       for implicant in implicants)


def _check_complements(model: Model, pairs: dict[str, tuple[Expression, Expression]],
                       source: str) -> None:
    for node_name, (off, on) in pairs.items():
        algebra = _local_algebra(disjunction([off, on]))
        if not algebra.bdd(off).semantic_eq(algebra.bdd(on).l_not()):
            raise InputError("the 0-primes are not the complement of the 1-primes", source,
                             key=node_name)


def format_primes(model: Model) -> str:
    """The model as PyBoolNet primes (JSON, one node per line, in model order)."""
    lines = []
    for node in model.nodes:
        algebra = _local_algebra(node.function)
        bdd = algebra.bdd(node.function)
        pair = [_primes(algebra, bdd.l_not(), node), _primes(algebra, bdd, node)]
        lines.append(f"  {json.dumps(node.name)}: {json.dumps(pair)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def _local_algebra(expression: Expression):
    """BDDs over the regulators of one function only: one algebra over all the nodes of a
    large model makes every operation pay for variables the function never uses."""
    from ..logic import FunctionAlgebra

    return FunctionAlgebra(sorted(variables(expression)))


def _primes(algebra, bdd, node: Node) -> list[Implicant]:
    """Every prime implicant of ``bdd``, sorted (shorter first, then by text).

    Recursion on the first variable x of the support, with f0, f1 the cofactors:
    Prime(f) = Prime(f0 & f1) + !x.(Prime(f0) - Prime(f0 & f1)) + x.(Prime(f1) - Prime(f0 &
    f1)). Why: a prime without x implies both cofactors, and is prime for f0 & f1; a prime
    !x.p has p prime for f0, and p does not imply f1 (else !x could go), and a prime of f0
    that implies f0 & f1 is prime there. Memoised by BDD; exponential in the worst case
    (bounded by :data:`MAX_PRIMES`). Tests compare the result with PyBoolNet's."""
    memo: dict[Any, frozenset[frozenset[tuple[int, int]]]] = {}

    def primes(f) -> frozenset[frozenset[tuple[int, int]]]:
        if f in memo:
            return memo[f]
        if f.is_false():
            result: frozenset = frozenset()
        elif f.is_true():
            result = frozenset({frozenset()})
        else:
            variable = min(f.support_set())
            low = f.r_restrict({variable: False})
            high = f.r_restrict({variable: True})
            both = primes(low.l_and(high))
            index = int(algebra.variables.get_variable_name(variable)[1:])
            result = both | frozenset(p | {(index, 0)} for p in primes(low) - both) \
                | frozenset(p | {(index, 1)} for p in primes(high) - both)
        if len(result) > MAX_PRIMES:
            raise LimitExceeded(f"more than {MAX_PRIMES} prime implicants for the update "
                                f"function of {node.name!r}", MAX_PRIMES,
                                "PyBoolNet primes cannot hold this model; use .bnet instead")
        memo[f] = result
        return result

    found = [{algebra.names[index]: value for index, value in sorted(implicant)}
             for implicant in primes(bdd)]
    return sorted(found, key=lambda p: (len(p), sorted(p.items())))
