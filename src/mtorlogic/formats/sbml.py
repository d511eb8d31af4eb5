"""SBML-qual (SBML Level 3 with the ``qual`` package, version 1).

Reading uses only the standard library's expat parser, so every error names its line.

- Each ``qual:qualitativeSpecies`` is a node named by its ``id``, which must be a valid SBML
  id (letters, digits, ``_``; not a digit first). When a writer had to change a name to make
  it a valid SBML id (``p-AKT`` -> ``p_AKT``), the original is kept in ``name`` and restored
  on reading if it is unique and a valid node name.
- A ``qual:transition`` sets the function of its outputs (``transitionEffect`` =
  ``assignmentLevel``): the ``resultLevel`` of the first ``functionTerm`` whose MathML
  holds, else that of the ``defaultTerm``. MathML may use ``and``, ``or``, ``xor``,
  ``not``, ``implies``, ``true``, ``false`` and the comparisons ``eq``, ``neq``, ``geq``,
  ``gt``, ``leq``, ``lt`` between a species (``ci``) and a number (``cn``) or another species.
- A species that no transition sets is an input, unless it is ``constant="true"`` with an
  ``initialLevel``: then it is that constant.
- A multi-valued species (``maxLevel`` m > 1, as GINsim writes them) is booleanised as
  bioLQM's Booleanizer does (the Van Ham mapping): m Boolean nodes, ``X`` for "level >= 1"
  (SPEC §2: the species keeps its name for "active at any level") and ``X_b2`` ... ``X_bm``
  for "level >= 2" ... "level >= m"; the level of ``X`` is read as the number of its nodes
  that are on before the first that is off; see :func:`_bit_function` for the update
  functions. The model's ``notes`` list every booleanised species.
- Notes (XHTML) of a species are its node's description, those of its transition the rule's
  citation. Everything else (layout, annotations, initial levels, input signs) is ignored;
  other MathML and other SBML are errors naming the feature.

Writing gives a valid SBML L3V1 qual V1 document. Every node, inputs included, has a
transition: an input reads itself (``X == 1``) and a constant has only a default term, so
tools that leave species without a transition unspecified (biodivine-aeon) read the same
network back.
"""
from __future__ import annotations

import operator
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product
from math import prod
from typing import Callable
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

import boolean

from ..errors import InputError
from ..expressions import (
    FALSE,
    TRUE,
    Expression,
    check_depth,
    conjunction,
    disjunction,
    is_node_name,
    negation,
    symbol,
    variables,
)
from ..model import Model, Node, make_model

CORE = "http://www.sbml.org/sbml/level3/version1/core"
QUAL = "http://www.sbml.org/sbml/level3/version1/qual/version1"
MATHML = "http://www.w3.org/1998/Math/MathML"
XHTML = "http://www.w3.org/1999/xhtml"

_SBML_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_COMPARISONS: dict[str, Callable[[float, float], bool]] = {
    "eq": operator.eq, "neq": operator.ne, "geq": operator.ge, "gt": operator.gt,
    "leq": operator.le, "lt": operator.lt}


# ---------------------------------------------------------------------------------- reading

@dataclass(slots=True)
class _Element:
    """An XML element with the line it starts on. Attribute keys are ``namespace}local``
    (as expat gives them) or ``local``."""

    namespace: str
    local: str
    attributes: dict[str, str]
    line: int
    children: list["_Element"] = field(default_factory=list)
    text: str = ""

    def attribute(self, key: str) -> str | None:
        """A qual attribute, prefixed (as the specification wants) or not."""
        return self.attributes.get(f"{QUAL}}}{key}", self.attributes.get(key))

    def named(self, namespace: str, local: str) -> list["_Element"]:
        return [child for child in self.children
                if child.local == local and child.namespace == namespace]


