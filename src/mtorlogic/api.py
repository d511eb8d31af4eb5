"""The notebook API: models, scenarios, attractors and screens from Python values.

Every function here is a thin layer over the modules the command line uses (formats,
scenarios, readouts, dynamics, analysis.screen): the same answers, taking Python values
instead of command-line strings, and returning results that print short (``repr``), show
as tables in a notebook (``_repr_html_``), read as text (``summary()``) and turn into a
pandas DataFrame (``to_dataframe()``, when pandas is installed)::

    import mtorlogic as mt
    result = mt.run_scenario("08_rapamycin_acute")
    result.status["mTORC1"], result.status["mTORC1_kinase"]   # (Status.OFF, Status.ON)
    found = mt.attractors("mtor", inputs={"Insulin": 1}, others=0)
    hits = mt.screen("13_tsc_loss_no_insulin", "!mTORC1 & !AKT_S473", max_size=1)
"""
from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from .dynamics.results import Attractor, Limits
from .errors import LimitExceeded
from .model import Model
from .outcomes import Verdict

if TYPE_CHECKING:  # pragma: no cover
    import pandas

    from .analysis.report import ScreenReport
    from .readouts import ScenarioResult
    from .scenarios import Scenario

def _model(model: "Model | str | os.PathLike") -> Model:
    if isinstance(model, Model):
        return model
    from .formats import load_model

    return load_model(model)


def load_scenario(scenario: "str | os.PathLike", *, model: "str | os.PathLike | None" = None,
                  semantics: str | None = None,
                  root: "str | os.PathLike | None" = None) -> "Scenario":
    """A scenario file, or a bundled scenario by name (``"01_fed"``), loaded and checked.

    :param model: run it (and the scenarios it refers to) on this model file instead.
    :param semantics: likewise for the semantics.
    :param root: read only files inside this folder (scenarios other people supply; see
        docs/scenarios.md, "Scenarios from other people").
    :raises InputError: naming the file, line and key of the first problem.
    """
    from .scenarios import load_scenario as load
    from .scenarios import resolve_scenario_argument

    return load(resolve_scenario_argument(str(scenario)), model=model, semantics=semantics,
                root=root)


def run_scenario(scenario: "Scenario | str | os.PathLike", *,
                 model: "str | os.PathLike | None" = None, semantics: str | None = None,
                 limits: Limits = Limits()) -> "ScenarioResult":
    """What a scenario does: the attractors it reaches and each node's
    :class:`~mtorlogic.outcomes.Status` and activity there (as ``mtorlogic run``).

    :param scenario: a loaded scenario, a file, or a bundled scenario's name.
    """
    from .readouts import run_scenario as run
    from .scenarios import Scenario

    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario, model=model, semantics=semantics)
    elif model is not None or semantics is not None:
        scenario = load_scenario(scenario.path, model=model, semantics=semantics)
    return run(scenario, limits=limits)


class Attractors(tuple):
    """The attractors of a model (a tuple of :class:`~mtorlogic.Attractor`), with what a
    reader needs to interpret them: the ``model`` searched, its ``semantics``, and the
    ``free_inputs`` whose every combination of values the attractors cover."""

    model: Model
    semantics: str
    free_inputs: tuple[str, ...]
    inputs_total: int

    def __new__(cls, found: Iterable[Attractor], model: Model, semantics: str,
                free_inputs: Sequence[str], inputs_total: int) -> "Attractors":
        self = super().__new__(cls, found)
        self.model, self.semantics, self.free_inputs = model, semantics, tuple(free_inputs)
        self.inputs_total = inputs_total
        return self

    def __repr__(self) -> str:
        free = (f"; {len(self.free_inputs)} inputs free, so they cover "
                f"{2 ** len(self.free_inputs):,} environments" if self.free_inputs else "")
        return (f"<{len(self):,} {self.semantics} attractor{'s' if len(self) != 1 else ''}"
                f" of {self.model.name!r}{free}>")

    def summary(self, by: Sequence[str] | None = None) -> str:
        """The text ``mtorlogic attractors`` prints: side by side when they fit, else
        grouped by the values of ``by`` (default: a few nodes that differ)."""
        from .cli.attractors import attractor_text

        return attractor_text(self.model, self, self.semantics, free=self.free_inputs,
                              total_inputs=self.inputs_total, by=by,
                              how="attractors(model, inputs={...}, others=0)")

    def _repr_html_(self) -> str:
        from html import escape

        return f"<pre>{escape(repr(self))}\n\n{escape(self.summary())}</pre>"

    def to_dataframe(self) -> "pandas.DataFrame":
        """One row per attractor: ``size``, ``fixed_point`` and each node's value in the
        smallest enclosing subspace (0, 1 or ``"*"``). Needs pandas."""
        from .readouts import _pandas

        pandas = _pandas()
        return pandas.DataFrame([{"size": a.size, "fixed_point": a.fixed_point,
                                  **dict(a.values)} for a in self])


