"""Network pictures (``mtorlogic.drawing``, ``mtorlogic draw``): the signed graph and its
AND-gates against the rules, the SVG's content, a layout without overlaps, PNG output, and
bad input (exit 2, one message, nothing half-written)."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtorlogic import drawing
from mtorlogic.cli import main
from mtorlogic.errors import InputError, LimitExceeded
from mtorlogic.formats import load_model
from mtorlogic.formats.bnet import parse_bnet
from mtorlogic.logic import FunctionAlgebra

SVG = "{http://www.w3.org/2000/svg}"

# c needs a and not b (one gate); d is an OR (no gate); e has two two-literal terms (two
# gates); f is a single regulator; a and b are inputs.
SMALL = """\
targets, factors
a, a
b, b
c, a & !b
d, a | b
e, (a & b) | (!a & c)
f, !e
"""


@pytest.fixture(scope="module")
def mtor():
    return load_model("mtor")


def small():
    return parse_bnet(SMALL, source="small.bnet")


def test_gates_follow_the_terms_of_each_rule():
    graph = drawing.signed_graph(small())
    assert graph.gates["c"] == (("a", "b"),)
    assert "d" not in graph.gates and "f" not in graph.gates
    assert sorted(graph.gates["e"]) == [("a", "b"), ("a", "c")]
    signs = {(e.source, e.target, e.gate): e.sign for e in graph.edges}
    assert signs[("a", "c", 0)] == 1 and signs[("b", "c", 0)] == -1
    assert signs[("a", "d", None)] == 1 and signs[("b", "d", None)] == 1
    assert signs[("e", "f", None)] == -1
    by_gate = {graph.gates["e"][e.gate]: e.sign for e in graph.edges
               if e.target == "e" and e.source == "a"}
    assert by_gate == {("a", "b"): 1, ("a", "c"): -1}  # a acts both ways, per term
    assert not any(e.source == e.target for e in graph.edges)  # inputs: no self-loops


def test_rules_too_wide_or_too_long_get_direct_edges():
    names = [f"x{i}" for i in range(drawing.MAX_GATE_REGULATORS + 1)]
    wide = "\n".join(f"{n}, {n}" for n in names) + "\nz, " + " & ".join(names) + "\n"
    graph = drawing.signed_graph(parse_bnet(wide))
    assert "z" not in graph.gates and len([e for e in graph.edges if e.target == "z"]) == 17
    # five two-literal terms: more than MAX_GATES
    terms = " | ".join(f"(a{i} & b{i})" for i in range(drawing.MAX_GATES + 1))
    inputs = "".join(f"a{i}, a{i}\nb{i}, b{i}\n" for i in range(drawing.MAX_GATES + 1))
    graph = drawing.signed_graph(parse_bnet(inputs + f"y, {terms}\n"))
    assert "y" not in graph.gates and all(e.gate is None for e in graph.edges)


def test_every_interaction_is_drawn_once_per_term_with_its_literal_sign(mtor):
    """Each signed edge of the interaction graph is drawn (directly or into a gate), and
    a gate's literals are exactly one term of the rule's DNF."""
    graph = drawing.signed_graph(mtor)
    algebra = FunctionAlgebra(mtor.names)
    interactions = {(u, v): d["sign"] for u, v, d in mtor.interaction_graph().edges(data=True)
                    if not (u == v and u in mtor.inputs)}
    drawn = {(e.source, e.target) for e in graph.edges}
    assert drawn == set(interactions)
    assert graph.gates, "the bundled model has conjunctive rules"
    for target, gates in graph.gates.items():
        terms = algebra.dnf(algebra.bdd(mtor.node(target).function))
        for index, inputs in enumerate(gates):
            term = next(t for t in terms if set(t) == set(inputs))
            for edge in graph.edges:
                if edge.target == target and edge.gate == index:
                    assert edge.sign == (1 if term[edge.source] else -1)
    for edge in graph.edges:
        if edge.gate is None:
            assert edge.sign == interactions[(edge.source, edge.target)]


def test_parts_come_from_the_rules_section_headers(mtor):
    parts = drawing.parts(mtor)
    assert parts["Insulin"] == "Environment inputs"
    assert parts["Rapamycin"] == "Drug inputs"
    assert parts["mTORC1"] == "A/J. mTOR complexes and drugs"
    assert parts["S6K1"] == "H. mTORC1 outputs"
    assert set(drawing.parts(small()).values()) == {small().name}  # one part


def test_layout_of_the_bundled_model_has_no_overlaps_and_keeps_parts_together(mtor):
    graph = drawing.signed_graph(mtor)
    parts = drawing.parts(mtor)
    where = drawing.layout(graph, parts)
    boxes = [(b.x - b.w / 2, b.y, b.x + b.w / 2, b.bottom) for b in where.nodes.values()]
    for i, (l1, t1, r1, b1) in enumerate(boxes):
        assert 0 <= l1 and r1 <= where.width and 0 <= t1 and b1 <= where.height
        for l2, t2, r2, b2 in boxes[i + 1:]:
            assert r1 <= l2 or r2 <= l1 or b1 <= t2 or b2 <= t1, "two nodes overlap"
    for name, box in where.nodes.items():
        part = where.parts[parts[name]]
        assert part.x <= box.x - box.w / 2 and box.x + box.w / 2 <= part.x + part.w
        assert part.y <= box.y and box.bottom <= part.bottom
    part_boxes = list(where.parts.values())
    for i, a in enumerate(part_boxes):
        for b in part_boxes[i + 1:]:
            assert (a.x + a.w <= b.x or b.x + b.w <= a.x or a.bottom <= b.y
                    or b.bottom <= a.y), "two parts overlap"
    # signalling flows down: the environment's part is above mTORC1's, which is above S6K1's
    assert where.nodes["Insulin"].y < where.nodes["mTORC1"].y < where.nodes["S6K1"].y


def test_svg_shows_nodes_values_edges_and_highlight(mtor):
    nodes = ["RHEB", "RAG", "mTORC1_kinase", "mTORC1", "S6K1"]
    svg = drawing.draw(mtor, nodes=nodes, values={"mTORC1": 1, "S6K1": "off", "RHEB": "*",
                                                   "RAG": "mixed"},
                       highlight=[("mTORC1", "S6K1")], title="test")
    root = ET.fromstring(svg)
    rects = {r.get("data-node"): r for r in root.iter(f"{SVG}rect") if r.get("data-node")}
    assert set(rects) == set(nodes)
    assert rects["mTORC1"].get("class") == "node on"
    assert rects["mTORC1"].get("fill") == drawing.FILL["on"]
    assert rects["S6K1"].get("class") == "node off"
    assert rects["RHEB"].get("class") == "node oscillates"
    assert rects["RAG"].get("class") == "node mixed"
    assert rects["mTORC1_kinase"].get("class") == "node unknown"
    assert "mTORC1" in rects["mTORC1"].find(f"{SVG}title").text
    paths = [p for p in root.iter(f"{SVG}path") if p.get("data-source")]
    drawn = {(p.get("data-source"), p.get("data-target")) for p in paths}
    expected = {(e.source, e.target) for e in drawing.signed_graph(mtor, nodes).edges}
    assert drawn == expected
    lit = [p for p in paths if "highlighted" in p.get("class")]
    assert [(p.get("data-source"), p.get("data-target")) for p in lit] == [("mTORC1", "S6K1")]
    gates = [c for c in root.iter(f"{SVG}circle") if c.get("class") == "gate"]
    assert {g.get("data-target") for g in gates} == {"mTORC1_kinase"}
    assert drawing.draw(mtor, nodes=nodes) == drawing.draw(mtor, nodes=nodes)  # deterministic


@pytest.mark.slow
def test_png_is_written_through_matplotlib(tmp_path, mtor):
    pytest.importorskip("matplotlib")
    out = tmp_path / "around.png"
    svg = drawing.draw(mtor, nodes=drawing.neighbourhood(mtor, ["mTORC1"], 1), path=out)
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(data[16:20], "big")
    assert abs(width - float(ET.fromstring(svg).get("width"))) <= 2


def test_bad_input_is_refused_and_nothing_is_left_behind(tmp_path, mtor):
    with pytest.raises(InputError, match="did you mean 'mTORC1'"):
        drawing.draw(mtor, nodes=["mTORC11"])
    with pytest.raises(InputError, match="cannot colour"):
        drawing.draw(mtor, nodes=["mTORC1"], values={"mTORC1": 7})
    with pytest.raises(InputError, match="use .svg or .png"):
        drawing.draw(mtor, nodes=["mTORC1"], path=tmp_path / "x.pdf")
    with pytest.raises(LimitExceeded, match="--nodes"):
        drawing.draw(mtor, limit=50)
    with pytest.raises(InputError, match="cannot write"):
        drawing.draw(mtor, nodes=["mTORC1"], path=tmp_path / "missing" / "x.svg")
    assert list(tmp_path.iterdir()) == []


def run(*arguments: str):
    return CliRunner().invoke(main, ["draw", *map(str, arguments)])


def test_cli_colours_by_the_scenario_attractors(tmp_path):
    from mtorlogic.readouts import run_scenario
    from mtorlogic.scenarios import load_scenario, resolve_scenario_argument

    out = tmp_path / "rapamycin.svg"
    result = run("--scenario", "08_rapamycin_acute", "-o", out)
    assert result.exit_code == 0, result.output
    root = ET.parse(out).getroot()
    classes = {r.get("data-node"): r.get("class").split()[1] for r in root.iter(f"{SVG}rect")
               if r.get("data-node")}
    status = run_scenario(load_scenario(resolve_scenario_argument("08_rapamycin_acute"))).status
    assert classes == {name: str(value) for name, value in status.items()}
    # README: under acute rapamycin mTORC1 is off while the lysosomal kinase stays on
    assert classes["mTORC1"] == "off" and classes["mTORC1_kinase"] == "on"


def test_cli_subset_to_stdout(tmp_path):
    model = tmp_path / "small.bnet"
    model.write_text(SMALL)
    result = run(model, "--nodes", "e", "--depth", "1")
    assert result.exit_code == 0, result.output
    root = ET.fromstring(result.stdout)
    drawn = {r.get("data-node") for r in root.iter(f"{SVG}rect") if r.get("data-node")}
    assert drawn == {"a", "b", "c", "e", "f"}


@pytest.mark.parametrize("arguments, words", [
    (["--nodes", "mTORC11"], ["unknown node 'mTORC11'", "did you mean 'mTORC1'"]),
    (["--scenario", "no_such_scenario"], ["no_such_scenario", "no such scenario file"]),
    (["no_such_model.bnet"], ["no_such_model.bnet", "no such file"]),
    (["-o", "picture.pdf"], ["picture.pdf", "use .svg or .png"]),
    (["--limit", "5"], ["limit reached", "--nodes"]),
])
def test_cli_bad_input_exits_2_with_one_line(tmp_path, monkeypatch, arguments, words):
    monkeypatch.chdir(tmp_path)
    result = run(*arguments)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mtorlogic: error: "), result.stderr
    for word in words:
        assert word in result.stderr
    assert list(Path(tmp_path).iterdir()) == []


def test_cli_unwritable_output_path(tmp_path):
    result = run("--nodes", "mTORC1", "-o", tmp_path / "no" / "dir.svg")
    assert result.exit_code == 2 and "cannot write the picture" in result.stderr
    assert "Traceback" not in result.stderr