def _read_xml(text: str, source: str) -> _Element:
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True  # one call per text run, not per line
    stack: list[_Element] = []
    notes: list[_Element] = []  # open <notes>: they collect all the text inside them
    roots: list[_Element] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        namespace, _, local = name.rpartition("}")
        element = _Element(namespace, local, attributes, parser.CurrentLineNumber)
        (stack[-1].children if stack else roots).append(element)
        stack.append(element)
        if element.local == "notes":
            notes.append(element)

    def end(name: str) -> None:
        if stack.pop().local == "notes":
            notes.pop()

    def characters(data: str) -> None:
        stack[-1].text += data
        if notes and notes[-1] is not stack[-1]:
            notes[-1].text += data

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    try:
        parser.Parse(text, True)
    except expat.ExpatError as error:
        raise InputError(f"not well-formed XML ({expat.ErrorString(error.code)})", source,
                         error.lineno) from None
    return roots[0]


def parse_sbml(text: str, *, source: str = "<sbml>", name: str = "model") -> Model:
    text = text.removeprefix("\ufeff")  # a byte-order mark, as Windows editors write
    root = _read_xml(text, source)
    if root.local != "sbml":
        raise InputError(f"not an SBML document (the root element is <{root.local}>)",
                         source, root.line)
    if not root.namespace.startswith("http://www.sbml.org/sbml/level3/"):
        raise InputError("only SBML Level 3 can carry the qual package (found namespace "
                         f"{root.namespace or 'none'!r})", source, root.line)
    models = [child for child in root.children if child.local == "model"]
    if not models:
        raise InputError("the SBML document has no <model>", source, root.line)
    model = models[0]
    for element in model.children:
        if element.local in ("listOfQualitativeSpecies", "listOfTransitions") \
                and element.namespace != QUAL:
            raise InputError(f"<{element.local}> is not in the SBML-qual namespace {QUAL} "
                             "(unsupported: missing or other qual namespace)", source,
                             element.line)
    species_lists = model.named(QUAL, "listOfQualitativeSpecies")
    if not species_lists:
        raise InputError("not an SBML-qual model: no qual:listOfQualitativeSpecies "
                         "(unsupported: SBML without the qual package)", source, model.line)
    species = _read_species(species_lists[0], source)
    bits = _booleanised_names(species, _node_names(species), source)
    transitions: dict[str, tuple[_Element, _Function]] = {}
    for list_of_transitions in model.named(QUAL, "listOfTransitions"):
        for transition in list_of_transitions.named(QUAL, "transition"):
            function = _read_transition(transition, species, bits, source)
            for output in _outputs(transition, species, source):
                if output in transitions:
                    first = transitions[output][0].line
                    raise InputError(f"species {output!r} is the output of two transitions "
                                     f"(the first on line {first})", source, transition.line)
                function.check_levels(output, len(bits[output]), source)
                transitions[output] = (transition, function)
    nodes = []
    notes = []
    for identifier, element in species.items():
        names = bits[identifier]
        if len(names) > 1:
            notes.append(f"species {identifier!r} (maxLevel {len(names)}) booleanised as "
                         + ", ".join(f"{name} = level >= {level}"
                                     for level, name in enumerate(names, start=1)))
        description = _notes_text(element)
        if identifier in transitions:
            transition, function = transitions[identifier]
            citation, line = _notes_text(transition), transition.line
        else:
            function, citation, line = _species_function(element, names, source), "", \
                element.line
        for level, node_name in enumerate(names, start=1):
            # An input's nodes "level >= k" follow its own level: bioLQM's formula below
            # simplifies to exactly that, and its level-1 node stays an input.
            update = function.at_least(level) if function.identity else \
                _bit_function(function.at_least(level), names, level)
            check_depth(update, source, line)
            nodes.append(Node(node_name, update, is_input=update == symbol(node_name),
                              description=description if level == 1 else
                              f"{names[0]} at level {level} or above"
                              + (f" ({description})" if description else ""),
                              citation=citation, line=line))
    if not nodes:
        raise InputError("the SBML-qual model has no qualitative species", source, model.line)
    return make_model(nodes, name=name, source=source, notes=notes)


MAX_LEVEL = 32
"""The highest ``maxLevel`` read; each level above 1 adds a Boolean node."""