def attractors(model: "Model | str | os.PathLike", *, inputs: Mapping[str, int] | None = None,
               others: int | None = None, clamp: Mapping[str, int] | None = None,
               semantics: str = "asynchronous",
               initial: Iterable[Mapping[str, int]] | None = None,
               limits: Limits = Limits()) -> Attractors:
    """Every attractor of ``model`` in an environment, or those reached from ``initial``.

    :param model: a :class:`Model`, a model file, or ``"mtor"``.
    :param inputs: input values (``{"Insulin": 1}``).
    :param others: what the inputs not in ``inputs`` become: ``None`` (free: every
        combination of their values, 2^k environments for k free inputs) or ``0`` (absent,
        the convention of scenario files), see :meth:`Model.fixed_inputs`.
    :param clamp: other nodes fixed (knockouts 0, constitutive activations 1).
    :param initial: start states or subspaces (nodes left out free).
    :raises LimitExceeded: when a bound of ``limits`` is hit; with free inputs the message
        says so and suggests setting them.
    """
    from .dynamics.attractors import find_attractors

    original = _model(model)
    network = original.fixed_inputs(dict(inputs or {}), others=others)
    network = network.clamp(dict(clamp or {}))
    free = network.inputs
    settings = {**{name: others for name in original.inputs if others is not None},
                **dict(inputs or {}), **dict(clamp or {})}
    # Clamps hold from time 0 (as in a scenario's later phase).
    starts = None if initial is None else [{**dict(start), **settings} for start in initial]
    try:
        found = find_attractors(network, semantics, initial=starts, limits=limits)
    except LimitExceeded as error:
        if not free:
            raise
        raise LimitExceeded(f"{error.what} with {len(free)} inputs free "
                            f"({2 ** len(free):,} combinations of their values)", error.limit,
                            "set them (inputs=..., others=0), or " + error.how_to_raise
                            ) from None
    return Attractors(found, network, semantics, free, len(original.inputs))


@dataclass(frozen=True)
class ScreenResult:
    """A finished screen: which perturbations achieve the target.

    ``report`` is the full :class:`~mtorlogic.analysis.report.ScreenReport` (JSON, CSV,
    tables); ``verdicts`` maps each perturbation (a ``{node: value}`` dict as a sorted tuple
    of items) to its combined :class:`~mtorlogic.outcomes.Verdict`.
    """

    target: str
    report: "ScreenReport"

    @property
    def verdicts(self) -> dict[tuple[tuple[str, int], ...], Verdict]:
        from .analysis.screen import key_of

        return {key_of(p): Verdict(self.report.verdict(p)) for p in self.report.perturbations}

    def verdict(self, perturbation: Mapping[str, int]) -> Verdict:
        """The verdict of one screened perturbation (``{"RHEB": 0}``)."""
        from .analysis.screen import key_of

        key = key_of(perturbation.items())
        if key not in self.verdicts:
            from .errors import InputError

            raise InputError(f"{dict(perturbation)} was not screened")
        return self.verdicts[key]

    @property
    def minimal(self) -> list[dict[str, int]]:
        """The smallest perturbations that achieve the target (no subset does)."""
        return [dict(hit.items) for hit in self.report.minimal()]

    @property
    def synergistic(self) -> list[dict[str, int]]:
        """Pairs that achieve the target where neither single does."""
        return [dict(hit.items) for hit in self.report.synergistic()]

    def summary(self, top: int = 20) -> str:
        """The table ``mtorlogic screen`` prints."""
        return self.report.table(top=top)

    def __repr__(self) -> str:
        counts = Counter(self.verdicts.values())
        shown = ", ".join(f"{v.value} {counts[v]}" for v in Verdict)
        return (f"<ScreenResult {self.target!r}: {len(self.report.perturbations)} "
                f"perturbations ({shown}); {len(self.minimal)} minimal, "
                f"{len(self.synergistic)} synergistic>")

    def _repr_html_(self) -> str:
        from html import escape

        return f"<pre>{escape(repr(self))}\n\n{escape(self.summary())}</pre>"

    def to_dataframe(self) -> "pandas.DataFrame":
        """One row per perturbation: ``perturbation`` (``A=0 + B=1``), ``size`` and
        ``verdict``. Needs pandas."""
        from .analysis.screen import label
        from .readouts import _pandas

        pandas = _pandas()
        return pandas.DataFrame([{"perturbation": label(p), "size": len(p),
                                  "verdict": self.report.verdict(p)}
                                 for p in self.report.perturbations])


