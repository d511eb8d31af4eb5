"""The published instances that biodivine-aeon (30 s) and biobalm (60 s) do not solve
(``tests/data/bench/hard``), solved exactly: every minimal trap space (mpbn's reference)
holds exactly one asynchronous attractor, whose smallest enclosing subspace it is, and no
attractor lies outside them. docs/engine.md ("Where it stops being fast") says what made
them hard and why the search is exact."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from mtorlogic import find_attractors
from mtorlogic.formats import load_model

HARD = Path(__file__).parent / "data" / "bench" / "hard"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["bbm192_segment_polarity_6_cell",
                                  "bbm280_shh_signaling_emt_regulation__in0",
                                  "bbm002_signal_transduction_in_fibroblasts__r1"])
def test_hard_instance_is_solved_and_matches_the_minimal_trap_spaces(name):
    found = find_attractors(load_model(str(HARD / f"{name}.bnet")), activities=False)
    reference = json.loads((HARD / f"{name}.ref.json").read_text())["most-permissive"]
    got = sorted(json.dumps(dict(a.values), sort_keys=True) for a in found)
    expected = sorted(json.dumps(r["values"], sort_keys=True) for r in reference)
    assert got == expected
    for attractor in found:
        free = sum(value == "*" for value in attractor.values.values())
        assert 1 <= attractor.size <= 2 ** free
        assert attractor.fixed_point == (free == 0)
