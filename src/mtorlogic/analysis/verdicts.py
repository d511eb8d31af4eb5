"""Whether a target phenotype holds in the attractors of a perturbed scenario: the engine
behind ``mtorlogic screen``.

A *verdict* judges a Boolean expression over node values in every state of every attractor
reached (SPEC §5): ``"always"`` (true in all of them), ``"never"`` (false in all of them) or
``"sometimes"``. A screen asks it for thousands of perturbations of one base scenario, so
the work is shared wherever that is exact:

1. **Percolation** of base clamps + perturbation gives a trap space that holds every
   attractor. It is computed on bit masks with memoised constancy tests (one BDD
   restriction per node and distinct regulator values, ever), and incrementally: the
   closure of ``P + x`` grows out of the closure of ``P`` when ``x`` is free there, and
   *is* that closure when ``x`` already has the perturbed value there.
2. If the target is **constant on that space**, that is the verdict: no attractor search.
3. Otherwise the free nodes split into a **core** (the nodes from which a cycle of free
   nodes can be reached) and **downstream** nodes (a feed-forward remainder that the core
   never reads). The core's attractors depend only on the core nodes and the values of
   their fixed regulators, so they are **cached by that key** and shared by every
   perturbation with the same core network; on the bundled model the ~7,000 distinct
   spaces of a full pair screen have a few dozen distinct cores.
4. Each core attractor is **extended exactly** over the downstream nodes the target reads
   (in topological order) and the target is judged on the result:

   - asynchronous: the attractor is ``A x V`` where each downstream node is constant (its
     function is constant on the part built so far) or takes both values in every
     combination. Sets are BDDs; core attractors come from biodivine-aeon's symbolic
     search, so even attractors of 2^56 states are judged without listing them.
   - synchronous: a downstream node repeats its function of the previous state of the
     core cycle, so each core cycle extends to exactly one cycle of the same length.
   - most-permissive: minimal trap spaces of the core, percolated over the downstream.

Scenarios with an ``initial`` phase reach only some attractors, from states that depend on
the perturbation; those use :func:`~mtorlogic.dynamics.attractors.find_attractors` per
perturbation (after the constant-target shortcut, which holds for them too) and judge the
target on the attractors' states, listing larger attractors' states when the target is
not constant on their enclosing subspace.

Everything here is deterministic: the same spec and perturbation give the same verdict in
any process, in any order.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterable, Mapping, Sequence

from ..dynamics.results import SEMANTICS, Limits
from ..errors import InputError, LimitExceeded, MtorlogicError

VERDICTS = ("always", "sometimes", "never")

Items = tuple[tuple[str, int], ...]
"""A perturbation: ``(node, value)`` pairs (order irrelevant)."""


@dataclass(frozen=True)
class BaseSpec:
    """One base scenario, in the plain form a worker process or a Dask worker rebuilds an
    engine from (no files needed there).

    ``functions`` are the update functions as text with the base clamps applied (a clamped
    node's function is ``0`` or ``1``); ``semantics`` the semantics to judge under;
    ``starts`` (scenarios with ``initial``) the initial phase's attractor states or
    subspaces as ``(node, value)`` tuples, before this scenario's clamps are applied;
    ``clamps`` the base clamps (applied on top of ``starts``).
    """

    label: str
    names: tuple[str, ...]
    functions: tuple[str, ...]
    semantics: tuple[str, ...]
    clamps: Items = ()
    starts: tuple[Items, ...] | None = None


@dataclass(frozen=True)
class ScreenSpec:
    """Everything that determines the verdicts of a screen (and nothing else)."""

    target: str
    bases: tuple[BaseSpec, ...]
    limits: Limits = Limits()

    @cached_property
    def fingerprint(self) -> str:
        """A digest of the target, the bases' clamped networks, semantics and start states:
        two screens with equal fingerprints give equal verdicts for every perturbation.
        (Labels, limits and the choice of perturbations are left out on purpose.)"""
        data = {"target": self.target,
                "bases": [{"names": b.names, "functions": b.functions,
                           "semantics": b.semantics, "clamps": sorted(b.clamps),
                           "starts": None if b.starts is None else sorted(map(sorted, b.starts))}
                          for b in self.bases]}
        text = json.dumps(data, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:24]


def combine(verdicts: Iterable[str]) -> str:
    """One verdict over several sets of attractors reached: ``always`` when each is
    ``always``, ``never`` when each is ``never``, else ``sometimes``."""
    seen = set(verdicts)
    if seen == {"always"}:
        return "always"
    if seen == {"never"}:
        return "never"
    return "sometimes"


# ---------------------------------------------------------------------------------------
# evaluating chunks of perturbations (what workers run)

_ENGINES: dict[str, "ScreenEngine"] = {}


def engine_for(spec: ScreenSpec) -> "ScreenEngine":
    """The engine of ``spec`` in this process, built once and kept (with its caches) for
    later chunks of the same screen."""
    key = spec.fingerprint + repr(spec.limits)
    engine = _ENGINES.get(key)
    if engine is None:
        if len(_ENGINES) >= 2:
            _ENGINES.clear()
        engine = _ENGINES[key] = ScreenEngine(spec)
    return engine


def evaluate_chunk(spec: ScreenSpec, chunk: Sequence[Items]) -> list[list[list[str]]]:
    """Verdicts of each perturbation of ``chunk``: per base, per semantics (spec order).

    A module-level function of picklable arguments, so a process pool or a Dask worker can
    run it; each process builds the engine once."""
    try:
        engine = engine_for(spec)
        return [engine.verdicts(items) for items in chunk]
    except MtorlogicError as error:
        raise ScreenError(str(error)) from None


class ScreenError(MtorlogicError):
    """An error met while judging perturbations, in a form that survives being sent back
    from a worker process (one message; exit status 2)."""

    def __init__(self, message: str):
        super().__init__(message)


@dataclass(frozen=True)
class Deferred:
    """A verdict left for later: the percolated space (bit masks ``known``/``vals``) and
    the key of its core network, whose attractors are best computed once, by one worker,
    for every space that shares them."""

    semantics: str
    known: int
    vals: int
    core: tuple


def triage_chunk(spec: ScreenSpec, chunk: Sequence[Items]) -> list[list[list["str | Deferred"]]]:
    """Like :func:`evaluate_chunk`, but verdicts that need a core network's attractors not
    yet computed in this process come back as :class:`Deferred` (phase one of a parallel
    screen)."""
    try:
        engine = engine_for(spec)
        return [[[base.triage(items, semantics) for semantics in base.spec.semantics]
                 for base in engine.bases] for items in chunk]
    except MtorlogicError as error:
        raise ScreenError(str(error)) from None


def judge_spaces(spec: ScreenSpec, spaces: Sequence[tuple[int, str, int, int]]) -> list[str]:
    """Verdicts of ``(base index, semantics, known, vals)`` spaces (phase two: the spaces
    of one core network travel together, so its attractors are computed once)."""
    try:
        engine = engine_for(spec)
        return [engine.bases[b].judge(semantics, known, vals)
                for b, semantics, known, vals in spaces]
    except MtorlogicError as error:
        raise ScreenError(str(error)) from None


class ScreenEngine:
    """One :class:`BaseEngine` per base scenario."""

    def __init__(self, spec: ScreenSpec):
        self.spec = spec
        self.bases = [BaseEngine(base, spec.target, spec.limits) for base in spec.bases]

    def verdicts(self, items: Items) -> list[list[str]]:
        return [[engine.verdict(items, semantics) for semantics in engine.spec.semantics]
                for engine in self.bases]


# ---------------------------------------------------------------------------------------
# one base scenario


@dataclass
class _Split:
    """The free nodes of a space: ``core`` (sorted) and ``downstream`` (regulators before
    targets), and the cache key of the core network."""

    core: tuple[int, ...]
    downstream: tuple[int, ...]
    key: tuple


@dataclass
class BaseEngine:
    """Verdicts for perturbations of one base scenario, with every cache described in the
    module notes. Not thread-safe; one per process."""

    spec: BaseSpec
    target_text: str
    limits: Limits = field(default_factory=Limits)

    def __post_init__(self) -> None:
        from ..dynamics.system import LogicalSystem
        from ..expressions import parse
        from ..model import Node, make_model

        spec = self.spec
        self.model = make_model([Node(name, parse(text)) for name, text
                                 in zip(spec.names, spec.functions)], name=spec.label)
        self.system = LogicalSystem.from_model(self.model)
        self.size = len(spec.names)
        self.index = {name: i for i, name in enumerate(spec.names)}
        self.variables = self.system.bdd_variables
        self.position = self.system.position
        self.regulators = self.system.regulators
        self.targets = self.system.targets
        self.support = [sum(1 << r for r in regs) for regs in self.regulators]
        self.target = self.system.algebra.bdd(parse(self.target_text))
        self.target_nodes = frozenset(self.position[v] for v in self.target.support_set())
        self.target_support = sum(1 << i for i in self.target_nodes)
        known = vals = 0
        for i, bdd in enumerate(self.system.functions):
            if bdd.is_true() or bdd.is_false():
                known |= 1 << i
                vals |= int(bdd.is_true()) << i
        self.constants = (known, vals)
        self._constancy: list[dict] = [{} for _ in range(self.size)]
        self._restricted: dict[tuple, object] = {}
        self._target_memo: dict[tuple, object] = {}
        self._closures: dict[tuple, tuple[int, int]] = {}
        self._affected_cache: dict[int, int] = {}
        self._verdicts: dict[tuple, str] = {}
        self._splits: dict[int, _Split] = {}
        self._cores: dict[tuple, list] = {}
        self.root = self._percolate(known, vals, range(self.size))
        self.starts = None if spec.starts is None else [dict(s) for s in spec.starts]

    # -- percolation on bit masks ------------------------------------------------------

    def _constant(self, node: int, known: int, vals: int) -> int | None:
        """1 or 0 when the node's function is constant given the fixed values, else None
        (memoised by the values of its regulators)."""
        mask = self.support[node]
        key = (known & mask, vals & mask)
        memo = self._constancy[node]
        if key in memo:
            return memo[key]
        bdd = self._restrict(self.system.functions[node], self.regulators[node], *key)
        result = 1 if bdd.is_true() else 0 if bdd.is_false() else None
        memo[key] = result
        return result

    def _restrict(self, bdd, nodes: Iterable[int], known: int, vals: int):
        fixed = {self.variables[i]: bool(vals >> i & 1) for i in nodes if known >> i & 1}
        return bdd.r_restrict(fixed) if fixed else bdd

    def _percolate(self, known: int, vals: int, pending: Iterable[int]) -> tuple[int, int]:
        """The percolation closure of the fixed values (``known`` bits, ``vals`` values),
        re-examining ``pending`` first and then the targets of whatever becomes fixed."""
        targets = self.targets
        while pending:
            changed = []
            for node in pending:
                if known >> node & 1:
                    continue
                value = self._constant(node, known, vals)
                if value is not None:
                    known |= 1 << node
                    vals |= value << node
                    changed.append(node)
            pending = {t for node in changed for t in targets[node] if not known >> t & 1}
        return known, vals

    def closure(self, items: tuple[tuple[int, int], ...]) -> tuple[int, int]:
        """The percolated space of the base with ``items`` (sorted ``(index, value)``)
        clamped on top (overriding base clamps), as ``(known, vals)`` bit masks.

        Equal to percolating from scratch (the closure is unique), but cheaper: from the
        closure of ``items`` minus one item ``x``, the result is that closure when ``x``
        already has its value there, and grows out of it when ``x`` is free there.
        Otherwise it starts from the base's closure without the nodes whose derivation
        may depend on a perturbed node (see :meth:`_affected`)."""
        if not items:
            return self.root
        cached = self._closures.get(items)
        if cached is not None:
            return cached
        result = None
        for k in range(len(items)):  # the subsets are screened too: computing them is no loss
            rest = items[:k] + items[k + 1:]
            known, vals = self.closure(rest)
            node, value = items[k]
            if known >> node & 1:
                if (vals >> node & 1) == value:
                    result = (known, vals)  # already percolates to the clamped value
                    break
                continue  # a conflict: derived values may rest on the old one
            result = self._percolate(known | 1 << node, vals | value << node, self.targets[node])
            break
        if result is None:
            affected = 0
            for node, _ in items:
                affected |= self._affected(node)
            known, vals = self.root
            known &= ~affected
            vals &= ~affected
            for node, value in items:
                known |= 1 << node
                vals |= value << node
            result = self._percolate(known, vals, _bits(affected & ~known))
        if len(self._closures) > 200_000:
            self._closures.clear()
        self._closures[items] = result
        return result

    def _affected(self, node: int) -> int:
        """The nodes whose value in the base's closure may depend on ``node`` (bit mask):
        those reachable from it through nodes the base's closure fixed by derivation.
        Every other fixed node keeps a valid derivation whatever ``node`` is clamped to,
        and every other free node keeps its regulators' values, so percolation needs to
        revisit only these."""
        mask = self._affected_cache.get(node)
        if mask is None:
            derived = self.root[0] & ~self.constants[0]
            mask = 1 << node
            stack = [node]
            while stack:
                for target in self.targets[stack.pop()]:
                    if not mask >> target & 1:
                        mask |= 1 << target
                        if derived >> target & 1:
                            stack.append(target)
            self._affected_cache[node] = mask
        return mask

    def space(self, known: int, vals: int) -> dict[int, int]:
        return {i: vals >> i & 1 for i in range(self.size) if known >> i & 1}

    # -- verdicts ----------------------------------------------------------------------

    def indexed(self, items: Items) -> tuple[tuple[int, int], ...]:
        try:
            return tuple(sorted((self.index[name], int(value)) for name, value in items))
        except KeyError as error:
            raise InputError(f"cannot perturb unknown node {error.args[0]!r}",
                             self.spec.label) from None

    def verdict(self, items: Items, semantics: str) -> str:
        """The verdict of the target for the base with ``items`` clamped, under
        ``semantics``."""
        found = self.triage(items, semantics, defer=False)
        assert isinstance(found, str)
        return found

    def triage(self, items: Items, semantics: str, *, defer: bool = True) -> "str | Deferred":
        """The verdict, or, with ``defer``, a :class:`Deferred` space when the verdict
        needs attractors of a core network this engine has not computed yet (so that a
        coordinator can send every space with the same core to one worker)."""
        if semantics not in SEMANTICS:
            raise InputError(f"unknown semantics {semantics!r}")
        indexed = self.indexed(items)
        known, vals = self.closure(indexed)
        target = self._target_on(known, vals)
        if target.is_true():
            return "always"
        if target.is_false():
            return "never"
        if self.starts is not None:
            key = (semantics, indexed)
        else:
            key = (semantics, known, vals)
        verdict = self._verdicts.get(key)
        if verdict is None:
            if self.starts is not None:
                verdict = self._verdict_from_initial(indexed, semantics)
            else:
                split = self.split(known, vals)
                if defer and (semantics, split.key) not in self._cores:
                    return Deferred(semantics, known, vals, split.key)
                verdict = self._verdict_of_space(known, vals, target, semantics)
            if len(self._verdicts) > 500_000:
                self._verdicts.clear()
            self._verdicts[key] = verdict
        return verdict

    def judge(self, semantics: str, known: int, vals: int) -> str:
        """The verdict for a percolated space (one :class:`Deferred` by :meth:`triage`)."""
        key = (semantics, known, vals)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdict_of_space(known, vals, self._target_on(known, vals),
                                             semantics)
            self._verdicts[key] = verdict
        return verdict

    def _target_on(self, known: int, vals: int):
        mask = self.target_support
        key = (known & mask, vals & mask)
        bdd = self._target_memo.get(key)
        if bdd is None:
            bdd = self._target_memo[key] = self._restrict(self.target, self.target_nodes, *key)
        return bdd

    def _function_on(self, node: int, known: int, vals: int):
        """The node's update function with the space's fixed values plugged in."""
        mask = self.support[node]
        key = (node, known & mask, vals & mask)
        bdd = self._restricted.get(key)
        if bdd is None:
            bdd = self._restricted[key] = self._restrict(self.system.functions[node],
                                                         self.regulators[node], *key[1:])
        return bdd

    def split(self, known: int, vals: int) -> _Split:
        """Core and downstream nodes of the space, and the core network's cache key."""
        cached = self._splits.get(known)
        if cached is None:
            free = {i for i in range(self.size) if not known >> i & 1}
            remaining = set(free)
            outgoing = {i: len((self.targets[i] & remaining) - {i}) for i in free}
            queue = [i for i in free if outgoing[i] == 0 and i not in self.regulators[i]]
            removed: list[int] = []
            while queue:
                node = queue.pop()
                remaining.discard(node)
                removed.append(node)
                for regulator in self.regulators[node]:
                    if regulator in remaining and regulator != node:
                        outgoing[regulator] -= 1
                        if outgoing[regulator] == 0 and regulator not in self.regulators[regulator]:
                            queue.append(regulator)
            core = tuple(sorted(remaining))
            boundary = 0
            for node in core:
                boundary |= self.support[node]
            boundary &= known
            cached = _Split(core, tuple(reversed(removed)), (core, boundary))
            if len(self._splits) > 100_000:
                self._splits.clear()
            self._splits[known] = cached
        core_key = (cached.key[0], cached.key[1], vals & cached.key[1])
        return _Split(cached.core, cached.downstream, core_key)

    def _verdict_of_space(self, known: int, vals: int, target, semantics: str) -> str:
        split = self.split(known, vals)
        relevant = self._relevant(split, target)
        if semantics == "asynchronous":
            judged = self._judge_async(split, known, vals, relevant, target)
        elif semantics == "synchronous":
            judged = self._judge_sync(split, known, vals, relevant, target)
        else:
            judged = self._judge_most_permissive(split, known, vals, target)
        return combine(judged)

    def _relevant(self, split: _Split, target) -> list[int]:
        """The downstream nodes the target reads, with their downstream regulators, in
        topological order."""
        downstream = set(split.downstream)
        needed = {self.position[v] for v in target.support_set()} & downstream
        stack = list(needed)
        while stack:
            node = stack.pop()
            for regulator in self.regulators[node]:
                if regulator in downstream and regulator not in needed:
                    needed.add(regulator)
                    stack.append(regulator)
        return [node for node in split.downstream if node in needed]

    # asynchronous

    def _judge_async(self, split: _Split, known: int, vals: int, relevant: Sequence[int],
                     target) -> list[str]:
        variables = self.system.algebra.variables
        judged = []
        for attractor in self._core_attractors("asynchronous", split, known, vals):
            states = attractor
            for node in relevant:
                function = self._function_on(node, known, vals)
                if states.l_and(function).is_false():
                    states = states.l_and(variables.mk_literal(self.variables[node], False))
                elif states.l_and_not(function).is_false():
                    states = states.l_and(variables.mk_literal(self.variables[node], True))
                # otherwise the node takes both values with every state built so far
            judged.append(_judge_set(states, target))
        return judged

    def _core_attractors(self, semantics: str, split: _Split, known: int, vals: int) -> list:
        key = (semantics, split.key)
        found = self._cores.get(key)
        if found is None:
            if semantics == "asynchronous":
                found = self._async_core(split.core, known, vals)
            elif semantics == "synchronous":
                found = self._sync_core(split.core, known, vals)
            else:
                found = self._mp_core(split.core, known, vals)
            if len(self._cores) > 10_000:
                self._cores.clear()
            self._cores[key] = found
        return found

    def _async_core(self, core: Sequence[int], known: int, vals: int) -> list:
        """Asynchronous attractors of the core network, as BDDs over its nodes in the
        model's variable set (biodivine-aeon's symbolic search)."""
        if not core:
            return [self.system.algebra.variables.mk_true()]
        from biodivine_aeon import AsynchronousGraph, Attractors

        from ..dynamics.symbolic import aeon_network

        # model order, so the BDD variable orders agree
        network = aeon_network({node: self._function_on(node, known, vals) for node in core},
                               self.position)
        graph = AsynchronousGraph(network)
        source = graph.symbolic_context().bdd_variable_set()
        target_set = self.system.algebra.variables
        return [target_set.transfer_from(attractor.to_bdd(), source)
                for attractor in Attractors.attractors(graph)]

    # synchronous

    def _sync_core(self, core: Sequence[int], known: int, vals: int) -> list:
        """Synchronous cycles of the core network: each a list of states ``{node: v}``
        in cycle order."""
        if not core:
            return [[{}]]
        from ..dynamics.explicit import check_size, sync_attractor_codes

        check_size(core, self.limits.explicit_nodes, "synchronous attractor search")
        space = self.space(known, vals)
        return [[{node: int(code) >> j & 1 for j, node in enumerate(core)} for code in cycle]
                for cycle in sync_attractor_codes(self.system, space, list(core))]

    def _judge_sync(self, split: _Split, known: int, vals: int, relevant: Sequence[int],
                    target) -> list[str]:
        judged = []
        for cycle in self._core_attractors("synchronous", split, known, vals):
            states = [dict(state) for state in cycle]
            length = len(states)
            for node in relevant:
                function = self._function_on(node, known, vals)
                values = [_evaluate(function, states[(i - 1) % length], self.position)
                          for i in range(length)]
                for state, value in zip(states, values):
                    state[node] = value
            outcomes = {_evaluate(target, state, self.position) for state in states}
            judged.append("sometimes" if len(outcomes) > 1 else
                          ("always" if outcomes.pop() else "never"))
        return judged

    # most permissive

    def _mp_core(self, core: Sequence[int], known: int, vals: int) -> list:
        """Minimal trap spaces of the core network: ``{node: value}`` of core nodes."""
        if not core:
            return [{}]
        from ..dynamics.trapspaces import minimal_trap_spaces

        inside = set(core)
        space = self.space(known, vals)
        space.update({i: 0 for i in range(self.size) if i not in space and i not in inside})
        return [{i: v for i, v in trap.items() if i in inside}
                for trap in minimal_trap_spaces(self.system, space, self.limits.trap_spaces)]

    def _judge_most_permissive(self, split: _Split, known: int, vals: int, target) -> list[str]:
        judged = []
        for trap in self._core_attractors("most-permissive", split, known, vals):
            k, v = known, vals
            for node, value in trap.items():
                k |= 1 << node
                v |= value << node
            k, v = self._percolate(k, v, {t for node in trap for t in self.targets[node]})
            restricted = self._target_on(k, v)
            judged.append("always" if restricted.is_true() else
                          "never" if restricted.is_false() else "sometimes")
        return judged

    # scenarios with an initial phase

    def _verdict_from_initial(self, indexed: tuple[tuple[int, int], ...], semantics: str) -> str:
        from ..dynamics.attractors import find_attractors

        perturbation = {self.spec.names[i]: v for i, v in indexed}
        clamps = {**dict(self.spec.clamps), **perturbation}
        starts: dict[tuple, dict[str, int]] = {}
        for start in self.starts:
            state = {**start, **clamps}
            starts.setdefault(tuple(sorted(state.items())), state)
        model = self.model.clamp(perturbation, reason="perturbed")
        found = find_attractors(model, semantics, initial=list(starts.values()),
                                limits=self.limits)
        return combine(self._judge_attractor(model, attractor, semantics, list(starts.values()))
                       for attractor in found)

    def _judge_attractor(self, model, attractor, semantics: str, starts) -> str:
        fixed = {self.index[n]: v for n, v in attractor.values.items() if v != "*"}
        known = sum(1 << i for i in fixed)
        vals = sum(v << i for i, v in fixed.items())
        restricted = self._target_on(known, vals)
        if restricted.is_true():
            return "always"
        if restricted.is_false():
            return "never"
        if semantics == "most-permissive":
            return "sometimes"  # the attractor is its whole subspace
        states = attractor.states
        if states is None:
            states = self._list_states(model, attractor, semantics, starts)
        outcomes = {_evaluate(self.target, dict(enumerate(state)), self.position)
                    for state in states}
        return "sometimes" if len(outcomes) > 1 else ("always" if outcomes.pop() else "never")

    def _list_states(self, model, attractor, semantics: str, starts):
        """The states of an attractor too large for ``find_attractors`` to list by default:
        search again with a limit that lets it list them (never a guess)."""
        from dataclasses import replace

        from ..dynamics.attractors import find_attractors

        most = 1 << 20
        if attractor.size > most:
            raise LimitExceeded(f"judging the target needs the {attractor.size} states of an "
                                "attractor reached from the initial phase", most,
                                "narrow the target or the initial phase")
        limits = replace(self.limits, exact_activity_states=max(attractor.size,
                                                                self.limits.exact_activity_states))
        for again in find_attractors(model, semantics, initial=starts, limits=limits):
            if dict(again.values) == dict(attractor.values) and again.states is not None:
                return again.states
        raise LimitExceeded("could not list the states of an attractor reached from the "
                            "initial phase", most, "narrow the target or the initial phase")


def _bits(mask: int) -> list[int]:
    """The positions of the set bits of ``mask``."""
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


def _judge_set(states, target) -> str:
    if states.l_and(target).is_false():
        return "never"
    if states.l_and_not(target).is_false():
        return "always"
    return "sometimes"


def _evaluate(bdd, state: Mapping[int, int], position: Mapping) -> int:
    """A BDD's value in a state that fixes (at least) its support (``position``: BDD
    variable -> node index)."""
    restricted = bdd.r_restrict({var: bool(state[position[var]]) for var in bdd.support_set()})
    return int(restricted.is_true())