@dataclass(frozen=True)
class _Function:
    """A multi-valued update function: the level of the first ``(condition, level)`` term
    whose condition holds, else ``default``."""

    terms: tuple[tuple[Expression, int, int], ...]  # condition, level, line
    default: int
    default_line: int
    identity: tuple[str, ...] | None = None  # an input: its own level, read from these bits

    def at_least(self, threshold: int) -> Expression:
        """The Boolean function "the level is at least ``threshold``"."""
        if self.identity is not None:
            return _at_least(self.identity, threshold)
        result = TRUE if self.default >= threshold else FALSE
        for condition, level, _ in reversed(self.terms):
            if level >= threshold:
                if result != TRUE:
                    result = condition if result == FALSE else disjunction([condition, result])
            elif result != FALSE:
                result = _not(condition) if result == TRUE else conjunction([_not(condition),
                                                                             result])
        return result

    def check_levels(self, output: str, maximum: int, source: str) -> None:
        for level, line in [(level, line) for _, level, line in self.terms] + \
                [(self.default, self.default_line)]:
            if level > maximum:
                raise InputError(f"resultLevel={level} is above the maxLevel {maximum} of "
                                 f"its output species {output!r}", source, line)


def _species_function(element: _Element, names: tuple[str, ...], source: str) -> _Function:
    """The function of a species no transition sets: its ``initialLevel`` when it is
    ``constant="true"``, else its own level (an input)."""
    initial = element.attribute("initialLevel")
    if element.attribute("constant") == "true" and initial is not None:
        level = _level(initial, "initialLevel", source, element.line, len(names))
        return _Function((), level, element.line)
    return _Function((), 0, element.line, identity=names)


def _bit_function(at_least: Expression, names: tuple[str, ...], level: int) -> Expression:
    """The update function of the Boolean node for "level >= ``level``" of a species
    booleanised into ``names``, as bioLQM's Booleanizer builds it (the Van Ham mapping,
    with non-admissible states as gardens of Eden): the node turns on when the species'
    function reaches ``level``, stays on while the next level is on, and is forced off
    while any lower level is off. For a Boolean species (one name) it is ``at_least``."""
    if len(names) == 1:
        return at_least
    keep = conjunction([symbol(names[level - 1]), symbol(names[level])]) \
        if level < len(names) else FALSE
    turns_on = at_least if keep == FALSE else keep if at_least == FALSE else \
        TRUE if at_least == TRUE else _absorbed(disjunction(_flatten(boolean.OR,
                                                                      [at_least, keep])))
    lower = [symbol(name) for name in names[:level - 1]]
    if not lower or turns_on == FALSE:
        return turns_on
    return conjunction(lower if turns_on == TRUE else lower + [turns_on])


def _absorbed(expression: Expression) -> Expression:
    """``expression`` without the terms of a disjunction that another term absorbs
    (``P | (P & M) | Q`` is ``P | Q``), comparing terms that are conjunctions of literals.
    Keeps booleanised rules readable; the function is unchanged."""
    if not isinstance(expression, boolean.OR):
        return expression

    def literals(term: Expression) -> frozenset | None:
        parts = term.args if isinstance(term, boolean.AND) else (term,)
        if all(isinstance(p, boolean.Symbol) or (isinstance(p, boolean.NOT) and
               isinstance(p.args[0], boolean.Symbol)) for p in parts):
            return frozenset(parts)
        return None

    terms = list(dict.fromkeys(expression.args))
    sets = [literals(term) for term in terms]
    kept = [term for term, mine in zip(terms, sets)
            if mine is None or not any(other is not None and other < mine for other in sets)]
    return disjunction(kept)


def _level(text: str, what: str, source: str, line: int, maximum: int = MAX_LEVEL) -> int:
    value = text.strip()
    if not value.isdigit() or int(value) > maximum:
        raise InputError(f"{what}={text!r} is not a level from 0 to {maximum}", source, line)
    return int(value)


def _read_species(species_list: _Element, source: str) -> dict[str, _Element]:
    species: dict[str, _Element] = {}
    for element in species_list.named(QUAL, "qualitativeSpecies"):
        identifier = element.attribute("id")
        if not identifier:
            raise InputError("qualitativeSpecies without an id", source, element.line)
        if not _SBML_ID.fullmatch(identifier):
            raise InputError(f"qualitativeSpecies id {identifier[:80]!r} is not a valid SBML "
                             "id (letters, digits and _, not starting with a digit)", source,
                             element.line)
        if identifier in species:
            raise InputError(f"two qualitativeSpecies with id {identifier!r} (the first on "
                             f"line {species[identifier].line})", source, element.line)
        max_level = element.attribute("maxLevel")
        if max_level is not None:
            if _level(max_level, "maxLevel", source, element.line) < 1:
                raise InputError(f"species {identifier!r} has maxLevel=0; a species needs "
                                 "at least two levels (maxLevel 1 or more)", source,
                                 element.line)
        species[identifier] = element
    return species


