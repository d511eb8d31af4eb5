"""Shared pytest configuration for the test suite."""
import signal

import pytest


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: takes a quarter second or more per case (executed docs, published "
        "and reference models, big seed sweeps); runs by default (CI runs everything), "
        "deselect with -m 'not slow' for the fast loop (under 30 s)")


@pytest.fixture(autouse=True)
def no_budget_outlives_its_test():
    """A time budget (``dynamics.context.time_budget``) must leave no ``SIGALRM`` timer or
    handler behind: a stray one raises its limit later, anywhere (once in pytest's own
    reporting, which killed a CI run)."""
    handler = signal.getsignal(signal.SIGALRM)
    yield
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0), "a SIGALRM timer is still armed"
    assert signal.getsignal(signal.SIGALRM) is handler, "the SIGALRM handler was not restored"
