"""The drugs of the bundled mTOR model: which inputs a screen perturbs by default.

Data about one model, kept apart from the screening engine, which works on any network: a
model's drugs are the inputs named here that it has, or those given with ``--drugs``.
"""
from __future__ import annotations

from ..model import Model

KNOWN_DRUGS = ("Rapamycin", "Rapamycin_chronic", "Torin1", "PP242", "AZD8055", "Dactolisib",
               "PI103", "Metformin", "LY294002", "Wortmannin", "Alpelisib", "MK2206", "U0126",
               "AICAR")
"""Drug inputs screened by default when the model has them (SPEC §2 names first)."""


def default_drugs(model: Model) -> list[str]:
    """The :data:`KNOWN_DRUGS` that are inputs of ``model``, in that order."""
    return [name for name in KNOWN_DRUGS if name in model.inputs]