def _booleanised_names(species: dict[str, _Element], names: dict[str, str],
                       source: str) -> dict[str, tuple[str, ...]]:
    """The Boolean nodes of each species: its node name for "level >= 1", then
    ``NAME_b2``, ``NAME_b3``... (bioLQM's names for its higher Boolean components) for
    "level >= 2", "level >= 3"... up to its maxLevel."""
    result: dict[str, tuple[str, ...]] = {}
    taken = set(names.values())
    for identifier, element in species.items():
        maximum = int((element.attribute("maxLevel") or "1").strip())
        extra = tuple(f"{names[identifier]}_b{level}" for level in range(2, maximum + 1))
        for name in extra:
            if name in taken:
                raise InputError(f"species {identifier!r} has maxLevel={maximum}, and the "
                                 f"name {name!r} of its level-{name.rsplit('_b', 1)[1]} node "
                                 "is already taken by another species", source, element.line)
            taken.add(name)
        result[identifier] = (names[identifier], *extra)
    return result


def _sbml_id_base(name: str) -> str:
    """``name`` made into an SBML id: invalid characters become ``_``, not a letter first."""
    base = re.sub(r"[^A-Za-z0-9_]", "_", name)
    return base if _SBML_ID.fullmatch(base) else f"_{base}"


def _node_names(species: dict[str, _Element]) -> dict[str, str]:
    """Node name of each species id: the id, or the ``name`` it was made from (see
    :func:`_sbml_ids`) when that name is a valid node name taken by no other species."""
    candidates = {}
    for identifier, element in species.items():
        original = element.attribute("name")
        if (original and original != identifier and not _SBML_ID.fullmatch(original)
                and is_node_name(original)
                and re.fullmatch(re.escape(_sbml_id_base(original)) + r"(_\d+)?", identifier)):
            candidates[identifier] = original
    counts = Counter(candidates.get(identifier, identifier) for identifier in species)
    return {identifier: candidates[identifier]
            if identifier in candidates and counts[candidates[identifier]] == 1 else identifier
            for identifier in species}


def _outputs(transition: _Element, species: dict[str, _Element], source: str) -> list[str]:
    outputs = []
    for output_list in transition.named(QUAL, "listOfOutputs"):
        for output in output_list.named(QUAL, "output"):
            target = output.attribute("qualitativeSpecies")
            if target not in species:
                raise InputError(f"transition output names unknown species {target!r}",
                                 source, output.line)
            effect = output.attribute("transitionEffect")
            if effect not in (None, "assignmentLevel"):
                raise InputError(f"output transitionEffect={effect!r} (unsupported: only "
                                 "assignmentLevel)", source, output.line)
            outputs.append(target)
    if not outputs:
        raise InputError("transition without an output", source, transition.line)
    return outputs


def _read_transition(transition: _Element, species: dict[str, _Element],
                     bits: dict[str, tuple[str, ...]], source: str) -> _Function:
    """The function a transition computes: first matching function term, else default."""
    terms = [term for term_list in transition.named(QUAL, "listOfFunctionTerms")
             for term in term_list.children if term.namespace == QUAL]
    defaults = [term for term in terms if term.local == "defaultTerm"]
    if len(defaults) != 1:
        raise InputError("transition needs exactly one qual:defaultTerm", source,
                         transition.line)
    conditions = []
    for term in terms:
        if term.local != "functionTerm":
            continue
        maths = term.named(MATHML, "math")
        if len(maths) != 1 or len(maths[0].children) != 1:
            raise InputError("functionTerm needs one MathML <math> with one expression",
                             source, term.line)
        condition = _mathml(maths[0].children[0], species, bits, source)
        conditions.append((condition, _term_level(term, source), term.line))
    return _Function(tuple(conditions), _term_level(defaults[0], source), defaults[0].line)


