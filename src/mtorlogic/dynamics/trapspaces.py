"""Trap spaces and attractor candidates by answer-set programming (clingo).

A subspace is a *trap space* when no transition leaves it. For every node ``v`` the program
has atoms ``p(v,0)`` and ``p(v,1)`` ("v can take 0/1 in the subspace", at least one true);
``p(v,b)`` must be true whenever some term of a DNF of ``f_v = b`` is compatible with the
subspace. Any DNF is exact here, because a term meets a subspace iff its literals agree with
the subspace's fixed values. Subset-minimal answer sets (clingo's domain heuristic with
``domRec`` enumeration) are the minimal trap spaces, which are also the attractors of the
most-permissive semantics (Paulevé et al. 2020, Nat Commun 11:4256).
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator, Mapping, Sequence

from ..errors import LimitExceeded, OutOfTime
from .system import LogicalSystem, Space


def _term_body(term: dict[str, int], system: LogicalSystem, atom: str) -> list[str]:
    index = system.algebra.index
    if atom == "p":
        return [f"p({index[name]},{value})" for name, value in term.items()]
    return [f"x({index[name]})" if value else f"not x({index[name]})"
            for name, value in term.items()]


def _solve(program: str, options: Sequence[str], limit: int | None, what: str,
           deadline: float | None, how_to_raise: str) -> list[list[Any]]:
    """Enumerate answer sets (shown symbols), at most ``limit`` and until ``deadline``
    (a ``time.monotonic()`` value); past either, LimitExceeded (``how_to_raise`` says how
    to raise ``limit``)."""
    import time

    import clingo

    control = clingo.Control([*options, str(0 if limit is None else limit + 1), "--warn=none"])
    control.add("base", [], program)
    control.ground([("base", [])])
    models: list[list[Any]] = []
    # Solved in clingo's own thread, which hands each answer set to ``models`` itself, while
    # this one waits in short steps: clingo's search never lets a signal handler run, so a
    # time budget (dynamics.context) or Ctrl-C could not stop it between two answer sets
    # (minutes on a hard program). Leaving the ``with`` block (a limit raised by the
    # budget's handler included) cancels the search and joins the thread. A callback rather
    # than a resume/wait hand-over per answer set: the hand-over made enumerating tens of
    # thousands of trap spaces about 1.6 times slower.
    handle = control.solve(on_model=lambda model: models.append(list(model.symbols(shown=True))),
                           async_=True)
    assert isinstance(handle, clingo.SolveHandle)  # async_ solves give a handle
    with handle:
        while not handle.wait(0.05):
            if deadline is not None and time.monotonic() > deadline:
                raise OutOfTime(f"the time budget ran out while enumerating {what} "
                                f"({len(models)} found so far)", None)
    if limit is not None and len(models) > limit:
        raise LimitExceeded(f"more than {limit} {what}", limit, how_to_raise)
    return models


def trap_space_program(system: LogicalSystem, space: Space) -> tuple[str, list[int]]:
    """The ASP program whose answer sets are the trap spaces inside ``space``."""
    free = system.free(space)
    lines = []
    for node in free:
        lines.append(f"1 {{p({node},0); p({node},1)}}.")
        bdd = system.restricted(node, space)
        for value, function in ((1, bdd), (0, bdd.l_not())):
            for term in system.algebra.dnf(function):
                body = _term_body(term, system, "p")
                rule = f"p({node},{value})" + (" :- " + ", ".join(body) if body else "")
                lines.append(rule + ".")
    # Shown as numbers 2*node+value (reading clingo's argument lists is slow), so the
    # subset-minimality heuristic names the p/2 atoms itself instead of --dom-mod's "shown".
    lines.append("#show. #show 2*V+B : p(V,B).")
    lines.append(" ".join(f"dom({node},0). dom({node},1)." for node in free))
    return "\n".join(lines), free


DOMAIN_OPTIONS = ("--heuristic=Domain", "--enum-mode=domRec")
"""clingo enumerates the answer sets that are subset-minimal or -maximal under a
``#heuristic`` (the domain heuristic with ``domRec`` enumeration)."""

MINIMAL_HEURISTIC = "\n#heuristic p(V,B) : dom(V,B). [1,false]"
"""Added to :func:`trap_space_program` with :data:`DOMAIN_OPTIONS`: its answer sets are the
minimal trap spaces (as few ``p`` atoms true as possible)."""


def minimal_trap_spaces(system: LogicalSystem, space: Space, limit: int | None = None,
                        deadline: float | None = None) -> list[dict[int, int]]:
    """All minimal trap spaces inside the trap space ``space`` (full fixed-value dicts);
    more than ``limit`` raise LimitExceeded.

    Complexity: NP-hard in general; fast in practice on biological networks.
    """
    program, free = trap_space_program(system, space)
    if not free:
        return [dict(space)]
    return [_as_space(space, symbols)
            for symbols in _solve(program + MINIMAL_HEURISTIC, DOMAIN_OPTIONS, limit,
                                  "minimal trap spaces", deadline,
                                  "raise it with --max-trap-spaces (or Limits.trap_spaces)")]


