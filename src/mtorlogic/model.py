"""The Boolean network: nodes, their update functions, inputs, and perturbations.

A :class:`Model` is an immutable value. Perturbing it (clamping nodes to 0 or 1) gives a
new model; nothing is ever changed in place.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Iterable, Mapping

from .errors import InputError
from .expressions import (
    FALSE,
    TRUE,
    Expression,
    check_depth,
    is_node_name,
    symbol,
    to_text,
    variables,
)

if TYPE_CHECKING:  # pragma: no cover
    import networkx


@dataclass(frozen=True)
class Node:
    """One node: its update function and what we know about it.

    ``is_input`` marks an environment/drug input: its function is the identity (it keeps
    whatever value it is given). ``citation`` is the evidence for the rule, ``description``
    what the node stands for, ``line`` where it was defined in its source file.
    """

    name: str
    function: Expression
    is_input: bool = False
    description: str = ""
    citation: str = ""
    line: int | None = None

    @property
    def regulators(self) -> frozenset[str]:
        return variables(self.function)


def input_node(name: str, **annotations) -> Node:
    """An input node: its update function is itself."""
    return Node(name, symbol(name), is_input=True, **annotations)


@dataclass(frozen=True)
class Model:
    """A Boolean network over named nodes.

    Build it with :func:`make_model`, which checks that every name an update function
    mentions is a node. ``name`` and ``source`` say where the model came from.
    """

    nodes: tuple[Node, ...]
    name: str = "model"
    source: str | None = None
    notes: tuple[str, ...] = field(default=(), compare=False)

    @cached_property
    def names(self) -> tuple[str, ...]:
        return tuple(node.name for node in self.nodes)

    @cached_property
    def index(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.names)}

    @cached_property
    def functions(self) -> dict[str, Expression]:
        return {node.name: node.function for node in self.nodes}

    @cached_property
    def inputs(self) -> tuple[str, ...]:
        """Nodes whose update function is themselves (declared or written ``X = X``)."""
        return tuple(node.name for node in self.nodes
                     if node.is_input or node.function == symbol(node.name))

    def __len__(self) -> int:
        return len(self.nodes)

    def __contains__(self, name: object) -> bool:
        return name in self.index

    def node(self, name: str) -> Node:
        try:
            return self.nodes[self.index[name]]
        except KeyError:
            from .scenarios import suggest

            raise InputError(f"unknown node {name!r}{suggest(name, self.names)}",
                             self.source) from None

    def by_index(self, values: Mapping[str, int], what: str) -> dict[int, int]:
        """``values`` (node name -> 0/1) keyed by node index. An unknown name or a value
        other than 0/1 is an :class:`InputError` that names ``what`` the values are
        (``"clamp"``, ``"initial state"``)."""
        if not isinstance(values, Mapping):
            raise InputError(f"{what} must be a mapping of node names to 0 or 1, e.g. "
                             f"{{'mTORC1': 0}}, not {type(values).__name__}", self.source)
        for name, value in values.items():
            if name not in self.index:
                from .scenarios import suggest

                raise InputError(f"{what} names unknown node {name!r}"
                                 f"{suggest(name, self.names)}", self.source)
            if isinstance(value, bool) or value not in (0, 1):  # True is 1 to Python
                raise InputError(f"{what}: {name!r} can only be 0 or 1, not {value!r}",
                                 self.source)
        return {self.index[name]: int(value) for name, value in values.items()}

    def clamp(self, values: Mapping[str, int], *, reason: str = "clamped") -> "Model":
        """The model with each named node fixed to its value (0 = knockout/absent,
        1 = constitutively active/present). Unknown names and values other than 0/1 are
        errors."""
        self.by_index(values, "clamp")
        if not values:
            return self
        nodes = tuple(
            replace(node, function=TRUE if values[node.name] else FALSE, is_input=False,
                    description=node.description, citation=f"{reason} to {values[node.name]}")
            if node.name in values else node
            for node in self.nodes)
        return replace(self, nodes=nodes)

    def fixed_inputs(self, values: Mapping[str, int], *, others: int | None = 0) -> "Model":
        """The model in one environment: the named inputs set to their values and every
        other input set to ``others`` — 0 by default, the convention of scenario files
        (an input a scenario leaves out is absent). ``others=None`` leaves them free, so
        attractors are found for every combination of their values (2^k environments
        for k free inputs). Only inputs may be named."""
        for name in values:
            if name in self.index and name not in self.inputs:
                raise InputError(f"{name!r} is not an input of the model{_close(name, self)}",
                                 self.source)
        if others not in (None, 0, 1):
            raise InputError(f"others must be 0, 1 or None, not {others!r}", self.source)
        self.by_index(values, "input")
        settings = dict(values)
        if others is not None:
            settings.update({name: others for name in self.inputs if name not in values})
        return self.clamp(settings, reason="input set")

    @classmethod
    def from_dict(cls, rules: Mapping[str, str | int | None], *,
                  name: str = "model") -> "Model":
        """A model from ``{node: rule}``: each rule an expression in the native syntax
        (``"A & !B | C"``, ``"0"``, ``"1"``), or ``None`` (or the node's own name) for an
        input. Nodes keep the dict's order.

        :raises InputError: naming the node whose rule does not parse or uses an unknown
            node.
        """
        from .expressions import parse

        nodes = []
        for node_name, rule in rules.items():
            if rule is None or (isinstance(rule, str) and rule.strip() == node_name):
                nodes.append(input_node(node_name))
                continue
            text = str(int(rule)) if isinstance(rule, int) else rule
            if not isinstance(text, str):
                raise InputError(f"the rule for {node_name!r} must be a string, not "
                                 f"{rule!r}", name)
            nodes.append(Node(node_name, parse(text, source=f"{name}: {node_name}")))
        return make_model(nodes, name=name, source=name)

    @classmethod
    def from_text(cls, text: str, format: str = "rules", *, name: str = "model") -> "Model":
        """A model from the text of a model file: ``format`` is ``"rules"`` (native),
        ``"bnet"``, ``"sbml"`` or ``"booleannet"``.

        :raises InputError: naming the line of the first problem.
        """
        from importlib import import_module

        readers = {"rules": "rules", "bnet": "bnet", "sbml": "sbml", "booleannet": "booleannet"}
        if format not in readers:
            raise InputError(f"unknown format {format!r}; choose one of "
                             f"{', '.join(readers)}", name)
        module = import_module(f"mtorlogic.formats.{readers[format]}")
        return getattr(module, f"parse_{readers[format]}")(text, source=name, name=name)

    def __repr__(self) -> str:
        clamped = sum(1 for node in self.nodes if not node.regulators and not node.is_input)
        return (f"<Model {self.name!r}: {len(self.nodes)} nodes, {len(self.inputs)} inputs"
                f"{f', {clamped} constant' if clamped else ''}>")

    def _repr_html_(self) -> str:
        from html import escape

        rows = "".join(f"<tr><td>{escape(node.name)}</td><td><code>"
                       f"{escape(to_text(node.function))}</code></td></tr>"
                       for node in self.nodes[:20])
        more = (f"<tr><td colspan=2>… {len(self.nodes) - 20} more</td></tr>"
                if len(self.nodes) > 20 else "")
        return (f"<p>{escape(repr(self))}</p><table><tr><th>node</th><th>rule</th></tr>"
                f"{rows}{more}</table>")

    def interaction_graph(self) -> "networkx.DiGraph":
        """The signed interaction graph: an edge ``u -> v`` when ``u`` matters to ``v``'s
        update function, with ``sign`` +1 (activation), -1 (inhibition) or 0 (both,
        depending on context). Regulators that occur but cannot change the function's value
        are left out."""
        import networkx as nx

        from .logic import FunctionAlgebra

        algebra = FunctionAlgebra(self.names)
        graph = nx.DiGraph()
        graph.add_nodes_from(self.names)
        for node in self.nodes:
            for regulator, sign in algebra.essential_regulators(node.function).items():
                graph.add_edge(regulator, node.name, sign=sign)
        return graph

    def describe(self, name: str) -> str:
        node = self.node(name)
        return f"{name} = {to_text(node.function)}"


def _close(name: str, model: Model) -> str:
    from .scenarios import suggest

    return suggest(name, model.inputs)


def make_model(nodes: Iterable[Node], *, name: str = "model", source: str | None = None,
               notes: Iterable[str] = ()) -> Model:
    """A checked :class:`Model`: names valid (:func:`~mtorlogic.expressions.is_node_name`)
    and unique, every regulator defined, no function nested deeper than
    :data:`~mtorlogic.expressions.MAX_DEPTH`.

    O(total size of the update functions)."""
    nodes = tuple(nodes)
    seen: dict[str, Node] = {}
    for node in nodes:
        if not is_node_name(node.name):
            raise InputError(f"bad node name {str(node.name)[:80]!r} (use letters, digits and "
                             "_ . : ' -; not 0 or 1)", source, node.line)
        check_depth(node.function, source, node.line)
        if node.name in seen:
            first = seen[node.name].line
            also = f" (first defined on line {first})" if first else ""
            raise InputError(f"duplicate rule for {node.name!r}{also}", source, node.line)
        seen[node.name] = node
    for node in nodes:
        # A comprehension over the regulators: ``regulators - seen.keys()`` copies the
        # whole key set for every node, which made building a model quadratic.
        unknown = sorted(name for name in node.regulators if name not in seen)
        if unknown:
            raise InputError(f"rule for {node.name!r} uses unknown node(s) {', '.join(unknown)}"
                             " (no rule defines them; declare inputs explicitly)", source,
                             node.line)
    return Model(nodes, name=name, source=source, notes=tuple(notes))