def _choices(nodes: Any) -> "list[tuple[str, int | None]] | None":
    """Python perturbation choices as ``analysis.plan.plan`` takes them: ``None`` (every
    non-input node both ways), ``"none"`` or ``[]`` (drugs only), node names (both values),
    ``(node, value)`` pairs, or a ``{node: value}`` mapping."""
    if nodes is None:
        return None
    if isinstance(nodes, str):
        return [] if nodes == "none" else [(nodes, None)]
    if isinstance(nodes, Mapping):
        nodes = list(nodes.items())
    return [(str(item[0]), int(item[1])) if isinstance(item, tuple) else (str(item), None)
            for item in nodes]


def _drug_names(drugs: Any) -> "list[str] | None":
    """``None`` (the known drugs the model has), ``"none"`` or ``[]`` (none), or names."""
    if drugs is None:
        return None
    if isinstance(drugs, str):
        return [] if drugs == "none" else [drugs]
    return [str(name) for name in drugs]


def screen(scenarios: "str | os.PathLike | Scenario | Sequence[Any]", target: str, *,
           nodes: Any = None, drugs: Iterable[str] | str | None = None,
           max_size: int | None = None, grid: bool = False, semantics: str | None = None,
           model: "str | os.PathLike | None" = None, accept: str = "always",
           jobs: int | None = 1, limits: Limits = Limits()) -> ScreenResult:
    """Screen perturbations of one or more base scenarios for a target expression (as
    ``mtorlogic screen``).

    :param scenarios: a scenario (loaded, a file or a bundled name) or a list of them.
    :param target: an expression over nodes, ``"!mTORC1 & !AKT_S473"``.
    :param nodes: what to perturb: ``None`` (every non-input node both ways, plus the
        drugs), ``"none"`` (drugs only), node names (both ways; a drug input to 1),
        ``(node, value)`` pairs or a ``{node: value}`` mapping.
    :param drugs: drug inputs screened (set to 1); ``"none"`` for none.
    :param max_size: the largest perturbation set (default 2; 1 for a grid).
    :param grid: environments × drugs × mutations instead of subsets.
    :param semantics: ``None`` (each scenario's own), one semantics, or ``"all"``.
    :param jobs: worker processes (default 1: notebooks stay single-process).
    """
    from .analysis.plan import plan
    from .analysis.report import ScreenReport
    from .analysis.screen import build_spec
    from .analysis.screen import screen as run_screen
    from .dynamics.results import SEMANTICS
    from .scenarios import Scenario

    many: Sequence[Any] = (scenarios if isinstance(scenarios, (list, tuple))
                           else [scenarios])
    loaded: list[Scenario] = [
        s if isinstance(s, Scenario) else
        load_scenario(s, model=model, semantics=semantics if semantics in SEMANTICS else None)
        for s in many]
    spec = build_spec(loaded, target, semantics=semantics, limits=limits)
    chosen = plan([s.model for s in loaded], nodes=_choices(nodes), drugs=_drug_names(drugs),
                  max_size=max_size, is_grid=grid)
    results = run_screen(spec, chosen.perturbations, jobs=jobs)
    return ScreenResult(target, ScreenReport(spec, chosen, results, accept=accept))
