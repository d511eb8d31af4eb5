"""Perturbation screens: which single and combined perturbations give a target phenotype.

A screen starts from one or more base scenarios (SPEC §3 files), enumerates perturbations
(node knockouts ``X=0``, constitutive activations ``X=1``, drugs set to 1) and judges a
target expression in the attractors each perturbation reaches (:mod:`.verdicts`). This
module builds a screen's :class:`~.spec.ScreenSpec` from loaded scenarios and runs it in one
call (:func:`screen`); the parts live beside it: what to perturb (:mod:`.plan`), running
serially, on a process pool or on Dask (:mod:`.execution`), the resumable results file
(:mod:`.store`), the report (:mod:`.report`).

Decisions:

- Several base scenarios are one screen: a perturbation's verdict is judged over the
  attractors reached in *all* of them (so ``always`` means "in every base"); each base's
  own verdict is kept beside it. Likewise ``--semantics all`` judges over the attractors of
  the three semantics and keeps each semantics' verdict.
- The default candidates are the knockout and the activation of every non-input node,
  plus each drug input (set to 1). Drugs are the inputs named in
  :data:`~.drugs.KNOWN_DRUGS` (SPEC §2's and the other inhibitors of the bundled model), or
  ``--drugs``.
- A perturbation overrides the base's clamps (``TSC=1`` on a TSC-null base restores TSC).
  Sets never hold two values of one node. The empty perturbation (the base alone) is
  always screened first: it is the control that minimality is measured against.
- Results are identical however the screen runs: each verdict is a deterministic function
  of the spec and the perturbation, and reports follow the enumeration order.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from ..dynamics.results import SEMANTICS, Limits
from ..errors import InputError
from ..model import Model
from .execution import run
from .spec import BaseSpec, Items, ScreenSpec
from .store import ResultFile, Verdicts, key_of

if TYPE_CHECKING:  # pragma: no cover
    from ..readouts import AttractorCache
    from ..scenarios import Scenario

__all__ = ["build_spec", "key_of", "label", "parse_target", "screen"]


def label(items: Items) -> str:
    """``TSC=0 + Rapamycin=1``; ``(base alone)`` for the empty perturbation."""
    return " + ".join(f"{name}={value}" for name, value in items) or "(base alone)"


def parse_target(text: str, models: Sequence[Model]) -> str:
    """Check a target expression against the models; returns it normalised.

    :raises InputError: naming ``--target`` on a syntax error or an unknown node.
    """
    from ..expressions import parse, to_text, variables
    from ..scenarios import _suggest

    try:
        expression = parse(text)
    except InputError as error:
        raise InputError(error.message, "--target") from None
    for model in models:
        unknown = sorted(variables(expression) - set(model.names))
        if unknown:
            name = unknown[0]
            raise InputError(f"unknown node {name!r}{_suggest(name, model.names)} in the target "
                             f"(model {model.source or model.name})", "--target")
    return to_text(expression)


def build_spec(scenarios: Sequence["Scenario"], target: str, *, semantics: str | None = None,
               limits: Limits = Limits(),
               levels: Sequence[tuple[str, tuple[str, ...]]] = ()) -> ScreenSpec:
    """The :class:`ScreenSpec` of a screen over ``scenarios`` (loaded :class:`Scenario`
    objects). ``semantics``: ``None`` for each scenario's own, one of SEMANTICS, or
    ``"all"``. A scenario with ``initial`` has that phase's attractors computed here, once; one with
    ``[start]`` starts from its start subspaces. ``levels``: nodes perturbed with all their
    booleanised levels (:attr:`~.plan.Plan.levels`).
    """
    from ..expressions import to_text
    from ..readouts import attractor_starts, reached_attractors

    if semantics not in (None, "all") + SEMANTICS:
        raise InputError(f"unknown semantics {semantics!r}; choose one of "
                         f"{', '.join(SEMANTICS + ('all',))}")
    target = parse_target(target, [scenario.model for scenario in scenarios])
    cache: AttractorCache = {}
    bases = []
    for scenario in scenarios:
        model = scenario.model.clamp(scenario.clamps, reason=f"scenario {scenario.label}")
        chosen = SEMANTICS if semantics == "all" else (semantics or scenario.semantics,)
        starts = None
        if scenario.initial is not None:
            before = reached_attractors(scenario.initial, cache, limits=limits)
            starts = tuple(tuple(start.items()) for start
                           in attractor_starts(before, scenario.initial.model.names))
        elif scenario.start is not None:
            starts = tuple(tuple(start.items()) for start in scenario.start)
        bases.append(BaseSpec(label=scenario.shown_path, names=model.names,
                              functions=tuple(to_text(node.function) for node in model.nodes),
                              semantics=tuple(chosen), clamps=tuple(scenario.clamps.items()),
                              starts=starts, levels=tuple(levels)))
    return ScreenSpec(target, tuple(bases), limits)


# ---------------------------------------------------------------------------------------
# one call for library users


def screen(spec: ScreenSpec, perturbations: Sequence[Items], *,
           output: str | os.PathLike[str] | None = None,
           resume: bool = False, jobs: int | None = None, scheduler: str | None = None,
           progress: Callable[[int], None] | None = None) -> dict[Items, Verdicts]:
    """Run a screen and return every perturbation's verdicts (per base, per semantics) by
    :func:`key_of`. With ``output``, finished verdicts are appended to that file as they
    come (see :class:`ResultFile`), ``resume`` continues it, and the returned verdicts are
    read back from it. ``progress`` is called with the number of perturbations finished
    (first with those already in the file)."""
    store = ResultFile(Path(output), spec) if output is not None else None
    results = store.start(resume) if store is not None else {}
    wanted = {key_of(p): p for p in perturbations}
    pending = [p for key, p in wanted.items() if key not in results]
    if progress is not None:
        progress(len(wanted) - len(pending))

    def sink(rows: Sequence[tuple[Items, Verdicts]]) -> None:
        if store is not None:
            store.append(rows)
        for items, verdicts in rows:
            results[key_of(items)] = verdicts
        if progress is not None:
            progress(len(rows))

    try:
        run(spec, pending, sink, jobs=jobs, scheduler=scheduler)
        if store is not None:
            results = store.load()
    finally:
        if store is not None:
            store.close()
    return results
