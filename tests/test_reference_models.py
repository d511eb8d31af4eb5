"""Attractors of the benchmark instances in tests/data/bench against their reference results
(peer tools and brute force; see tests/data/bench/README.md).

- ``random/``: every instance, every semantics given (asynchronous on the default and on the
  forced symbolic path).
- ``models/``: the fast ones (the reference tool took under 1 s) plus bbm143 (288
  attractors) by default; the others in a separate test marked ``slow`` (still run by
  default).

Attractor lists are compared as sorted (values, size) for the asynchronous and synchronous
semantics and as sorted values for the most-permissive one.
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from mtorlogic import find_attractors
from mtorlogic.dynamics.results import Limits
from mtorlogic.formats import load_model

BENCH = Path(__file__).resolve().parent / "data" / "bench"
FAST_SECONDS = 1.0
ALWAYS_FAST = ("bbm143_breast_cancer_inhibitors__in0",)


def references(folder: str) -> list[Path]:
    return sorted((BENCH / folder).glob("*.ref.json")) if (BENCH / folder).is_dir() else []


def is_fast(path: Path) -> bool:
    reference = json.loads(path.read_text())
    seconds = reference.get("asynchronous_seconds")
    return path.name.removesuffix(".ref.json") in ALWAYS_FAST or (
        seconds is not None and seconds < FAST_SECONDS)


def ids(paths):
    return [p.name.removesuffix(".ref.json") for p in paths]


RANDOM = references("random")
MODELS = references("models")
FAST_MODELS = [p for p in MODELS if is_fast(p)]
SLOW_MODELS = [p for p in MODELS if not is_fast(p)]


@pytest.fixture(autouse=True)
def _bench_present():
    if not BENCH.is_dir():
        pytest.skip(f"benchmark folder {BENCH} is absent")


@cache
def load(path: Path):
    """Each model is parsed once per session (the large ones take seconds)."""
    return load_model(path)


def canonical(values) -> str:
    return json.dumps(dict(values), sort_keys=True)


def summary(attractors, semantics: str) -> list:
    if semantics == "most-permissive":
        return sorted(canonical(a["values"] if isinstance(a, dict) else a.values)
                      for a in attractors)
    out = []
    for a in attractors:
        if isinstance(a, dict):
            out.append((canonical(a["values"]), a["size"], a["fixed_point"]))
        else:
            out.append((canonical(a.values), a.size, a.fixed_point))
    return sorted(out)


def check(reference_path: Path, semantics: str, limits: Limits = Limits()) -> None:
    reference = json.loads(reference_path.read_text())
    if semantics not in reference:
        pytest.skip(f"no {semantics} reference for {reference_path.name}")
    model = load(reference_path.parent / reference["model"])
    if "nodes" in reference:
        assert sorted(model.names) == sorted(reference["nodes"])
    found = find_attractors(model, semantics, limits=limits)
    got, want = summary(found, semantics), summary(reference[semantics], semantics)
    assert len(got) == len(want), f"{len(got)} attractors, reference has {len(want)}"
    assert got == want


def test_benchmark_folders_are_populated():
    assert len(RANDOM) >= 15
    assert len(FAST_MODELS) >= 20 and SLOW_MODELS
    assert any(p.name.startswith("bbm143") for p in FAST_MODELS)


@pytest.mark.slow
@pytest.mark.parametrize("semantics", ["asynchronous", "synchronous", "most-permissive"])
@pytest.mark.parametrize("reference", RANDOM, ids=ids(RANDOM))
def test_random_instance(reference, semantics):
    check(reference, semantics)


@pytest.mark.slow
@pytest.mark.parametrize("explicit_nodes", [0])
@pytest.mark.parametrize("reference", RANDOM, ids=ids(RANDOM))
def test_random_instance_symbolic_path(reference, explicit_nodes):
    check(reference, "asynchronous", Limits(explicit_nodes=explicit_nodes))


@pytest.mark.slow
@pytest.mark.parametrize("semantics", ["asynchronous", "most-permissive"])
@pytest.mark.parametrize("reference", FAST_MODELS, ids=ids(FAST_MODELS))
def test_model(reference, semantics):
    check(reference, semantics)


@pytest.mark.slow
@pytest.mark.parametrize("semantics", ["asynchronous", "most-permissive"])
@pytest.mark.parametrize("reference", SLOW_MODELS, ids=ids(SLOW_MODELS))
def test_slow_model(reference, semantics):
    check(reference, semantics)


@pytest.mark.slow
def test_bbm143_has_288_fixed_points():
    path = BENCH / "models" / "bbm143_breast_cancer_inhibitors__in0.bnet"
    found = find_attractors(load(path), "asynchronous")
    assert len(found) == 288
    assert all(a.fixed_point and a.size == 1 for a in found)
    assert len({canonical(a.values) for a in found}) == 288
