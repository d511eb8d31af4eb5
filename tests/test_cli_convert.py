"""``mtorlogic convert IN OUT``: success, and bad input as one line on stderr with exit 2."""
from __future__ import annotations

import os
import stat

import pytest
from click.testing import CliRunner

from mtorlogic.cli import main
from mtorlogic.errors import InputError
from mtorlogic.formats import load_model, save_model
from mtorlogic.logic import FunctionAlgebra

RULES = """\
#: Insulin or IGF-1
input Insulin  [Liu & Sabatini 2020, Nat Rev Mol Cell Biol 21:183]
input Leucine
AKT    = Insulin & !S6K1
mTORC1 = AKT & Leucine   [Inoki 2003; Sancak 2008]
S6K1   = mTORC1
"""


def convert(*arguments: str):
    return CliRunner().invoke(main, ["convert", *arguments])


def assert_one_line_error(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("mtorlogic: error: ")
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]


@pytest.mark.parametrize("suffix", [".bnet", ".sbml", ".xml", ".booleannet", ".rules"])
def test_convert_writes_the_same_network(tmp_path, suffix):
    source = tmp_path / "small.rules"
    source.write_text(RULES)
    target = tmp_path / f"out{suffix}"
    result = convert(str(source), str(target))
    assert result.exit_code == 0, result.output
    assert "5 nodes, 2 inputs" in result.stderr
    original, converted = load_model(source), load_model(target)
    assert converted.names == original.names
    assert converted.inputs == ("Insulin", "Leucine")
    algebra = FunctionAlgebra(original.names)
    for name in original.names:
        assert algebra.equivalent(original.functions[name], converted.functions[name]), name


def test_convert_unknown_output_extension(tmp_path):
    source = tmp_path / "small.rules"
    source.write_text(RULES)
    result = convert(str(source), str(tmp_path / "out.txt"))
    assert_one_line_error(result, "out.txt", "'.txt'", "known: ")
    assert not (tmp_path / "out.txt").exists()


def test_convert_unknown_input_extension(tmp_path):
    source = tmp_path / "small.model"
    source.write_text(RULES)
    assert_one_line_error(convert(str(source), str(tmp_path / "out.bnet")), "'.model'")


def test_convert_syntax_error_names_file_and_line(tmp_path):
    source = tmp_path / "broken.rules"
    source.write_text(RULES.replace("AKT & Leucine", "AKT & (Leucine"))
    result = convert(str(source), str(tmp_path / "out.bnet"))
    assert_one_line_error(result, f"{source}:5:", "missing ')'")
    assert not (tmp_path / "out.bnet").exists()


def test_convert_missing_file(tmp_path):
    missing = tmp_path / "absent.rules"
    assert_one_line_error(convert(str(missing), str(tmp_path / "out.bnet")),
                          f"{missing}: no such file")


def test_convert_refusal_to_write_leaves_no_file(tmp_path):
    source = tmp_path / "words.rules"
    source.write_text("input and\nB = and\n")
    target = tmp_path / "out.booleannet"
    assert_one_line_error(convert(str(source), str(target)), "'and'", "BooleanNet")
    assert list(tmp_path.iterdir()) == [source]


# ------------------------------------------------------------------- what files are read

def test_convert_refuses_a_fifo_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.bnet"
    os.mkfifo(fifo)
    assert_one_line_error(convert(str(fifo), str(tmp_path / "out.rules")), "pipe.bnet",
                          "FIFO")


def test_convert_refuses_a_device_and_a_directory(tmp_path):
    zero = tmp_path / "zero.bnet"
    zero.symlink_to("/dev/zero")
    assert_one_line_error(convert(str(zero), str(tmp_path / "out.rules")), "character device")
    folder = tmp_path / "folder.rules"
    folder.mkdir()
    assert_one_line_error(convert(str(folder), str(tmp_path / "out.bnet")), "directory")


def test_files_over_the_size_bound_are_refused(tmp_path, monkeypatch):
    from mtorlogic import textfiles

    source = tmp_path / "small.rules"
    source.write_text(RULES)
    monkeypatch.setattr(textfiles, "MAX_BYTES", 100)
    with pytest.raises(InputError, match="larger than"):
        load_model(source)
    monkeypatch.setattr(textfiles, "MAX_BYTES", len(RULES.encode()))
    assert len(load_model(source)) == 5


@pytest.mark.parametrize("name, text", [
    ("m.bnet", "A, B\nB, B\n"), ("m.rules", "A = B\ninput B\n"),
    ("m.booleannet", "A* = B\nB* = B\n")])
def test_a_byte_order_mark_is_accepted(tmp_path, name, text):
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert load_model(path).names == ("A", "B")


def test_a_scenario_with_a_byte_order_mark_and_one_nested_too_deeply(tmp_path):
    from mtorlogic.scenarios import load_scenario

    good = tmp_path / "good.toml"
    good.write_bytes(b'\xef\xbb\xbfname = "fed"\n[inputs]\nInsulin = 1\n')
    assert load_scenario(good).name == "fed"
    deep = tmp_path / "deep.toml"
    deep.write_text('name = "x"\nk = ' + "[" * 500 + "]" * 500 + "\n")
    with pytest.raises(InputError, match="deep.toml: TOML nested too deeply"):
        load_scenario(deep)


def test_text_that_is_not_utf8_names_its_line(tmp_path):
    path = tmp_path / "latin.rules"
    path.write_bytes(b"input A\nB = A # caf\xe9\n")
    with pytest.raises(InputError, match=r"latin.rules:2: not UTF-8"):
        load_model(path)


