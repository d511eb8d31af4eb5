"""What a screen perturbs: the candidate perturbations of the models and every set of them
to judge (subsets up to a size, or a grid of mutations x drugs), in report order.

The command line's syntax (``--nodes A,B=0``, ``--drugs D1,D2|none``) is parsed in
:mod:`mtorlogic.cli.screen`; this module resolves the parsed choices against the models.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Iterable, Iterator, Sequence

from ..errors import InputError
from ..levels import shared_level_groups
from ..model import Model
from .drugs import KNOWN_DRUGS, default_drugs
from .spec import Items

MAX_PERTURBATIONS = 5_000_000
"""Larger screens are refused with a hint (memory, and days of work)."""

Choice = tuple[str, "int | None"]
"""A node as chosen on the command line: ``(name, 0 or 1)``, or ``(name, None)`` for a bare
name (both values of a non-input node, 1 for a drug input)."""


def _node(name: str, models: Sequence[Model], option: str) -> str:
    from ..scenarios import _suggest

    for model in models:
        if name not in model:
            raise InputError(f"unknown node {name!r}{_suggest(name, model.names)} "
                             f"(model {model.source or model.name})", option)
    return name


def resolve_items(choices: Iterable[Choice], models: Sequence[Model], drugs: Iterable[str],
                  option: str = "--nodes") -> list[tuple[str, int]]:
    """The perturbations of chosen nodes: a bare non-input node gives its knockout and its
    activation, a bare drug input gives drug=1, a bare other input both values, ``NODE=0|1``
    just that. Unknown nodes are an :class:`InputError` naming ``option``."""
    drug_names = set(drugs) | set(KNOWN_DRUGS)
    items: list[tuple[str, int]] = []
    for name, value in choices:
        _node(name, models, option)
        if value is not None:
            items.append((name, value))
        elif name in drug_names and all(name in model.inputs for model in models):
            items.append((name, 1))
        else:
            items.extend([(name, 0), (name, 1)])
    return list(dict.fromkeys(items))


def resolve_drugs(names: Sequence[str] | None, models: Sequence[Model]) -> list[tuple[str, int]]:
    """Drug inputs set to 1: ``names`` (``[]`` for none), by default the known drugs every
    model has as inputs."""
    if names is None:
        chosen = [name for name in default_drugs(models[0])
                  if all(name in model.inputs for model in models)]
    else:
        chosen = []
        for name in names:
            _node(name, models, "--drugs")
            for model in models:
                if name not in model.inputs:
                    raise InputError(f"{name!r} is not an input of model "
                                     f"{model.source or model.name}; a drug is an input set to "
                                     "1 (perturb other nodes with --nodes)", "--drugs")
            chosen.append(name)
    return [(name, 1) for name in dict.fromkeys(chosen)]


def default_items(models: Sequence[Model]) -> list[tuple[str, int]]:
    """Knockout and activation of every non-input node of the first model (that every
    model has)."""
    first = models[0]
    return [(name, value) for name in first.names if name not in first.inputs
            and all(name in model for model in models) for value in (0, 1)]


def subsets(items: Sequence[tuple[str, int]], max_size: int) -> Iterator[Items]:
    """The empty set, then every set of 1..max_size items (no node twice), by size and in
    item order."""
    yield ()
    for size in range(1, max_size + 1):
        for chosen in combinations(items, size):
            if len({name for name, _ in chosen}) == size:
                yield chosen


def count_subsets(items: Sequence[tuple[str, int]], max_size: int) -> int:
    """How many sets :func:`subsets` yields, without listing them."""
    groups: dict[str, int] = {}
    for name, _ in items:
        groups[name] = groups.get(name, 0) + 1
    # polynomial product over nodes of (1 + c x), truncated at degree max_size
    poly = [1] + [0] * max_size
    for count in groups.values():
        for degree in range(max_size, 0, -1):
            poly[degree] += count * poly[degree - 1]
    return sum(poly)


def grid(drugs: Sequence[tuple[str, int]], mutations: Sequence[tuple[str, int]],
         max_size: int) -> Iterator[Items]:
    """Every combination of up to ``max_size`` mutations with up to ``max_size`` drugs
    (either may be none): mutation sets in order, each with every drug set."""
    drug_sets = list(subsets(drugs, max_size))
    for mutation_set in subsets(mutations, max_size):
        mutated = {name for name, _ in mutation_set}
        for drug_set in drug_sets:
            if not mutated & {name for name, _ in drug_set}:
                yield mutation_set + drug_set


@dataclass(frozen=True)
class Plan:
    """What to screen: ``perturbations`` in report order. ``items`` are the candidates
    (subset mode), ``drugs`` those of them that are drugs; in grid mode ``drugs`` and
    ``mutations`` are the two axes."""

    perturbations: tuple[Items, ...]
    max_size: int
    items: tuple[tuple[str, int], ...] = ()
    drugs: tuple[tuple[str, int], ...] = ()
    mutations: tuple[tuple[str, int], ...] = ()
    is_grid: bool = False
    levels: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """With ``levels``: every node whose levels are clamped together, with its levels
    (``X=0`` sets them all 0, ``X=1`` all 1); pass them to
    :func:`~.screen.build_spec`."""


def plan(models: Sequence[Model], *, nodes: Sequence[Choice] | None = None,
         drugs: Sequence[str] | None = None, max_size: int | None = None,
         is_grid: bool = False, levels: bool = False) -> Plan:
    """Enumerate a screen (see the command's help for the options' meaning).

    ``nodes``: the chosen nodes (``None``: every non-input node both ways; ``[]``: drugs
    only); ``drugs``: drug inputs (``None``: the known drugs; ``[]``: none). ``levels``:
    a node booleanised into levels (:func:`level_groups`) is perturbed as a whole, under
    its own name: a chosen level stands for its node, and ``X=0``/``X=1`` clamp every
    level of ``X`` to 0/1 (see :attr:`Plan.levels`).

    :raises InputError: on unknown nodes, or when nothing would be perturbed.
    """
    drug_items = resolve_drugs(drugs, models)
    only_drugs = nodes is not None and not nodes
    if nodes is None:
        chosen = default_items(models)
    else:
        chosen = resolve_items(nodes, models, [name for name, _ in drug_items])
    groups: dict[str, tuple[str, ...]] = {}
    if levels:
        found = shared_level_groups(models)
        head = {level: name for name, group in found.items() for level in group}
        chosen = list(dict.fromkeys((head.get(name, name), value) for name, value in chosen))
        groups = found
    grouped = tuple(groups.items())
    if is_grid:
        size = 1 if max_size is None else max_size
        mutations = [item for item in chosen if item not in drug_items]
        if not drug_items and not mutations:
            raise InputError("nothing to screen: the grid has no drug and no mutation "
                             "(check --nodes and --drugs)")
        total = count_subsets(drug_items, size) * count_subsets(mutations, size)
        _check_total(total)
        return Plan(tuple(grid(drug_items, mutations, size)), size, drugs=tuple(drug_items),
                    mutations=tuple(mutations), is_grid=True, levels=grouped)
    size = 2 if max_size is None else max_size
    items = chosen + ([item for item in drug_items if item not in chosen]
                      if nodes is None or only_drugs or drugs is not None else [])
    if not items:
        raise InputError("nothing to screen: the perturbation set is empty (check --nodes "
                         "and --drugs)")
    _check_total(count_subsets(items, size))
    drug_names = {name for name, _ in drug_items} | set(KNOWN_DRUGS)
    return Plan(tuple(subsets(items, size)), size, items=tuple(items),
                drugs=tuple(item for item in items if item[0] in drug_names
                            and all(item[0] in model.inputs for model in models)),
                levels=grouped)


def _check_total(total: int) -> None:
    if total > MAX_PERTURBATIONS:
        raise InputError(f"the screen would have {total:,} perturbations (more than "
                         f"{MAX_PERTURBATIONS:,}); lower --max-size or choose --nodes")
