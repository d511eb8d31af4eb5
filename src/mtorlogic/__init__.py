"""mtorlogic: the mTOR signalling network as Boolean logic.

The public API, smallest first::

    from mtorlogic import load_model, find_attractors
    model = load_model("mtor").fixed_inputs({"Insulin": 1, "Leucine": 1})
    for attractor in find_attractors(model, "asynchronous"):
        print(attractor.values, attractor.size)
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["load_model", "save_model", "find_attractors", "Model", "Node", "Attractor",
           "Limits", "InputError", "LimitExceeded"]


def __getattr__(name: str):
    # Lazy, so that `mtorlogic --help` does not pay for the engine's imports.
    if name in ("load_model", "save_model"):
        from . import formats
        return getattr(formats, name)
    if name == "find_attractors":
        from .dynamics.attractors import find_attractors
        return find_attractors
    if name in ("Model", "Node"):
        from . import model
        return getattr(model, name)
    if name in ("Attractor", "Limits"):
        from .dynamics import results
        return getattr(results, name)
    if name in ("InputError", "LimitExceeded"):
        from . import errors
        return getattr(errors, name)
    raise AttributeError(name)