def _term_level(term: _Element, source: str) -> int:
    level = term.attribute("resultLevel")
    if level is None:
        raise InputError(f"{term.local} without a resultLevel", source, term.line)
    return _level(level, "resultLevel", source, term.line)


def _not(expression: Expression) -> Expression:
    """Negation that cancels a double negation, which first-match terms produce often."""
    if isinstance(expression, boolean.NOT):
        return expression.args[0]
    return negation(expression)


_CONNECTIVES = {"and", "or", "not", "implies", "xor"}


def _mathml(root: _Element, species: dict[str, _Element],
            bits: dict[str, tuple[str, ...]], source: str) -> Expression:
    """A Boolean MathML expression over Boolean species.

    Evaluated bottom-up with an explicit stack: MathML written for published models (BBM's
    SARS-CoV-2 map, by biodivine-aeon) nests ``and``/``or`` over a thousand levels deep,
    beyond Python's recursion limit."""
    values: dict[int, Expression] = {}
    # (element, None) is still to be read; (element, operands) has its operands' values.
    stack: list[tuple[_Element, list[_Element] | None]] = [(root, None)]
    while stack:
        element, operands = stack.pop()
        if operands is not None:
            parts = [values.pop(id(operand)) for operand in operands]
            values[id(element)] = _connective(element.children[0], parts, source)
            continue
        if element.namespace != MATHML:
            raise InputError(f"<{element.local}> inside <math> is not MathML", source,
                             element.line)
        if element.local in ("true", "false"):
            values[id(element)] = TRUE if element.local == "true" else FALSE
            continue
        if element.local != "apply" or not element.children:
            raise InputError(f"unsupported MathML <{element.local}> where a truth value is "
                             "expected", source, element.line)
        head, *arguments = element.children
        if head.local in _COMPARISONS:
            values[id(element)] = _comparison(head, arguments, species, bits, source)
        elif head.local in _CONNECTIVES:
            operands = _chain(element) if head.local in ("and", "or") else arguments
            stack.append((element, operands))
            stack.extend((operand, None) for operand in operands)
        else:
            raise InputError(f"unsupported MathML operator <{head.local}>", source, head.line)
    return values[id(root)]


def _chain(element: _Element) -> list[_Element]:
    """The operands of an ``and``/``or`` apply, opening nested applies of the same operator
    (``a or (b or (c or d))`` has operands a, b, c, d) so that the work stays linear."""
    head = element.children[0].local
    operands: list[_Element] = []
    pending = list(reversed(element.children[1:]))
    while pending:
        item = pending.pop()
        if (item.local == "apply" and item.namespace == MATHML and item.children
                and item.children[0].local == head):
            pending.extend(reversed(item.children[1:]))
        else:
            operands.append(item)
    return operands


def _connective(head: _Element, parts: list[Expression], source: str) -> Expression:
    if head.local == "and":
        return conjunction(_flatten(boolean.AND, parts))
    if head.local == "or":
        return disjunction(_flatten(boolean.OR, parts))
    if head.local == "not" and len(parts) == 1:
        return _not(parts[0])
    if head.local == "implies" and len(parts) == 2:
        return disjunction(_flatten(boolean.OR, [_not(parts[0]), parts[1]]))
    if head.local == "xor" and parts:
        result = parts[0]
        for part in parts[1:]:
            result = disjunction([conjunction([result, _not(part)]),
                                  conjunction([_not(result), part])])
        return result
    raise InputError(f"MathML <{head.local}> with {len(parts)} argument(s)", source,
                     head.line)


def _flatten(kind: type[Expression], parts: list[Expression]) -> list[Expression]:
    """The operands of ``kind`` (AND or OR) over ``parts``, with nested ``kind`` chains
    spliced in: ``a & (b & (c & d))`` has operands a, b, c, d. Keeps expressions shallow."""
    operands: list[Expression] = []
    stack = list(reversed(parts))
    while stack:
        part = stack.pop()
        if isinstance(part, kind):
            stack.extend(reversed(part.args))
        else:
            operands.append(part)
    return operands