def minimal_trap_space_profiles(system: LogicalSystem, space: Space, nodes: Sequence[int]
                                ) -> Iterator[tuple[tuple[int | str, ...], bool]]:
    """For each minimal trap space inside the trap space ``space``, as clingo finds it:
    the values of ``nodes`` in it (0, 1, or ``"*"`` when free) and whether it is a single
    state. Nothing is kept and no trap space is decoded (only the atoms of ``nodes`` and
    one atom saying whether any node is free are read), so counting half a million takes
    constant memory and about a tenth of a millisecond each. The caller bounds the time
    (a :func:`~mtorlogic.dynamics.context.time_budget` acts between two answer sets: clingo
    runs no signal handler while it searches for the next one)."""
    import clingo

    program, free = trap_space_program(system, space)
    if not free:
        yield tuple(space[node] for node in nodes), True
        return
    program += MINIMAL_HEURISTIC + "\nwide :- p(V,0), p(V,1)."
    control = clingo.Control([*DOMAIN_OPTIONS, "0", "--warn=none"])
    control.add("base", [], program)
    control.ground([("base", [])])
    wide = clingo.Function("wide")
    atoms = {node: (clingo.Function("p", [clingo.Number(node), clingo.Number(0)]),
                    clingo.Function("p", [clingo.Number(node), clingo.Number(1)]))
             for node in nodes if node not in space}
    with control.solve(yield_=True) as handle:
        for model in handle:
            values: list[int | str] = []
            for node in nodes:
                if node in space:
                    values.append(space[node])
                    continue
                can_be_0, can_be_1 = (model.contains(atom) for atom in atoms[node])
                values.append("*" if can_be_0 and can_be_1 else int(can_be_1))
            yield tuple(values), not model.contains(wide)


def maximal_trap_spaces(system: LogicalSystem, space: Space, limit: int | None = None,
                        deadline: float | None = None) -> list[dict[int, int]]:
    """The maximal proper trap spaces inside the trap space ``space``: those fixing at least
    one more node, and contained in no other such trap space (the children of ``space`` in
    the succession diagram; Rozum et al. 2021, Sci Adv 7:eabf8124)."""
    program, free = trap_space_program(system, space)
    if not free:
        return []
    program += "\nfixed(V) :- free_node(V), not p(V,0).\nfixed(V) :- free_node(V), not p(V,1)." \
        "\n:- not fixed(_).\n" + " ".join(f"free_node({node})." for node in free)
    program += "\n#heuristic p(V,B) : dom(V,B). [1,true]"
    return [_as_space(space, symbols)
            for symbols in _solve(program, DOMAIN_OPTIONS, limit, "maximal trap spaces", deadline,
                                  "raise the limit given to maximal_trap_spaces")]


def _as_space(space: Space, symbols: Iterable[Any]) -> dict[int, int]:
    possible: dict[int, set[int]] = {}
    for symbol in symbols:
        node, value = divmod(symbol.number, 2)
        possible.setdefault(node, set()).add(value)
    trap = dict(space)
    trap.update({node: values.pop() for node, values in possible.items() if len(values) == 1})
    return trap


def candidate_states(system: LogicalSystem, space: Space, stable: Iterable[int],
                     avoid: Sequence[Space], limit: int,
                     retained: Mapping[int, int] | None = None,
                     deadline: float | None = None) -> list[dict[int, int]]:
    """States of ``space`` outside every subspace of ``avoid`` in which every node of
    ``stable`` agrees with its update function and every node of ``retained`` either holds
    its retained value or agrees with its update function.

    With ``stable`` the complement of a negative feedback vertex set ``U`` and ``retained``
    any values for ``U``, every asynchronous attractor in ``space`` contains such a state.
    Restrict each ``u`` in ``U`` to move only towards its retained value: that subgraph of
    the transition graph changes each ``u`` at most once, after which only positive cycles
    remain and the walk settles; the state it settles in lies in the attractor (a trap set)
    and has exactly the properties above (Richard 2010, Adv Appl Math 44:378; the
    retained-set construction of Trinh et al. 2023 and biobalm). More than ``limit`` states
    raise LimitExceeded.
    """
    free = system.free(space)
    lines = [f"{{x({node})}}." for node in free]
    for node in stable:
        bdd = system.restricted(node, space)
        for value, function in ((1, bdd), (0, bdd.l_not())):
            for term in system.algebra.dnf(function):
                body = _term_body(term, system, "x")
                head = f"not x({node})" if value else f"x({node})"
                lines.append(":- " + ", ".join([head, *body]) + ".")
    for node, keep in (retained or {}).items():
        # Away from its retained value a node must be stable: forbid the terms that would
        # move it back towards that value.
        bdd = system.restricted(node, space)
        for term in system.algebra.dnf(bdd if keep else bdd.l_not()):
            away = f"not x({node})" if keep else f"x({node})"
            lines.append(":- " + ", ".join([away, *_term_body(term, system, "x")]) + ".")
    for trap in avoid:
        body = [f"x({node})" if value else f"not x({node})"
                for node, value in trap.items() if node not in space]
        if not body:
            return []  # the whole space is to be avoided
        lines.append(":- " + ", ".join(body) + ".")
    # Shown as bare numbers: reading clingo's argument lists dominated the run time when
    # thousands of candidates were enumerated.
    lines.append("#show. #show I : x(I).")
    states = []
    for symbols in _solve("\n".join(lines), [], limit, "attractor candidate states", deadline,
                          "raise it with --max-candidates (or Limits.candidates)"):
        on = {symbol.number for symbol in symbols}
        state = dict(space)
        state.update({node: int(node in on) for node in free})
        states.append(state)
    return states
