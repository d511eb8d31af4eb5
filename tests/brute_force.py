"""An independent brute-force oracle for Boolean-network dynamics, for the tests.

Nothing here uses mtorlogic's engine: update functions are plain Python callables on a state
tuple (0/1 per node, in node order), built either from a random truth table / expression
tree generated here, or by walking a parsed boolean.py expression ourselves. Everything is
computed the slow, obvious way:

- every one of the 2^n states and its image under the update functions;
- asynchronous transitions (one node changes per step) and synchronous ones (all at once);
- attractors = terminal strongly connected components (networkx) of those graphs;
- trap spaces by enumerating all 3^n subspaces (n <= 9), minimal and maximal ones by
  inclusion;
- stationary distribution of the random walk that updates one uniformly chosen node per
  step (SPEC §3), by dense linear algebra;
- the signed interaction graph by comparing f(x with x_j = 0) and f(x with x_j = 1).
"""
from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Iterable, Mapping, Sequence

import networkx as nx
import numpy as np

State = tuple  # tuple of 0/1 in node order
Subspace = tuple  # tuple of 0, 1 or "*" in node order
STAR = "*"


# ---------------------------------------------------------------------------------------
# evaluating boolean.py expressions without mtorlogic's compiler


def evaluate_expression(expression, env: Mapping[str, int]) -> int:
    """Value of a boolean.py expression, given node values by name."""
    kind = type(expression).__name__
    if kind == "_TRUE":
        return 1
    if kind == "_FALSE":
        return 0
    if kind == "Symbol":
        return int(env[str(expression.obj)])
    if kind == "NOT":
        return 1 - evaluate_expression(expression.args[0], env)
    if kind == "AND":
        return int(all(evaluate_expression(arg, env) for arg in expression.args))
    if kind == "OR":
        return int(any(evaluate_expression(arg, env) for arg in expression.args))
    raise TypeError(f"unexpected expression node {kind}")


# ---------------------------------------------------------------------------------------
# the oracle