def _comparison(head: _Element, arguments: list[_Element], species: dict[str, _Element],
                bits: dict[str, tuple[str, ...]], source: str) -> Expression:
    """``x == 1``, ``1 > x``, ``x != y``, ``x >= 2``...: exact by truth table over the
    levels of the species involved."""
    if len(arguments) != 2:
        raise InputError(f"<{head.local}> needs two arguments", source, head.line)
    operands: list[tuple[str, ...] | float] = []
    for argument in arguments:
        content = argument.text.strip()
        if argument.local == "ci" and not argument.children:
            if content not in species:
                raise InputError(f"MathML <ci> names unknown species {content[:80]!r}",
                                 source, argument.line)
            operands.append(bits[content])
        elif argument.local == "cn" and not argument.children:
            try:
                operands.append(float(content))
            except ValueError:
                raise InputError(f"MathML <cn> {content[:80]!r} is not a number", source,
                                 argument.line) from None
        else:
            raise InputError(f"unsupported MathML <{argument.local}> in a comparison (only "
                             "a species <ci> and a number <cn>)", source, argument.line)
    return _relation(head.local, operands[0], operands[1])


def _at_least(bits: tuple[str, ...], level: int) -> Expression:
    """"The species booleanised into ``bits`` is at ``level`` or above": its first
    ``level`` nodes are on."""
    if level <= 0:
        return TRUE
    if level > len(bits):
        return FALSE
    return conjunction(symbol(name) for name in bits[:level])


def _exactly(bits: tuple[str, ...], level: int) -> Expression:
    """"The species is at exactly ``level``": its level is read as the number of its
    nodes that are on before the first one that is off (bioLQM's reading)."""
    literals = [symbol(name) for name in bits[:level]]
    if level < len(bits):
        literals.append(negation(symbol(bits[level])))
    return conjunction(literals)


@lru_cache(maxsize=4096)  # models repeat the same few literals ("X == 1") thousands of times
def _relation(relation: str, left: tuple[str, ...] | float,
              right: tuple[str, ...] | float) -> Expression:
    """The Boolean function ``left <relation> right`` where each operand is a number or a
    species (the tuple of its Boolean nodes), by truth table over the species' levels."""
    compare = _COMPARISONS[relation]
    operands = (left, right)
    involved = list(dict.fromkeys(o for o in operands if isinstance(o, tuple)))
    rows = []
    for levels in product(*(range(len(bits) + 1) for bits in involved)):
        value = dict(zip(involved, levels))
        if compare(*(value[o] if isinstance(o, tuple) else o for o in operands)):
            rows.append(levels)
    if not rows:
        return FALSE
    if len(rows) == prod(len(bits) + 1 for bits in involved):
        return TRUE
    if len(involved) == 1:
        only, holding = involved[0], [row[0] for row in rows]
        if holding == list(range(holding[0], len(only) + 1)):
            return _at_least(only, holding[0])
        if holding == list(range(0, holding[-1] + 1)):
            return negation(_at_least(only, holding[-1] + 1))
    return disjunction(conjunction(_exactly(bits, level) for bits, level in zip(involved, row))
                       for row in rows)


def _notes_text(element: _Element) -> str:
    return " ".join(" ".join(notes.text.split()) for notes in element.children
                    if notes.local == "notes").strip()


# ---------------------------------------------------------------------------------- writing

def _unique(base: str, taken: set[str]) -> str:
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}_{number}", number + 1
    taken.add(candidate)
    return candidate


def _sbml_ids(names: tuple[str, ...], taken: set[str]) -> dict[str, str]:
    """A distinct valid SBML id for each node name; names that are valid ids keep theirs."""
    taken.update(name for name in names if _SBML_ID.fullmatch(name))
    return {name: name if _SBML_ID.fullmatch(name) else _unique(_sbml_id_base(name), taken)
            for name in names}