def test_bad_paths_give_one_clear_error(tmp_path):
    with pytest.raises(InputError, match=r"a\\x00b.bnet: invalid path: it contains a NUL"):
        load_model("a\0b.bnet")
    with pytest.raises(InputError, match="must be a string or a path, not NoneType"):
        load_model(None)
    long = tmp_path / ("a" * 256 + ".bnet")
    assert_one_line_error(convert(str(long), str(tmp_path / "o.rules")),
                          "name longer than 255 bytes")
    with pytest.raises(InputError, match="name longer than 255 bytes"):
        save_model(load_model("mtor"), long)
    assert_one_line_error(convert("mtor", str(long)), "name longer than 255 bytes")
    assert list(tmp_path.iterdir()) == []


def test_existing_outputs_for_a_force_check(tmp_path):
    from mtorlogic.formats import existing_outputs

    assert existing_outputs(tmp_path / "m.bnd") == []
    (tmp_path / "m.cfg").write_text("old\n")
    assert existing_outputs(tmp_path / "m.bnd") == [tmp_path / "m.cfg"]
    (tmp_path / "m.bnet").symlink_to(tmp_path / "absent")
    assert existing_outputs(tmp_path / "m.bnet") == [tmp_path / "m.bnet"]
    for bad in ("a\0b.bnet", "c" * 256 + ".bnet"):
        with pytest.raises(InputError, match="invalid path"):
            existing_outputs(tmp_path / bad)


# ------------------------------------------------------------------------- how files are written

def test_a_long_output_name_is_written(tmp_path):
    target = tmp_path / ("b" * 249 + ".bnet")
    assert convert("mtor", str(target)).exit_code == 0
    assert load_model(target).names == load_model("mtor").names


def test_maboss_export_writes_the_bnd_and_its_cfg(tmp_path):
    result = convert("mtor", str(tmp_path / "mtor.bnd"))
    assert result.exit_code == 0, result.output
    assert f"mtor.bnd, {tmp_path / 'mtor.cfg'}: " in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["mtor.bnd", "mtor.cfg"]
    cfg = (tmp_path / "mtor.cfg").read_text()
    assert "Insulin.istate = 0;" in cfg and "[mTORC1].istate = 0.5 [0], 0.5 [1];" in cfg
    assert "logic = (HIF1A AND NOT Oxygen) OR TP53" in (tmp_path / "mtor.bnd").read_text()


def test_overwriting_keeps_the_targets_permissions(tmp_path):
    model = load_model("mtor")
    target = tmp_path / "m.bnet"
    target.write_text("old\n")
    target.chmod(0o640)
    save_model(model, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert load_model(target).names == model.names
    fresh = tmp_path / "fresh.bnet"
    save_model(model, fresh)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"),
                                     KeyboardInterrupt()])
def test_a_failed_or_interrupted_write_leaves_the_target_and_no_temporary(
        tmp_path, monkeypatch, failure):
    import mtorlogic.formats as formats

    model = load_model("mtor")
    target = tmp_path / "m.bnd"
    target.write_text("old\n")

    def fail(*args):
        raise failure

    monkeypatch.setattr(formats.os, "replace", fail)
    with pytest.raises(InputError if isinstance(failure, OSError) else KeyboardInterrupt):
        save_model(model, target)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["m.bnd"]
    assert target.read_text() == "old\n"


def test_convert_keeps_the_grouping_of_every_rule(tmp_path):
    source = tmp_path / "g.rules"
    source.write_text("input HIF1A\ninput Oxygen\ninput TP53\n"
                      "REDD1 = (HIF1A & !Oxygen) | TP53\n")
    for suffix, expected in [(".rules", "REDD1 = (HIF1A & !Oxygen) | TP53"),
                             (".bnet", "REDD1, (HIF1A & !Oxygen) | TP53"),
                             (".booleannet", "REDD1* = (HIF1A and not Oxygen) or TP53")]:
        target = tmp_path / f"out{suffix}"
        assert convert(str(source), str(target)).exit_code == 0
        assert expected in " ".join(target.read_text().split())


@pytest.mark.slow
@pytest.mark.parametrize("command", ["convert", "attractors"])
def test_a_rule_nested_ten_thousand_deep_is_one_clear_error(tmp_path, command):
    text = "B"
    for level in range(10_000):
        text = f"B {'&' if level % 2 else '|'} ({text})"
    source = tmp_path / "deep.bnet"
    source.write_text(f"B, B\nA, {text}\n")
    arguments = [str(source), str(tmp_path / "out.rules")] if command == "convert" \
        else [str(source)]
    result = CliRunner().invoke(main, [command, *arguments])
    assert_one_line_error(result, f"{source}:2:", "nested 10001 levels deep")
    assert not (tmp_path / "out.rules").exists()


def test_ten_thousand_negations_convert(tmp_path):
    source = tmp_path / "not.bnet"
    source.write_text("B, B\nA, " + "!" * 10_001 + "B\n")
    assert convert(str(source), str(tmp_path / "out.rules")).exit_code == 0
    assert "A = !B" in (tmp_path / "out.rules").read_text()


def test_an_existing_cfg_needs_force_too(tmp_path):
    cfg = tmp_path / "m.cfg"
    cfg.write_text("mine\n")
    assert_one_line_error(convert("mtor", str(tmp_path / "m.bnd")), "m.cfg: already exists")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["m.cfg"]
    assert convert("mtor", str(tmp_path / "m.bnd"), "--force").exit_code == 0
    assert cfg.read_text() != "mine\n"