@dataclass
class Oracle:
    """All dynamics of a network with ``names`` and update ``functions`` (state -> 0/1)."""

    names: tuple
    functions: tuple

    @classmethod
    def from_model(cls, model) -> "Oracle":
        names = tuple(model.names)

        def make(expression):
            return lambda state: evaluate_expression(expression, dict(zip(names, state)))

        return cls(names, tuple(make(node.function) for node in model.nodes))

    @property
    def n(self) -> int:
        return len(self.names)

    @cached_property
    def states(self) -> list:
        return [tuple(s) for s in itertools.product((0, 1), repeat=self.n)]

    @cached_property
    def image(self) -> dict:
        """state -> tuple of every node's function value."""
        return {s: tuple(int(f(s)) for f in self.functions) for s in self.states}

    # --- transition graphs -------------------------------------------------------------

    @cached_property
    def async_graph(self) -> nx.DiGraph:
        graph = nx.DiGraph()
        graph.add_nodes_from(self.states)
        for s in self.states:
            fs = self.image[s]
            for i in range(self.n):
                if fs[i] != s[i]:
                    t = list(s)
                    t[i] = fs[i]
                    graph.add_edge(s, tuple(t))
        return graph

    @cached_property
    def sync_graph(self) -> nx.DiGraph:
        graph = nx.DiGraph()
        graph.add_nodes_from(self.states)
        for s in self.states:
            graph.add_edge(s, self.image[s])
        return graph

    def graph(self, semantics: str) -> nx.DiGraph:
        return self.async_graph if semantics == "asynchronous" else self.sync_graph

    @staticmethod
    def terminal_sccs(graph: nx.DiGraph) -> list:
        result = []
        for component in nx.strongly_connected_components(graph):
            if all(t in component for s in component for t in graph.successors(s)):
                result.append(frozenset(component))
        return result

    def attractors(self, semantics: str) -> list:
        """Attractors as frozensets of states."""
        return self.terminal_sccs(self.graph(semantics))

    def reachable_attractors(self, semantics: str, starts: Iterable[State]) -> list:
        graph = self.graph(semantics)
        reach = set()
        for start in starts:
            if start not in reach:
                reach.add(start)
                reach |= nx.descendants(graph, start)
        return [a for a in self.attractors(semantics) if a & reach]

    def constant_nodes(self) -> dict:
        """Nodes whose function is the same in every state: node index -> value."""
        out = {}
        for i in range(self.n):
            values = {self.image[s][i] for s in self.states}
            if len(values) == 1:
                out[i] = values.pop()
        return out

    def states_of(self, space: Mapping[int, int]) -> list:
        return [s for s in self.states if all(s[i] == v for i, v in space.items())]

    # --- summaries ----------------------------------------------------------------------

    def enclosing(self, states: Iterable[State]) -> dict:
        """Smallest subspace containing the states: name -> 0, 1 or '*'."""
        states = list(states)
        values = {}
        for i, name in enumerate(self.names):
            seen = {s[i] for s in states}
            values[name] = seen.pop() if len(seen) == 1 else STAR
        return values

    def stationary_activities(self, attractor: Iterable[State]) -> dict:
        """Share of time each node is 1 in the random walk that picks one of the n nodes
        uniformly and applies its function, restricted to the (closed) attractor."""
        states = sorted(attractor)
        position = {s: k for k, s in enumerate(states)}
        size = len(states)
        matrix = np.zeros((size, size))
        for s in states:
            fs = self.image[s]
            for i in range(self.n):
                t = list(s)
                t[i] = fs[i]
                matrix[position[s], position[tuple(t)]] += 1.0 / self.n
        # pi (P - I) = 0 and sum(pi) = 1, least squares on the stacked system.
        system = np.vstack([(matrix - np.eye(size)).T, np.ones((1, size))])
        rhs = np.zeros(size + 1)
        rhs[-1] = 1.0
        pi, *_ = np.linalg.lstsq(system, rhs, rcond=None)
        return {name: float(sum(pi[k] * s[i] for k, s in enumerate(states)))
                for i, name in enumerate(self.names)}

    @staticmethod
    def cycle_activities(names, attractor) -> dict:
        return {name: sum(s[i] for s in attractor) / len(attractor)
                for i, name in enumerate(names)}

    def summary(self, semantics: str) -> list:
        """Sorted (values as sorted items, size) of every attractor."""
        if semantics == "most-permissive":
            return sorted((key(self.subspace_values(t)), 2 ** t.count(STAR))
                          for t in self.minimal_trap_spaces())
        return sorted((key(self.enclosing(a)), len(a)) for a in self.attractors(semantics))

    # --- trap spaces --------------------------------------------------------------------

    @cached_property
    def _arrays(self):
        states = np.array(self.states, dtype=np.int8).reshape(len(self.states), self.n)
        images = np.array([self.image[s] for s in self.states], dtype=np.int8).reshape(
            len(self.states), self.n)
        return states, images

    def is_trap(self, subspace: Subspace) -> bool:
        """No state of the subspace has a successor outside it (checked on every state)."""
        states, images = self._arrays
        fixed = [i for i, v in enumerate(subspace) if v != STAR]
        if not fixed:
            return True
        values = np.array([subspace[i] for i in fixed], dtype=np.int8)
        inside = (states[:, fixed] == values).all(axis=1)
        return bool((images[inside][:, fixed] == values).all())

    @cached_property
    def trap_spaces(self) -> list:
        """Every trap space. With codes (bit i = node i), the subspace fixing the nodes of
        mask ``m`` to the bits ``v`` is a trap space iff no state ``s`` in it has a fixed
        node that wants to change: the OR of ``f(s) ^ s`` over its states, masked by ``m``,
        is zero. For each mask the OR per subspace is one scatter over all states."""
        assert self.n <= 10, "3^n enumeration is for small networks"
        n = self.n
        codes = np.arange(1 << n, dtype=np.int64)
        image = np.array([sum(bit << i for i, bit in enumerate(self.image[self._decode(c)]))
                          for c in range(1 << n)], dtype=np.int64)
        moving = image ^ codes
        traps = []
        for mask in range(1 << n):
            union = np.zeros(1 << n, dtype=np.int64)
            np.bitwise_or.at(union, codes & mask, moving)
            sub = mask
            while True:  # every v with v & ~mask == 0
                if int(union[sub]) & mask == 0:
                    traps.append(tuple((sub >> i) & 1 if (mask >> i) & 1 else STAR
                                       for i in range(n)))
                if sub == 0:
                    break
                sub = (sub - 1) & mask
        return traps

    def _decode(self, code: int) -> State:
        return tuple((code >> i) & 1 for i in range(self.n))

    @staticmethod
    def inside(inner: Subspace, outer: Subspace) -> bool:
        return all(o == STAR or i == o for i, o in zip(inner, outer))

    def minimal_trap_spaces(self) -> list:
        """Trap spaces containing no other trap space: by increasing number of free nodes,
        keep a trap space unless an already-kept (hence smaller, minimal) one lies in it."""
        kept = []
        for trap in sorted(self.trap_spaces, key=lambda t: t.count(STAR)):
            if not any(self.inside(m, trap) for m in kept):
                kept.append(trap)
        return kept

    def maximal_trap_spaces_inside(self, space: Subspace) -> list:
        """Trap spaces strictly inside ``space`` that no other such trap space contains."""
        proper = [t for t in self.trap_spaces if t != space and self.inside(t, space)]
        return [t for t in proper
                if not any(o != t and self.inside(t, o) for o in proper)]

    def smallest_trap_space_containing(self, space: Subspace) -> Subspace:
        containing = [t for t in self.trap_spaces if self.inside(space, t)]
        return max(containing, key=lambda t: sum(v != STAR for v in t))

    def subspace_values(self, subspace: Subspace) -> dict:
        return dict(zip(self.names, subspace))

    def as_subspace(self, values: Mapping[int, int]) -> Subspace:
        return tuple(values.get(i, STAR) for i in range(self.n))

    # --- interaction graph --------------------------------------------------------------

    def signed_edges(self, space: Mapping[int, int] | None = None) -> dict:
        """(regulator name, target name) -> +1, -1 or 0 (both), only essential regulators;
        with ``space``, among its free nodes and with its fixed values plugged in."""
        space = space or {}
        inside = self.states_of(space)
        edges = {}
        for i in range(self.n):
            if i in space:
                continue
            for j in range(self.n):
                if j in space:
                    continue
                up = down = False
                for s in inside:
                    if s[j] == 1:
                        continue
                    t = list(s)
                    t[j] = 1
                    low, high = self.image[s][i], self.image[tuple(t)][i]
                    up |= low < high
                    down |= low > high
                if up or down:
                    sign = 0 if (up and down) else (1 if up else -1)
                    edges[(self.names[j], self.names[i])] = sign
        return edges

    # --- percolation --------------------------------------------------------------------

    def percolate(self, space: Mapping[int, int]) -> dict:
        """Fix, until nothing changes, every free node whose function takes one value on
        all states of the current subspace."""
        fixed = dict(space)
        changed = True
        while changed:
            changed = False
            inside = self.states_of(fixed)
            for i in range(self.n):
                if i in fixed:
                    continue
                values = {self.image[s][i] for s in inside}
                if len(values) == 1:
                    fixed[i] = values.pop()
                    changed = True
                    break
        return fixed