def format_sbml(model: Model) -> str:
    taken: set[str] = set()
    ids = _sbml_ids(model.names, taken)
    compartment = _unique("cell", taken)
    model_id = _unique(_sbml_id_base(model.name), taken)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<sbml xmlns="{CORE}" xmlns:qual="{QUAL}" level="3" version="1" '
             'qual:required="true">',
             f'  <model id={quoteattr(model_id)} name={quoteattr(_xml_chars(model.name))}>',
             '    <listOfCompartments>',
             # Size and units only keep libSBML's unit-consistency check quiet.
             f'      <compartment id="{compartment}" constant="true" spatialDimensions="3" '
             'size="1" units="litre"/>',
             '    </listOfCompartments>',
             '    <qual:listOfQualitativeSpecies>']
    for node in model.nodes:
        attributes = (f'qual:id="{ids[node.name]}" qual:name={quoteattr(node.name)} '
                      f'qual:compartment="{compartment}" qual:constant="false" '
                      'qual:maxLevel="1"')
        if node.description:
            lines.append(f'      <qual:qualitativeSpecies {attributes}>')
            lines.append(_notes(node.description, "        "))
            lines.append('      </qual:qualitativeSpecies>')
        else:
            lines.append(f'      <qual:qualitativeSpecies {attributes}/>')
    lines += ['    </qual:listOfQualitativeSpecies>', '    <qual:listOfTransitions>']
    for node in model.nodes:
        lines.extend(_transition(node, ids, _unique(f"tr_{ids[node.name]}", taken)))
    lines += ['    </qual:listOfTransitions>', '  </model>', '</sbml>']
    return "\n".join(lines) + "\n"


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_chars(text: str) -> str:
    """``text`` with the characters XML 1.0 cannot hold (NUL and other control characters)
    replaced by U+FFFD, so that the document stays well-formed."""
    return _NOT_XML.sub("\ufffd", text)


def _notes(text: str, indent: str) -> str:
    text = _xml_chars(" ".join(text.split()))
    return (f'{indent}<notes><body xmlns="{XHTML}"><p>{escape(text)}</p>'
            '</body></notes>')


def _transition(node: Node, ids: dict[str, str], identifier: str) -> list[str]:
    lines = [f'      <qual:transition qual:id="{identifier}">']
    if node.citation:
        lines.append(_notes(node.citation, "        "))
    regulators = sorted(variables(node.function))
    if regulators:  # an empty listOf is invalid in SBML L3V1
        lines.append('        <qual:listOfInputs>')
        lines.extend(f'          <qual:input qual:qualitativeSpecies="{ids[regulator]}" '
                     'qual:transitionEffect="none"/>' for regulator in regulators)
        lines.append('        </qual:listOfInputs>')
    lines += ['        <qual:listOfOutputs>',
              f'          <qual:output qual:qualitativeSpecies="{ids[node.name]}" '
              'qual:transitionEffect="assignmentLevel"/>',
              '        </qual:listOfOutputs>',
              '        <qual:listOfFunctionTerms>']
    if node.function in (TRUE, FALSE):
        level = int(node.function == TRUE)
        lines.append(f'          <qual:defaultTerm qual:resultLevel="{level}"/>')
    else:
        lines += ['          <qual:defaultTerm qual:resultLevel="0"/>',
                  '          <qual:functionTerm qual:resultLevel="1">',
                  f'            <math xmlns="{MATHML}">']
        lines.extend(_mathml_lines(node.function, ids, depth=7))
        lines += ['            </math>', '          </qual:functionTerm>']
    lines += ['        </qual:listOfFunctionTerms>', '      </qual:transition>']
    return lines


def _mathml_lines(expression: Expression, ids: dict[str, str], depth: int) -> list[str]:
    """MathML for ``expression``, one element per line; a loop, as deep input is common."""
    lines: list[str] = []
    stack: list[tuple[Expression | None, int]] = [(expression, depth)]
    while stack:
        node, level = stack.pop()
        indent = "  " * level
        if node is None:
            lines.append(f"{indent}</apply>")
        elif node in (TRUE, FALSE):
            lines.append(f"{indent}<{'true' if node == TRUE else 'false'}/>")
        elif isinstance(node, boolean.Symbol):
            lines.append(f'{indent}<apply><eq/><ci> {ids[str(node.obj)]} </ci>'
                         '<cn type="integer"> 1 </cn></apply>')
        else:
            kind = type(node)
            head = "not" if isinstance(node, boolean.NOT) else \
                "and" if isinstance(node, boolean.AND) else "or"
            lines += [f"{indent}<apply>", f"{indent}  <{head}/>"]
            stack.append((None, level))
            operands = list(node.args) if head == "not" else _flatten(kind, list(node.args))
            stack.extend((operand, level + 1) for operand in reversed(operands))
    return lines
