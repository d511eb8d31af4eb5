"""Shared pytest configuration for the test suite."""


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: takes seconds per case (larger reference models); runs by default, "
        "deselect with -m 'not slow'")