def key(values: Mapping[str, object]) -> tuple:
    """A hashable, sortable form of a values dict."""
    return tuple(sorted((name, str(v)) for name, v in values.items()))


# ---------------------------------------------------------------------------------------
# random networks


@dataclass
class RandomNetwork:
    """A random network as BNET text together with independent Python functions."""

    names: tuple
    text: str
    functions: tuple
    kinds: tuple = field(default=())

    def oracle(self) -> Oracle:
        return Oracle(self.names, self.functions)


def _render_tree(tree, names) -> str:
    kind = tree[0]
    if kind == "const":
        return str(tree[1])
    if kind == "var":
        return names[tree[1]]
    if kind == "not":
        return "!" + _render_tree(tree[1], names)
    operator = " & " if kind == "and" else " | "
    return "(" + operator.join(_render_tree(arg, names) for arg in tree[1:]) + ")"


def _eval_tree(tree, state) -> int:
    kind = tree[0]
    if kind == "const":
        return tree[1]
    if kind == "var":
        return state[tree[1]]
    if kind == "not":
        return 1 - _eval_tree(tree[1], state)
    values = [_eval_tree(arg, state) for arg in tree[1:]]
    return int(all(values)) if kind == "and" else int(any(values))


def _random_tree(rng: random.Random, regulators: Sequence[int], depth: int):
    if depth == 0 or rng.random() < 0.3:
        leaf = ("var", rng.choice(regulators))
        return ("not", leaf) if rng.random() < 0.4 else leaf
    kind = rng.choice(["and", "or", "not"])
    if kind == "not":
        return ("not", _random_tree(rng, regulators, depth - 1))
    width = rng.choice([2, 2, 3])
    return (kind, *(_random_tree(rng, regulators, depth - 1) for _ in range(width)))


