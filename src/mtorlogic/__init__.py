"""mtorlogic: the mTOR signalling network as Boolean logic.

The public API, smallest first::

    import mtorlogic as mt
    result = mt.run_scenario("08_rapamycin_acute")     # a bundled scenario, by name
    print(result.summary())                            # the row `mtorlogic run` prints
    model = mt.load_model("mtor").fixed_inputs({"Insulin": 1, "Leucine": 1, "Arginine": 1,
                                                "Glucose": 1, "Oxygen": 1})
    for attractor in mt.find_attractors(model):       # other inputs are 0, as in scenarios
        print(attractor.size, attractor.values["mTORC1"])

Names are imported on first use, so ``import mtorlogic`` (and ``mtorlogic --help``) stays
fast; ``dir(mtorlogic)`` lists them all.
"""
from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_model": "formats", "save_model": "formats",
    "find_attractors": "dynamics.attractors",
    "Model": "model", "Node": "model",
    "Attractor": "dynamics.results", "Limits": "dynamics.results",
    "InputError": "errors", "LimitExceeded": "errors",
    "Status": "outcomes", "Verdict": "outcomes",
    "load_scenario": "api", "run_scenario": "api", "attractors": "api", "screen": "api",
    "Attractors": "api", "ScreenResult": "api",
    "ScenarioResult": "readouts",
}
"""Each public name and the module that defines it."""

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    # Lazy, so that `mtorlogic --help` does not pay for the engine's imports.
    if name not in _EXPORTS:
        raise AttributeError(f"module 'mtorlogic' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)


def __dir__() -> list[str]:
    return sorted({name for name in globals() if name.startswith("__")} | set(_EXPORTS))
