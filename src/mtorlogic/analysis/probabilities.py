"""How often each "sometimes" perturbation reaches the target: the long-run probability
under the random asynchronous update, from the base scenario's start states
(:mod:`mtorlogic.dynamics.absorption`: exact where the reachable part is small enough,
else a seeded estimate with its interval)."""
from __future__ import annotations

from typing import Callable, Sequence

from ..dynamics.absorption import Probability, target_probability
from ..errors import InputError
from ..outcomes import Verdict
from .spec import Items, ScreenSpec, combine, with_levels
from .store import Verdicts, key_of


def sometimes_probabilities(spec: ScreenSpec, perturbations: Sequence[Items],
                            results: dict[Items, Verdicts], *, most_states: int = 20_000,
                            runs: int = 1000, sweeps: int = 200, seed: int = 0,
                            progress: Callable[[int], None] | None = None
                            ) -> dict[Items, Probability]:
    """The target's probability for every perturbation whose verdict is ``sometimes``, by
    :func:`~.store.key_of`. The starts are the base's start states (``[start]`` or an
    initial phase) with base clamps and the perturbation set on top; without any, every
    state of the clamped network (usually estimated). One base scenario only.

    :raises InputError: with several base scenarios."""
    from ..dynamics.evaluation import CompiledFunction
    from ..dynamics.system import LogicalSystem
    from ..expressions import parse
    from ..readouts import clamped_starts
    from .verdicts import BaseEngine

    if len(spec.bases) != 1:
        raise InputError("--probabilities needs one base scenario")
    base = spec.bases[0]
    engine = BaseEngine(base, spec.target, spec.limits)
    out: dict[Items, Probability] = {}
    for perturbation in perturbations:
        key = key_of(perturbation)
        if combine(v for row in results[key] for v in row) != Verdict.SOMETIMES:
            continue
        clamped = dict(with_levels(perturbation, base.levels))
        clamps = {**dict(base.clamps), **clamped}
        model = engine.model.clamp(clamped, reason="perturbed")
        system = LogicalSystem.from_model(model)
        starts = [dict(clamps)] if base.starts is None else \
            clamped_starts([dict(s) for s in base.starts], clamps)
        target = CompiledFunction.from_bdd(system.algebra.bdd(parse(spec.target)))
        out[key] = target_probability(system, [model.by_index(s, "start state") for s in starts],
                                      target, most_states=most_states, runs=runs,
                                      sweeps=sweeps, seed=seed)
        if progress is not None:
            progress(1)
    return out