def _table_function(regulators, table):
    return lambda state: table[tuple(state[r] for r in regulators)]


def _tree_function(tree):
    return lambda state: _eval_tree(tree, state)


def _const_function(value):
    return lambda state: value


def _identity(index):
    return lambda state: state[index]


def random_network(seed: int, n: int | None = None, *, max_regulators: int = 3) -> RandomNetwork:
    """A seeded random network of ``n`` (default 3..9) nodes: truth tables written as DNFs
    of minterms (sometimes constant or tautological), random nested expressions, self-loops,
    inputs (``X, X``) and constants."""
    rng = random.Random(seed)
    n = n if n is not None else rng.randint(3, 9)
    names = tuple(f"x{i}" for i in range(n))
    lines, functions, kinds = ["targets, factors"], [], []
    for i in range(n):
        roll = rng.random()
        if roll < 0.06:
            value = rng.randint(0, 1)
            lines.append(f"{names[i]}, {value}")
            functions.append(_const_function(value))
            kinds.append("constant")
        elif roll < 0.14:
            lines.append(f"{names[i]}, {names[i]}")
            functions.append(_identity(i))
            kinds.append("input")
        elif roll < 0.65:
            k = rng.randint(1, max_regulators)
            regulators = rng.sample(range(n), min(k, n))
            table = {bits: rng.randint(0, 1)
                     for bits in itertools.product((0, 1), repeat=len(regulators))}
            terms = []
            for bits, out in sorted(table.items()):
                if out:
                    terms.append("(" + " & ".join(names[r] if b else "!" + names[r]
                                                  for r, b in zip(regulators, bits)) + ")")
            lines.append(f"{names[i]}, {' | '.join(terms) if terms else '0'}")
            functions.append(_table_function(regulators, table))
            kinds.append("table")
        else:
            k = rng.randint(1, max_regulators)
            regulators = rng.sample(range(n), min(k, n))
            tree = _random_tree(rng, regulators, depth=3)
            lines.append(f"{names[i]}, {_render_tree(tree, names)}")
            functions.append(_tree_function(tree))
            kinds.append("expression")
    return RandomNetwork(names, "\n".join(lines) + "\n", tuple(functions), tuple(kinds))


def network_from_rules(rules: Mapping[str, Callable]) -> tuple:
    """Names and functions from {name: f(env dict) -> 0/1}, for hand-written examples."""
    names = tuple(rules)

    def make(f):
        return lambda state: int(f(dict(zip(names, state))))

    return names, tuple(make(f) for f in rules.values())
