import json

import pytest

from mtorlogic.outcomes import Status, Verdict


def test_values_are_their_json_spelling():
    assert Status.OSCILLATES == "oscillates"
    assert json.dumps({"s": Status.MIXED, "v": Verdict.NEVER}) == '{"s": "mixed", "v": "never"}'
    assert f"{Status.ON}" == "on" and str(Verdict.ALWAYS) == "always"


@pytest.mark.parametrize("true_somewhere, false_somewhere, verdict", [
    (True, False, Verdict.ALWAYS), (False, True, Verdict.NEVER), (True, True, Verdict.SOMETIMES)])
def test_verdict_of_what_was_seen(true_somewhere, false_somewhere, verdict):
    assert Verdict.of(true_somewhere, false_somewhere) is verdict


def test_verdict_needs_something_seen():
    with pytest.raises(ValueError):
        Verdict.of(False, False)
