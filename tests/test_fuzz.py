"""Seeded fuzzing of the readers and the commands that use them (issue 16).

Model files in every readable format and scenario files are mutated (bytes, lines and
structure that are known to have broken readers: deep nesting, odd names, BOMs, NULs,
header-like lines, constants). Each mutant goes through ``mtorlogic attractors``,
``convert`` and ``check``, in-process, and must give

- exit status 0, 1 or 2 and never a traceback or an uncaught exception;
- on exit 2, one ``mtorlogic: error:`` line and no file written;
- on a ``convert`` with exit 0, a file that mtorlogic reads back as the same network.

Every case is seeded (its id is its seed), so a failure is reproduced by its test id. The
default parameters keep the suite to a few seconds; the ``slow`` ones run many more mutants.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtorlogic.cli import main
from mtorlogic.expressions import symbol
from mtorlogic.formats import load_model
from mtorlogic.formats.bnet import format_bnet
from mtorlogic.formats.booleannet import format_booleannet
from mtorlogic.formats.primes import format_primes
from mtorlogic.formats.rules import format_rules, parse_rules
from mtorlogic.formats.sbml import format_sbml
from mtorlogic.logic import FunctionAlgebra

SEED_MODEL = parse_rules("""\
#: growth factor
input Insulin  [Liu & Sabatini 2020]
input Leucine
AKT    = Insulin & !S6K1
TSC    = !AKT | AMPK
AMPK   = !Leucine & (TSC | !AKT)
mTORC1 = (!TSC & Leucine) | (AKT & !AMPK)
S6K1   = mTORC1
""", source="seed.rules", name="seed")

WRITERS = {".rules": format_rules, ".bnet": format_bnet, ".sbml": format_sbml,
           ".booleannet": format_booleannet, ".primes": format_primes}
OUTPUTS = (".rules", ".bnet", ".sbml", ".booleannet", ".primes")

SCENARIO = """\
name = "fuzzed"
model = "seed.rules"
semantics = "asynchronous"

[inputs]
Insulin = 1
Leucine = 1

[mutations]
AMPK = 0

