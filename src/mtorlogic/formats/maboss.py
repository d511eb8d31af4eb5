"""MaBoSS export: a ``.bnd`` network and a ``.cfg`` configuration beside it (write only).

MaBoSS (Stoll et al. 2012, BMC Syst Biol 6:116; Stoll et al. 2017, Bioinformatics
33:2226) simulates a continuous-time Markov process on a Boolean network. Each node becomes::

    Node RHEB {
      logic = (NOT TSC) OR RHEB_GTP;
      rate_up = @logic ? $u_RHEB : 0;
      rate_down = @logic ? 0 : $d_RHEB;
    }

and the ``.cfg`` sets every rate to 1 (``$u_X = 1; $d_X = 1;``), every input's initial
state to 0 (the scenario convention: inputs not set are 0; edit ``X.istate = 1;`` to turn
one on) and every other node's initial state to 0 or 1 with probability 1/2 each.

Semantics: with unit rates, a node whose update function disagrees with its value flips at
rate 1. The states and transitions are exactly those of mtorlogic's asynchronous semantics,
so MaBoSS's recurrent states are the asynchronous attractors; uniformising the process at
rate n (the number of nodes) gives the walk that updates one uniformly chosen node per step,
so its stationary distribution is the one mtorlogic's activities use (SPEC §3). An input
(``X = X``) never changes. MaBoSS names are identifiers (letters, digits, ``_``, not a digit
first, not a MaBoSS keyword); other node names are mapped to such identifiers, uniquely, and
the ``.bnd`` lists every renaming in a comment at the top. MaBoSS is built for at most 64
nodes by default; larger models need its 128n, 256n... builds (``cmaboss_128n``...).
"""
from __future__ import annotations

import re

import boolean

from ..expressions import FALSE, TRUE, Expression, check_depth
from ..model import Model

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Words MaBoSS's lexer reserves in .bnd and .cfg files.
_KEYWORDS = frozenset({"Node", "node", "AND", "OR", "NOT", "XOR", "and", "or", "not", "xor",
                       "logic", "rate_up", "rate_down", "istate", "refstate", "is_internal",
                       "description", "TRUE", "FALSE", "true", "false"})


def maboss_names(names: tuple[str, ...]) -> dict[str, str]:
    """A distinct MaBoSS identifier for each node name; valid names keep theirs."""
    def valid(name: str) -> bool:
        return bool(_IDENTIFIER.fullmatch(name)) and name not in _KEYWORDS

    taken = {name for name in names if valid(name)}
    result = {}
    for name in names:
        if valid(name):
            result[name] = name
            continue
        base = re.sub(r"[^A-Za-z0-9_]", "_", name)
        if not valid(base):
            base = f"N_{base}"
        candidate, number = base, 2
        while candidate in taken:
            candidate, number = f"{base}_{number}", number + 1
        taken.add(candidate)
        result[name] = candidate
    return result


def format_maboss(model: Model) -> dict[str, str]:
    """The ``.bnd`` and ``.cfg`` texts, keyed by extension."""
    return {".bnd": format_bnd(model), ".cfg": format_cfg(model)}


def format_bnd(model: Model) -> str:
    names = maboss_names(model.names)
    title = "".join(char if char.isprintable() else " " for char in model.name)
    lines = [f"// {' '.join(title.split())}: written by mtorlogic; rates and initial "
             "states are in the .cfg"]
    lines += [f"// {mapped} is node {original}" for original, mapped in names.items()
              if mapped != original]
    for node in model.nodes:
        check_depth(node.function, model.source, node.line)
        lines += ["", f"Node {names[node.name]} {{",
                  f"  logic = {_logic(node.function, names)};",
                  f"  rate_up = @logic ? $u_{names[node.name]} : 0;",
                  f"  rate_down = @logic ? 0 : $d_{names[node.name]};",
                  "}"]
    return "\n".join(lines) + "\n"


def format_cfg(model: Model) -> str:
    names = maboss_names(model.names)
    inputs = set(model.inputs)
    lines = ["// Unit rates: the asynchronous semantics of mtorlogic (see the .bnd's docs)."]
    for node in model.nodes:
        lines.append(f"$u_{names[node.name]} = 1;")
        lines.append(f"$d_{names[node.name]} = 1;")
    lines += ["", "// Inputs start at 0 (set X.istate = 1; for those present); the other "
              "nodes at 0 or 1 with probability 1/2."]
    for node in model.nodes:
        if node.name in inputs:
            lines.append(f"{names[node.name]}.istate = 0;")
        else:
            lines.append(f"[{names[node.name]}].istate = 0.5 [0], 0.5 [1];")
    lines += ["", "discrete_time = 0;", "use_physrandgen = 0;", "seed_pseudorandom = 0;",
              "sample_count = 1000;", "max_time = 100;", "time_tick = 1;",
              "thread_count = 1;", "statdist_traj_count = 0;",
              "statdist_cluster_threshold = 1;"]
    return "\n".join(lines) + "\n"


def _logic(expression: Expression, names: dict[str, str]) -> str:
    """MaBoSS's spelling: ``AND``/``OR``/``NOT``, ``0``/``1``; every operation below the
    top one in parentheses, so the grouping never depends on MaBoSS's precedences."""
    def show(node: Expression, top: bool) -> str:
        if node == TRUE:
            return "1"
        if node == FALSE:
            return "0"
        if isinstance(node, boolean.Symbol):
            return names[str(node.obj)]
        if isinstance(node, boolean.NOT):
            return f"NOT {show(node.args[0], False)}"
        kind = " AND " if isinstance(node, boolean.AND) else " OR "
        text = kind.join(show(arg, False) for arg in node.args)
        return text if top else f"({text})"

    return show(expression, True)
