"""Whether a target phenotype holds in the attractors of a perturbed scenario: the verdicts
behind ``mtorlogic screen``, on the same kernel as ``find_attractors``.

A *verdict* judges a Boolean expression over node values in every state of every attractor
reached (SPEC §5): ``always`` (true in all of them), ``never`` (false in all of them) or
``sometimes``. A screen asks it for thousands of perturbations of one base scenario, so
the work is shared wherever that is exact:

1. **Percolation** of base clamps + perturbation gives a trap space that holds every
   attractor (:class:`~mtorlogic.dynamics.percolation.MaskPercolation`, memoised), computed
   incrementally: the closure of ``P + x`` grows out of the closure of ``P`` when ``x`` is
   free there, and *is* that closure when ``x`` already has the perturbed value there.
2. If the target is **constant on that space**, that is the verdict: no attractor search.
3. Otherwise the free nodes split into a **core** and an acyclic **tail** the core drives
   (:func:`~mtorlogic.dynamics.feedback.core_and_tail`). The core's attractors depend only
   on the core nodes and the values of their fixed regulators, so they are **cached by
   that key** and shared by every perturbation with the same core network; on the bundled
   model the ~7,000 distinct spaces of a full pair screen have a few dozen distinct cores.
   They come from the attractor kernel of :mod:`mtorlogic.dynamics` (asynchronous: the
   search of ``find_attractors``, with its limits and time budget; synchronous: the cycles
   of the successor map; most-permissive: the minimal trap spaces).
4. Each core attractor is **extended exactly** over the tail nodes the target reads (in
   topological order) and the target is judged on the result:

   - asynchronous: the attractor is ``A x V`` where each tail node is constant (its
     function is constant on the part built so far) or takes both values in every
     combination. Sets are BDDs, so even attractors of 2^56 states are judged without
     listing them.
   - synchronous: a tail node repeats its function of the previous state of the core
     cycle, so each core cycle extends to exactly one cycle of the same length.
   - most-permissive: minimal trap spaces of the core, percolated over the tail.

Scenarios with an ``initial`` phase reach only some attractors, from states that depend on
the perturbation; those use the kernel's attractor sets
(:func:`~mtorlogic.dynamics.attractors.attractor_sets`) per perturbation, after the
constant-target shortcut, and judge the target without listing an attractor's states: on its
enclosing subspace when the target is constant there, on the trap space (most-permissive),
as the BDD of a symbolic attractor intersected with the target's BDD, or on the states an
explicit search already listed.

A perturbation whose judging hits a limit gets a :class:`~mtorlogic.outcomes.Failure` (the
limit's message) in its verdict's place: it is recorded like any verdict and the screen goes on.

Everything here is deterministic: the same spec and perturbation give the same verdict in
any process, in any order.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from ..dynamics.cache import BoundedCache
from ..dynamics.percolation import Masks, bits, from_masks
from ..dynamics.results import SEMANTICS, Limits
from ..dynamics.sets import AttractorSet, SymbolicAttractor, TrapSpaceAttractor
from ..errors import InputError, LimitExceeded
from ..outcomes import Failure, Outcome, Verdict
from .spec import BaseSpec, Items, combine, with_levels

Indexed = tuple[tuple[int, int], ...]
"""A perturbation by node index, sorted."""

CoreKey = tuple[Any, ...]
"""What determines a core network's attractors: its nodes and its fixed regulators' values."""


@dataclass(frozen=True)
class _Split:
    """The free nodes of a space: ``core`` (sorted) and ``tail`` (regulators before
    targets), and the cache key of the core network."""

    core: tuple[int, ...]
    tail: tuple[int, ...]
    key: CoreKey


def _recorded(judge: Callable[[], Outcome]) -> Outcome:
    """``judge()``, or, when it hits a limit, the :class:`~mtorlogic.outcomes.Failure`
    naming the limit: one perturbation that is too hard is recorded and the screen goes
    on."""
    try:
        return judge()
    except LimitExceeded as error:
        return Failure(str(error))


class BaseEngine:
    """Verdicts for perturbations of one base scenario, with the caches described in the
    module notes (all :class:`~mtorlogic.dynamics.cache.BoundedCache`). Not thread-safe;
    one per process."""

    def __init__(self, spec: BaseSpec, target_text: str, limits: Limits = Limits()):
        from ..dynamics.evaluation import CompiledFunction
        from ..dynamics.system import LogicalSystem
        from ..expressions import parse
        from ..model import Node, make_model

        self.spec, self.target_text, self.limits = spec, target_text, limits
        self.model = make_model([Node(name, parse(text)) for name, text
                                 in zip(spec.names, spec.functions)], name=spec.label)
        self.system = LogicalSystem.from_model(self.model)
        self.percolation = self.system.percolation
        self.size = len(spec.names)
        self.index = self.model.index
        self.target = self.system.algebra.bdd(parse(target_text))
        self.target_nodes = tuple(sorted(self.system.position[v]
                                         for v in self.target.support_set()))
        self.target_support = sum(1 << i for i in self.target_nodes)
        self.compiled_target = CompiledFunction.from_bdd(self.target)
        known = vals = 0
        for i, function in enumerate(self.system.compiled):
            if function.constant is not None:
                known |= 1 << i
                vals |= int(function.constant) << i
        self.constants: Masks = (known, vals)
        self._restricted: BoundedCache[tuple[int, int, int], Any] = BoundedCache()
        self._target_memo: BoundedCache[Masks, Any] = BoundedCache()
        self._closures: BoundedCache[Indexed, Masks] = BoundedCache()
        self._affected: BoundedCache[int, int] = BoundedCache()
        self._verdicts: BoundedCache[tuple[Any, ...], Outcome] = BoundedCache()
        self._splits: BoundedCache[int, _Split] = BoundedCache()
        self._cores: BoundedCache[tuple[str, CoreKey], list[Any]] = BoundedCache()
        self.root = self.percolation.closure(known, vals)
        self.starts = None if spec.starts is None else [dict(s) for s in spec.starts]

    # -- percolation -------------------------------------------------------------------

    def closure(self, items: Indexed) -> Masks:
        """The percolated space of the base with ``items`` (sorted ``(index, value)``)
        clamped on top (overriding base clamps), as ``(known, vals)`` bit masks.

        Equal to percolating from scratch (the closure is unique), but cheaper: from the
        closure of ``items`` minus one item ``x``, the result is that closure when ``x``
        already has its value there, and grows out of it when ``x`` is free there.
        Otherwise it starts from the base's closure without the nodes whose derivation
        may depend on a perturbed node (see :meth:`affected`)."""
        if not items:
            return self.root
        cached = self._closures.get(items)
        if cached is not None:
            return cached
        result = None
        targets = self.system.targets
        for k in range(len(items)):  # the subsets are screened too: computing them is no loss
            rest = items[:k] + items[k + 1:]
            known, vals = self.closure(rest)
            node, value = items[k]
            if known >> node & 1:
                if (vals >> node & 1) == value:
                    result = (known, vals)  # already percolates to the clamped value
                    break
                continue  # a conflict: derived values may rest on the old one
            result = self.percolation.closure(known | 1 << node, vals | value << node,
                                              targets[node])
            break
        if result is None:
            affected = 0
            for node, _ in items:
                affected |= self.affected(node)
            known, vals = self.root
            known &= ~affected
            vals &= ~affected
            for node, value in items:
                known |= 1 << node
                vals |= value << node
            result = self.percolation.closure(known, vals, bits(affected & ~known))
        self._closures[items] = result
        return result

    def affected(self, node: int) -> int:
        """The nodes whose value in the base's closure may depend on ``node`` (bit mask):
        those reachable from it through nodes the base's closure fixed by derivation.
        Every other fixed node keeps a valid derivation whatever ``node`` is clamped to,
        and every other free node keeps its regulators' values, so percolation needs to
        revisit only these."""
        mask = self._affected.get(node)
        if mask is None:
            derived = self.root[0] & ~self.constants[0]
            mask = 1 << node
            stack = [node]
            while stack:
                for target in self.system.targets[stack.pop()]:
                    if not mask >> target & 1:
                        mask |= 1 << target
                        if derived >> target & 1:
                            stack.append(target)
            self._affected[node] = mask
        return mask

    # -- verdicts ----------------------------------------------------------------------

    def indexed(self, items: Items) -> Indexed:
        try:
            return tuple(sorted((self.index[name], int(value))
                                for name, value in with_levels(items, self.spec.levels)))
        except KeyError as error:
            raise InputError(f"cannot perturb unknown node {error.args[0]!r}",
                             self.spec.label) from None

    def verdict(self, items: Items, semantics: str) -> Outcome:
        """The verdict of the target for the base with ``items`` clamped, under
        ``semantics``."""
        found = self.triage(items, semantics, defer=False)
        assert not isinstance(found, tuple)
        return found

    def triage(self, items: Items, semantics: str, *,
               defer: bool = True) -> Outcome | tuple[int, int, CoreKey]:
        """The verdict, or, with ``defer``, the space ``(known, vals, core key)`` when the
        verdict needs attractors of a core network this engine has not computed yet (so
        that a coordinator can send every space with the same core to one worker)."""
        if semantics not in SEMANTICS:
            raise InputError(f"unknown semantics {semantics!r}")
        indexed = self.indexed(items)
        known, vals = self.closure(indexed)
        target = self._target_on(known, vals)
        if target.is_true():
            return Verdict.ALWAYS
        if target.is_false():
            return Verdict.NEVER
        key: tuple[Any, ...] = (semantics, indexed) if self.starts is not None else \
            (semantics, known, vals)
        verdict = self._verdicts.get(key)
        if verdict is None:
            if self.starts is not None:
                verdict = _recorded(lambda: self._verdict_from_initial(indexed, semantics))
            else:
                split = self.split(known, vals)
                if defer and (semantics, split.key) not in self._cores:
                    return known, vals, split.key
                verdict = _recorded(lambda: self._verdict_of_space(known, vals, target,
                                                                   semantics))
            self._verdicts[key] = verdict
        return verdict

    def judge(self, semantics: str, known: int, vals: int) -> Outcome:
        """The verdict for a percolated space (one deferred by :meth:`triage`)."""
        return self._verdicts.get_or_compute(
            (semantics, known, vals), lambda: _recorded(lambda: self._verdict_of_space(
                known, vals, self._target_on(known, vals), semantics)))

    def _target_on(self, known: int, vals: int) -> Any:
        """The target with the space's fixed values plugged in (called once per
        perturbation: a plain lookup, no closure)."""
        mask = self.target_support
        key = (known & mask, vals & mask)
        bdd = self._target_memo.get(key)
        if bdd is None:
            bdd = self._target_memo[key] = self.percolation.restrict(
                self.target, self.target_nodes, *key)
        return bdd

    def _function_on(self, node: int, known: int, vals: int) -> Any:
        """The node's update function with the space's fixed values plugged in."""
        mask = self.percolation.support[node]
        key = (node, known & mask, vals & mask)
        return self._restricted.get_or_compute(key, lambda: self.percolation.restrict(
            self.system.functions[node], self.system.regulators[node], key[1], key[2]))

    def split(self, known: int, vals: int) -> _Split:
        """Core and tail nodes of the space, and the core network's cache key."""
        from ..dynamics.feedback import core_and_tail

        cached = self._splits.get(known)
        if cached is None:
            free = [i for i in range(self.size) if not known >> i & 1]
            core, tail = core_and_tail(free, self.system.regulators, self.system.targets)
            boundary = 0
            for node in core:
                boundary |= self.percolation.support[node]
            boundary &= known
            ordered = tuple(sorted(core))
            cached = _Split(ordered, tuple(tail), (ordered, boundary))
            self._splits[known] = cached
        core_key = (cached.key[0], cached.key[1], vals & cached.key[1])
        return _Split(cached.core, cached.tail, core_key)

    def _verdict_of_space(self, known: int, vals: int, target: Any, semantics: str) -> Outcome:
        split = self.split(known, vals)
        relevant = self._relevant(split, target)
        if semantics == "asynchronous":
            judged = self._judge_async(split, known, vals, relevant, target)
        elif semantics == "synchronous":
            judged = self._judge_sync(split, known, vals, relevant, target)
        else:
            judged = self._judge_most_permissive(split, known, vals)
        return combine(judged)

    def _relevant(self, split: _Split, target: Any) -> list[int]:
        """The tail nodes the target reads, with their tail regulators, in topological
        order."""
        tail = set(split.tail)
        needed = {self.system.position[v] for v in target.support_set()} & tail
        stack = list(needed)
        while stack:
            node = stack.pop()
            for regulator in self.system.regulators[node]:
                if regulator in tail and regulator not in needed:
                    needed.add(regulator)
                    stack.append(regulator)
        return [node for node in split.tail if node in needed]

    def _core_attractors(self, semantics: str, split: _Split, known: int, vals: int) -> list[Any]:
        """The attractors of the core network (cached by its key): BDDs (asynchronous),
        cycles of ``{node: value}`` states (synchronous), or core values of minimal trap
        spaces (most-permissive)."""
        def compute() -> list[Any]:
            space = from_masks(known, vals)
            # The tail's values are placeholders: the core's functions do not read them.
            space.update(dict.fromkeys(split.tail, 0))
            if semantics == "asynchronous":
                return self._async_core(split.core, space)
            if semantics == "synchronous":
                return self._sync_core(split.core, space)
            return self._mp_core(split.core, space)

        return self._cores.get_or_compute((semantics, split.key), compute)

    # asynchronous

    def _async_core(self, core: Sequence[int], space: dict[int, int]) -> list[Any]:
        """Asynchronous attractors of the core network, as BDDs over its nodes in the
        model's variable set, from the kernel's symbolic search."""
        variables = self.system.algebra.variables
        if not core:
            return [variables.mk_true()]
        from ..dynamics.asynchronous import symbolic_attractors
        from ..dynamics.context import SearchContext

        context = SearchContext.start(self.system, self.limits)
        return [item.model_bdd() for item in symbolic_attractors(context, space)]

    def _judge_async(self, split: _Split, known: int, vals: int, relevant: Sequence[int],
                     target: Any) -> list[Verdict]:
        variables = self.system.algebra.variables
        judged = []
        for attractor in self._core_attractors("asynchronous", split, known, vals):
            states = attractor
            for node in relevant:
                function = self._function_on(node, known, vals)
                literal = self.system.bdd_variables[node]
                if states.l_and(function).is_false():
                    states = states.l_and(variables.mk_literal(literal, False))
                elif states.l_and_not(function).is_false():
                    states = states.l_and(variables.mk_literal(literal, True))
                # otherwise the node takes both values with every state built so far
            judged.append(Verdict.of(not states.l_and(target).is_false(),
                                     not states.l_and_not(target).is_false()))
        return judged

    # synchronous

    def _sync_core(self, core: Sequence[int], space: dict[int, int]) -> list[Any]:
        """Synchronous cycles of the core network: each a list of states ``{node: v}``
        in cycle order."""
        if not core:
            return [[{}]]
        from ..dynamics.explicit import check_size, sync_attractor_codes

        check_size(core, self.limits.explicit_nodes, "synchronous attractor search",
                   "--max-explicit-nodes (or Limits.explicit_nodes)")  # screen's option
        return [[{node: int(code) >> j & 1 for j, node in enumerate(core)} for code in cycle]
                for cycle in sync_attractor_codes(self.system, space, list(core))]

    def _judge_sync(self, split: _Split, known: int, vals: int, relevant: Sequence[int],
                    target: Any) -> list[Verdict]:
        import numpy as np

        judged = []
        full = from_masks(known, vals)
        for cycle in self._core_attractors("synchronous", split, known, vals):
            # the cycle's states as rows over every node; fixed nodes at their values
            states = np.zeros((len(cycle), self.size), dtype=bool)
            for node, value in full.items():
                states[:, node] = bool(value)
            for row, state in enumerate(cycle):
                for node, value in state.items():
                    states[row, node] = bool(value)
            previous = np.roll(np.arange(len(cycle)), 1)
            for node in relevant:
                states[:, node] = self.system.evaluate_node(node, states[previous])
            outcomes = self._target_values(states)
            judged.append(Verdict.of(bool(outcomes.any()), not bool(outcomes.all())))
        return judged

    def _target_values(self, states: Any) -> Any:
        """The target on every row of a boolean state matrix."""
        return self.compiled_target.on_states(states)

    # most permissive

    def _mp_core(self, core: Sequence[int], space: dict[int, int]) -> list[Any]:
        """Minimal trap spaces of the core network: ``{node: value}`` of core nodes."""
        if not core:
            return [{}]
        from ..dynamics.trapspaces import minimal_trap_spaces

        inside = set(core)
        return [{i: v for i, v in trap.items() if i in inside}
                for trap in minimal_trap_spaces(self.system, space, self.limits.trap_spaces)]

    def _judge_most_permissive(self, split: _Split, known: int, vals: int) -> list[Verdict]:
        judged = []
        targets = self.system.targets
        for trap in self._core_attractors("most-permissive", split, known, vals):
            k, v = known, vals
            for node, value in trap.items():
                k |= 1 << node
                v |= value << node
            k, v = self.percolation.closure(k, v, {t for node in trap for t in targets[node]})
            restricted = self._target_on(k, v)
            judged.append(Verdict.of(not restricted.is_false(), not restricted.is_true()))
        return judged

    # scenarios with an initial phase

    def _verdict_from_initial(self, indexed: Indexed, semantics: str) -> Outcome:
        from ..dynamics.asynchronous import reachable
        from ..dynamics.attractors import attractor_sets
        from ..dynamics.context import SearchContext
        from ..dynamics.system import LogicalSystem
        from ..readouts import clamped_starts

        assert self.starts is not None
        perturbation = {self.spec.names[i]: v for i, v in indexed}
        starts = clamped_starts(self.starts, {**dict(self.spec.clamps), **perturbation})
        model = self.model.clamp(perturbation, reason="perturbed")
        system = LogicalSystem.from_model(model)
        context = SearchContext.start(system, self.limits)
        indexed_starts = [model.by_index(s, "initial state") for s in starts]
        if semantics != "asynchronous" or not indexed_starts:
            found = attractor_sets(context, semantics, indexed_starts)
            return combine(self._judge_set(system, item) for item in found)
        # Judge every attractor first (cheap: BDD restrictions), then ask reachability only
        # what the verdict needs: when all agree, some attractor is reached from every start
        # and the verdict is theirs; otherwise one reachable attractor per verdict is enough.
        found = attractor_sets(context, semantics)
        verdicts = [self._judge_set(system, item) for item in found]
        if len(set(verdicts)) == 1:
            return verdicts[0]
        position = {id(item): k for k, item in enumerate(found)}
        reached = reachable(context, found, indexed_starts, verdicts)
        return combine(verdicts[position[id(item)]] for item in reached)

    def _judge_set(self, system: Any, item: AttractorSet) -> Verdict:
        """The target's verdict on one attractor, never listing more states than the
        search already listed: on the enclosing subspace when the target is constant
        there; on the trap space (most-permissive: the attractor is the whole subspace);
        on the BDD of a symbolic attractor intersected with the target's BDD; on the
        listed states of an explicit one (at most ``2 ** Limits.explicit_nodes``)."""
        known = sum(1 << i for i in item.values)
        vals = sum(v << i for i, v in item.values.items())
        restricted = self._target_on(known, vals)
        if restricted.is_true():
            return Verdict.ALWAYS
        if restricted.is_false():
            return Verdict.NEVER
        if isinstance(item, TrapSpaceAttractor):
            return Verdict.SOMETIMES  # the attractor is its whole subspace
        if isinstance(item, SymbolicAttractor):
            variables = self.system.algebra.variables
            states = variables.transfer_from(item.model_bdd(), system.algebra.variables)
            space = item.graph.space
            target = self._target_on(sum(1 << i for i in space),
                                     sum(v << i for i, v in space.items()))
            return Verdict.of(not states.l_and(target).is_false(),
                              not states.l_and_not(target).is_false())
        import numpy as np

        listed = item.listed(item.size)
        assert listed is not None  # explicit attractors list their states
        outcomes = self._target_values(np.array(listed, dtype=bool))
        return Verdict.of(bool(outcomes.any()), not bool(outcomes.all()))