[expect]
S6K1 = "on"
TSC = "off"
"""

# Characters and fragments that mean something to at least one reader.
FRAGMENTS = ["!", "&", "|", "(", ")", "[", "]", "{", "}", ",", "=", "*", "#", "#:", ":", "\n",
             " ", "\t", "\0", "\ufeff", "'", '"', "$", "\\", "<", ">", "&amp;", "0", "1",
             "true", "false", "True", "not", "and", "or", "input", "targets, factors",
             "factors", "Targets", "x y", "$\\foo$", "é", "\u202e", "AKT", "TSC", "S6K1",
             "maxLevel=\"2\"", "resultLevel=\"3\"", "<apply>", "</apply>", "<not/>",
             "qual:", "1e400", "-1", "\"\"\"", "[inputs]", "[expect]", "= \"on\"", "= 2",
             "model = \"/dev/zero\"", "initial = \"s.toml\"", "a" * 249]


def nested(rng: random.Random) -> str:
    depth = rng.choice([99, 101, 495, 600, 2000])
    kind = rng.randrange(4)
    if kind == 0:
        return "!" * depth + "AKT"
    if kind == 1:
        return "(" * depth + "AKT" + ")" * depth
    if kind == 2:
        text = "AKT"
        for level in range(depth):
            text = f"TSC {'&' if level % 2 else '|'} ({text})"
        return text
    return "[" * depth + "]" * depth


def mutate(text: str, rng: random.Random) -> str:
    """``text`` after one to four random edits (mostly one, so many mutants still parse)."""
    for _ in range(rng.choice((1, 1, 1, 1, 2, 2, 3, 4))):
        lines = text.split("\n")
        choice = rng.randrange(9)
        position = rng.randint(0, len(text))
        if choice == 0 and text:  # delete a span
            end = min(len(text), position + rng.randint(1, 8))
            text = text[:position] + text[end:]
        elif choice == 1:  # insert a fragment
            text = text[:position] + rng.choice(FRAGMENTS) + text[position:]
        elif choice == 2 and text:  # replace a character
            text = text[:max(0, position - 1)] + rng.choice(FRAGMENTS)[:1] + text[position:]
        elif choice == 3 and len(lines) > 1:  # drop a line
            del lines[rng.randrange(len(lines))]
            text = "\n".join(lines)
        elif choice == 4:  # duplicate a line
            index = rng.randrange(len(lines))
            lines.insert(index, lines[index])
            text = "\n".join(lines)
        elif choice == 5 and len(lines) > 1:  # swap two lines
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        elif choice == 6:  # deep nesting where an expression or a value may be
            text = text[:position] + nested(rng) + text[position:]
        elif choice == 7:  # a byte-order mark first
            text = "\ufeff" + text
        else:  # a random printable run
            run = "".join(rng.choice("AKT_S6K1!&|()=,;[]{}<>\"' \n01") for _ in range(12))
            text = text[:position] + run + text[position:]
    return text


def invoke(*arguments: str):
    return CliRunner().invoke(main, list(arguments))


def assert_clean(result, what: str) -> None:
    """Exit 0/1/2, no traceback, no exception escaping, one error line on exit 2."""
    assert result.exit_code in (0, 1, 2), f"{what}: exit {result.exit_code}\n{result.output}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{what}: uncaught {result.exception!r}") from result.exception
    assert "Traceback" not in result.output, f"{what}:\n{result.output}"
    if result.exit_code == 2:
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("mtorlogic: error: "), \
            f"{what}:\n{result.stderr}"


def assert_same_network(expected, found, what: str) -> None:
    """Same names, equivalent functions, and the same inputs up to spelling: a function
    equivalent to the identity (``(X & !Y) | (X & Y)``) may come back written ``X`` from a
    format that keeps no syntax (primes), and so become an input."""
    assert found.names == expected.names, what
    algebra = FunctionAlgebra(expected.names)
    for name in expected.names:
        assert algebra.equivalent(expected.functions[name], found.functions[name]), \
            f"{what}: {name}"
    assert set(expected.inputs) <= set(found.inputs), what
    for name in set(found.inputs) - set(expected.inputs):
        assert algebra.equivalent(expected.functions[name], symbol(name)), f"{what}: {name}"


def fuzz_model(seed: int, suffix: str, folder: Path) -> None:
    rng = random.Random(seed)
    text = mutate(WRITERS[suffix](SEED_MODEL), rng)
    source = folder / f"m{seed}{suffix}"
    source.write_text(text, encoding="utf-8", errors="surrogatepass")
    result = invoke("attractors", str(source), "--json", "--max-seconds", "5")
    assert_clean(result, f"attractors on seed {seed}")
    loaded = None
    for output in OUTPUTS:
        target = folder / f"out{seed}{output}"
        result = invoke("convert", str(source), str(target))
        assert_clean(result, f"convert seed {seed} to {output}")
        if result.exit_code == 0:
            if loaded is None:
                loaded = load_model(source)
            assert_same_network(loaded, load_model(target), f"seed {seed} {output}")
            target.unlink()
        else:
            assert not target.exists(), f"seed {seed}: {output} written on failure"
    leftovers = [path.name for path in folder.iterdir() if path.name.startswith(".")]
    assert not leftovers, f"seed {seed}: temporary files left: {leftovers}"


def fuzz_scenario(seed: int, folder: Path) -> None:
    rng = random.Random(seed)
    (folder / "seed.rules").write_text(format_rules(SEED_MODEL))
    (folder / "s.toml").write_text(SCENARIO)
    scenario = folder / f"s{seed}.toml"
    scenario.write_text(mutate(SCENARIO, rng), encoding="utf-8", errors="surrogatepass")
    assert_clean(invoke("check", str(scenario)), f"check seed {seed}")


FAST_SEEDS = range(12)
SLOW_SEEDS = range(12, 212)


@pytest.mark.parametrize("suffix", list(WRITERS))
@pytest.mark.parametrize("seed", FAST_SEEDS)
def test_fuzzed_model_files(tmp_path, suffix, seed):
    fuzz_model(seed, suffix, tmp_path)


@pytest.mark.parametrize("seed", range(40))
def test_fuzzed_scenario_files(tmp_path, seed):
    fuzz_scenario(seed, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("suffix", list(WRITERS))
def test_many_fuzzed_model_files(tmp_path, suffix):
    for seed in SLOW_SEEDS:
        folder = tmp_path / str(seed)
        folder.mkdir()
        fuzz_model(seed, suffix, folder)


@pytest.mark.slow
def test_many_fuzzed_scenario_files(tmp_path):
    for seed in range(40, 640):
        folder = tmp_path / str(seed)
        folder.mkdir()
        fuzz_scenario(seed, folder)


@pytest.mark.parametrize("seed, suffix", [(1154, ".primes"), (4420, ".primes")])
def test_seeds_that_once_failed(tmp_path, seed, suffix):
    """Mutants found by longer runs: a Python SyntaxWarning printed beside the error."""
    fuzz_model(seed, suffix, tmp_path)


def test_a_nul_in_a_description_still_gives_well_formed_sbml(tmp_path):
    """Found by a longer run (seed 100615): the NUL went into the SBML notes verbatim."""
    fuzz_model(100615, ".rules", tmp_path)


def test_an_identity_written_otherwise_may_come_back_as_an_input(tmp_path):
    """Found by a longer run (seed 202095): a mutant made Insulin multi-valued, so its
    update function read ``(Insulin & !Insulin_b2) | (Insulin & Insulin_b2)``."""
    fuzz_model(202095, ".sbml", tmp_path)
