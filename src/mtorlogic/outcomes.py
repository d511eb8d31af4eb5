"""The values a prediction takes: a node's status over attractors, a target's verdict, and
the failure recorded in a verdict's place when judging hit a limit.

``Status`` and ``Verdict`` are ``str`` enums, so they compare equal to their JSON spelling
(``Status.ON == "on"``) and print as it; every layer (readouts, screens, explanations,
exercises) uses these two. :class:`Failure` is deliberately *not* a string: code that
compares a verdict with ``"always"`` can never take a failure for a verdict.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any


class Status(str, Enum):
    """What a node does over the attractors a scenario reaches (SPEC §3)."""

    ON = "on"                  #: 1 in every state of every attractor reached
    OFF = "off"                #: 0 throughout
    OSCILLATES = "oscillates"  #: takes both values inside every attractor reached
    MIXED = "mixed"            #: differs between the attractors reached

    def __str__(self) -> str:
        return self.value


class Verdict(str, Enum):
    """Whether a target expression holds in the attractors reached (SPEC §5, screens)."""

    ALWAYS = "always"        #: true in every state of every attractor reached
    SOMETIMES = "sometimes"  #: true in some states, false in others
    NEVER = "never"          #: false in every state of every attractor reached

    def __str__(self) -> str:
        return self.value

    @classmethod
    def of(cls, true_somewhere: bool, false_somewhere: bool) -> "Verdict":
        """The verdict of a target seen true and/or false somewhere in the attractors.

        Raises ``ValueError`` when it was seen neither way (no attractor was judged).
        """
        if true_somewhere and false_somewhere:
            return cls.SOMETIMES
        if true_somewhere:
            return cls.ALWAYS
        if false_somewhere:
            return cls.NEVER
        raise ValueError("a verdict needs at least one judged state")


@dataclass(frozen=True)
class Failure:
    """What a screen records in a verdict's place when judging a perturbation hit a limit (or
    another error): ``message`` says which limit and what to do. It prints as ``error`` (a
    table cell, a CSV or JSON ``verdict``) and is kept in results files, so ``--resume`` does
    not judge the perturbation again."""

    message: str

    def __str__(self) -> str:
        return "error"

    def to_json(self) -> dict[str, str]:
        """The results-file spelling: ``{"error": message}``."""
        return {"error": self.message}


Outcome = Verdict | Failure
"""A judged perturbation: a verdict, or the failure that stopped its judging."""

_LEGACY_ERROR = "error: "


def outcome_from_json(value: Any) -> Outcome:
    """The :data:`Outcome` a results file spells ``value``: a verdict's name,
    ``{"error": message}``, or (files written before :class:`Failure`) the string
    ``"error: message"``.

    :raises ValueError: for anything else."""
    if isinstance(value, str):
        if value.startswith(_LEGACY_ERROR):
            return Failure(value[len(_LEGACY_ERROR):])
        return Verdict(value)
    if isinstance(value, dict) and set(value) == {"error"} and isinstance(value["error"], str):
        return Failure(value["error"])
    raise ValueError(f"not a verdict: {value!r}")


def outcome_to_json(outcome: Outcome) -> str | dict[str, str]:
    """The results-file spelling of ``outcome`` (inverse of :func:`outcome_from_json`)."""
    return outcome.to_json() if isinstance(outcome, Failure) else str(outcome)
