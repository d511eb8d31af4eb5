"""The values a prediction takes: a node's status over attractors, a target's verdict.

Both are ``str`` enums, so they compare equal to their JSON spelling (``Status.ON == "on"``)
and print as it; every layer (readouts, screens, explanations, exercises) uses these two.
"""
from __future__ import annotations

from enum import Enum


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
