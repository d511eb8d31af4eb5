"""Evaluating scenarios: the attractors they reach, what each node does there, and whether
the expectations and comparisons of the scenario file hold (SPEC §3).

Everything here is a pure function of its arguments, except that :func:`run_scenario` fills
the ``cache`` it is given so that a scenario shared by many others (a reference, an initial
phase) is computed once.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Mapping, MutableMapping

from .dynamics.results import Attractor, Limits
from .outcomes import Status
from .scenarios import Scenario

if TYPE_CHECKING:  # pragma: no cover
    import pandas

STATUSES = ("on", "off", "oscillates", "mixed")
TOLERANCE = 1e-9
"""Activities closer than this are the "same"; "higher"/"lower" need a larger difference."""

_EXPECTED = {"higher": "higher than", "lower": "lower than", "same": "the same as"}
_FOUND = {"higher": "higher", "lower": "lower", "same": "the same"}

AttractorCache = MutableMapping[tuple, tuple[Attractor, ...]]
"""What :func:`run_scenario` memoizes: (scenario key, limits) -> attractors reached."""


@dataclass(frozen=True)
class ScenarioResult:
    """What a scenario does.

    ``attractors`` are the attractors reached; ``status`` gives each node's behaviour in them:
    ``"on"`` (1 in every state of every attractor), ``"off"`` (0 throughout),
    ``"oscillates"`` (takes both values inside every attractor) or ``"mixed"`` (the attractors
    disagree). ``activity`` is each node's share of time at 1, averaged over the attractors
    (each counts equally); ``activity_exact`` is False when some attractor's activities were
    estimated by simulation.
    """

    scenario: Scenario
    attractors: tuple[Attractor, ...]
    status: Mapping[str, Status]
    activity: Mapping[str, float]
    activity_exact: bool

    def breakdown(self, node: str) -> dict[str, int]:
        """How many of the attractors reached have ``node`` on, off or oscillating."""
        return dict(Counter(_attractor_status(a, node) for a in self.attractors))

    def summary(self, nodes: Iterable[str] | None = None) -> str:
        """The scenario's row of ``mtorlogic run``'s table, with its legend: the key
        readouts (or ``nodes``) and what each does."""
        from .cli.run import table

        return table([self], list(nodes) if nodes is not None else None)

    def __repr__(self) -> str:
        counts = Counter(str(status) for status in self.status.values())
        kinds = ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts[s])
        return (f"<ScenarioResult {self.scenario.label}: {len(self.attractors)} attractor"
                f"{'s' if len(self.attractors) != 1 else ''} reached; nodes {kinds}>")

    def _repr_html_(self) -> str:
        from html import escape

        return f"<pre>{escape(repr(self))}\n\n{escape(self.summary())}</pre>"

    def to_dataframe(self) -> "pandas.DataFrame":
        """One row per node: ``status`` and ``activity`` (needs pandas)."""
        pandas = _pandas()
        return pandas.DataFrame(
            {"status": [str(self.status[n]) for n in self.scenario.model.names],
             "activity": [self.activity[n] for n in self.scenario.model.names]},
            index=pandas.Index(self.scenario.model.names, name="node"))


@dataclass(frozen=True)
class Finding:
    """The outcome of one line of ``[expect]`` or ``[compare]``.

    ``kind`` is ``"expect"`` or ``"compare"``. For an expectation ``expected`` is
    on/off/oscillates and ``found`` the node's status; for a comparison ``expected`` is
    higher/lower/same and ``found`` the relation observed between ``activity`` and
    ``reference_activity`` (the reference scenario, ``reference``, is named by its file).
    """

    kind: str
    node: str
    expected: str
    found: str
    passed: bool
    activity: float | None = None
    reference_activity: float | None = None
    reference: str | None = None
    detail: str = ""

    def message(self) -> str:
        """One readable line: ``S6K1: expected off, found on``."""
        if self.kind == "compare":
            return (f"{self.node} activity: expected {_EXPECTED[self.expected]} in "
                    f"{self.reference}, found {_FOUND[self.found]} "
                    f"({self.activity:.3f} vs {self.reference_activity:.3f})")
        return f"{self.node}: expected {self.expected}, found {self.found}" + (
            f" ({self.detail})" if self.detail else "")

    def to_json(self) -> dict:
        """The finding as a JSON object (the fields; ``None`` ones left out)."""
        fields = {"kind": self.kind, "node": self.node, "expected": self.expected,
                  "found": self.found, "passed": self.passed, "activity": self.activity,
                  "reference_activity": self.reference_activity, "reference": self.reference,
                  "detail": self.detail or None}
        return {key: value for key, value in fields.items() if value is not None}


def _pandas():
    try:
        import pandas
    except ImportError:
        from .errors import InputError

        raise InputError("to_dataframe() needs pandas: pip install pandas") from None
    return pandas


def _attractor_status(attractor: Attractor, node: str) -> Status:
    value = attractor.values[node]
    return Status.OSCILLATES if value == "*" else (Status.ON if value == 1 else Status.OFF)


def summarize(scenario: Scenario, attractors: tuple[Attractor, ...]) -> ScenarioResult:
    """The :class:`ScenarioResult` of ``scenario`` given the attractors it reaches.

    :raises ValueError: when ``attractors`` is empty (every network has an attractor, so
        this is a bug in the engine, not bad input).
    """
    if not attractors:
        raise ValueError(f"no attractor reached in scenario {scenario.path}")
    names = scenario.model.names
    status = {}
    for name in names:
        seen = {_attractor_status(attractor, name) for attractor in attractors}
        status[name] = seen.pop() if len(seen) == 1 else Status.MIXED
    activity = {name: sum(a.activities[name] for a in attractors) / len(attractors)
                for name in names}
    return ScenarioResult(scenario, attractors, status, activity,
                          all(a.activity_exact for a in attractors))


def attractor_starts(attractors: Iterable[Attractor],
                     names: tuple[str, ...]) -> list[dict[str, int]]:
    """Where a later phase starts, before its clamps: the states of ``attractors`` (node
    order ``names``), duplicates removed. An attractor too large to list its states
    contributes its subspace instead (its ``"*"`` nodes left free), which may include states
    outside the attractor."""
    starts: dict[tuple[tuple[str, int], ...], dict[str, int]] = {}
    for attractor in attractors:
        if attractor.states is not None:
            partial = [dict(zip(names, state)) for state in attractor.states]
        else:
            partial = [{n: v for n, v in attractor.values.items() if isinstance(v, int)}]
        for state in partial:
            starts.setdefault(tuple(state.items()), state)
    return list(starts.values())


def clamped_starts(starts: Iterable[Mapping[str, int]],
                   clamps: Mapping[str, int]) -> list[dict[str, int]]:
    """Each start with ``clamps`` set on top, duplicates removed (first kept)."""
    out: dict[tuple[tuple[str, int], ...], dict[str, int]] = {}
    for start in starts:
        state = {**start, **clamps}
        out.setdefault(tuple(sorted(state.items())), state)
    return list(out.values())


def starting_states(attractors: Iterable[Attractor], names: tuple[str, ...],
                    clamps: Mapping[str, int]) -> list[dict[str, int]]:
    """Where a later phase starts: :func:`attractor_starts` with ``clamps`` set on top
    (:func:`clamped_starts`)."""
    return clamped_starts(attractor_starts(attractors, names), clamps)


def reached_attractors(scenario: Scenario, cache: AttractorCache, *,
                       limits: Limits = Limits()) -> tuple[Attractor, ...]:
    """The attractors ``scenario`` reaches: every attractor of its clamped model, or with
    ``initial``, those reachable from the initial scenario's attractors with this scenario's
    clamps applied; with ``[start]``, those reachable from its start subspaces (clamps
    applied). Memoized in ``cache`` by (:attr:`Scenario.key`, ``limits``)."""
    key = (scenario.key, limits)
    if key not in cache:
        from .dynamics.attractors import find_attractors

        clamps = scenario.clamps
        initial = None
        if scenario.initial is not None:
            before = reached_attractors(scenario.initial, cache, limits=limits)
            initial = starting_states(before, scenario.initial.model.names, clamps)
        elif scenario.start is not None:
            initial = clamped_starts(scenario.start, clamps)
        model = scenario.model.clamp(clamps, reason=f"scenario {scenario.label}")
        cache[key] = tuple(find_attractors(model, scenario.semantics, initial=initial,
                                           limits=limits))
    return cache[key]


def run_scenario(scenario: Scenario, cache: AttractorCache | None = None, *,
                 limits: Limits = Limits()) -> ScenarioResult:
    """Evaluate ``scenario``.

    :param cache: a dict shared between calls, so scenarios with the same model, clamps,
        semantics and initial phase (and their initial phases) are computed once; ``None``
        for a private one.
    :param limits: bounds on the attractor search.
    :returns: the attractors reached and each node's status and activity in them.
    """
    cache = {} if cache is None else cache
    return summarize(scenario, reached_attractors(scenario, cache, limits=limits))


def relation(activity: float, reference: float, tolerance: float = TOLERANCE) -> str:
    """``"higher"``, ``"lower"`` or ``"same"``: ``activity`` against ``reference``, equal
    within ``tolerance``."""
    if activity - reference > tolerance:
        return "higher"
    if reference - activity > tolerance:
        return "lower"
    return "same"


def check_scenario(result: ScenarioResult,
                   reference: ScenarioResult | None = None) -> list[Finding]:
    """Check ``result`` against its scenario's ``[expect]`` and ``[compare]`` blocks.

    :param result: the scenario's result.
    :param reference: the result of the scenario's ``compare.reference``; required when the
        scenario has a ``[compare]`` block.
    :returns: one :class:`Finding` per expectation (file order), then one per compared node
        (higher, lower, same).
    """
    scenario = result.scenario
    findings = []
    for node, expected in scenario.expect.items():
        found = result.status[node]
        detail = ""
        if found == "mixed":
            counts = result.breakdown(node)
            detail = ", ".join(f"{status} in {counts[status]}" for status in STATUSES
                               if status in counts) + f" of {len(result.attractors)} attractors"
        findings.append(Finding("expect", node, expected, found, found == expected,
                                detail=detail))
    if scenario.compare is not None:
        if reference is None:
            raise ValueError(f"{scenario.path} has a [compare] block: pass the reference's "
                             "result")
        for node, expected in scenario.compare.items():
            mine, theirs = result.activity[node], reference.activity[node]
            related = relation(mine, theirs)
            findings.append(Finding("compare", node, expected, related, related == expected,
                                    activity=mine, reference_activity=theirs,
                                    reference=str(reference.scenario.path.name)))
    return findings


def evaluate(scenario: Scenario, cache: AttractorCache | None = None, *,
             limits: Limits = Limits()) -> tuple[ScenarioResult, list[Finding]]:
    """:func:`run_scenario` then :func:`check_scenario`, running the reference too."""
    cache = {} if cache is None else cache
    result = run_scenario(scenario, cache, limits=limits)
    reference = (run_scenario(scenario.compare.reference, cache, limits=limits)
                 if scenario.compare is not None else None)
    return result, check_scenario(result, reference)
