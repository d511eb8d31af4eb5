"""What a screen found: verdicts, minimal sets, synergistic pairs, agreement, rankings;
and their JSON (SPEC §5), CSV and text forms.

- A perturbation *achieves* the target when its verdict is ``always`` (``accept="always"``,
  the default) or, with ``accept="sometimes"``, when it is not ``never``.
- *Minimal*: achieves, and no screened proper subset does (the empty perturbation, the
  base alone, included). If the base already achieves the target, ``{}`` is the only
  minimal set.
- *Synergistic pair*: the pair achieves, neither of its single perturbations does.
- *Robustness* of a minimal set: the share of the screened perturbations that strictly
  contain it and still achieve the target (how often adding one more hit keeps the
  phenotype); undefined for sets of the largest size screened.
- Ranking of minimal sets: smaller first, then more robust, then screen order. Synergistic
  pairs: those whose singles are further from the target first (both ``never`` before one
  ``sometimes``), then those with more drugs (the most actionable), then screen order.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from ..outcomes import Failure, Outcome, Verdict
from .plan import Plan
from .screen import label
from .spec import STRENGTH, Items, ScreenSpec, combine
from .store import key_of

if TYPE_CHECKING:  # pragma: no cover
    from ..dynamics.absorption import Probability

VERDICTS = tuple(v.value for v in Verdict)

ERROR = "error"
"""How a :class:`~mtorlogic.outcomes.Failure` is counted and shown (``str(failure)``)."""

SHORT = {"asynchronous": "async", "synchronous": "sync", "most-permissive": "mp"}


@dataclass(frozen=True)
class Hit:
    """A ranked minimal set or synergistic pair. ``robust`` is (achieving, screened)
    supersets; ``singles`` the verdicts of a pair's two singles."""

    items: Items
    rank: int
    robust: tuple[int, int] | None = None
    singles: tuple[str, ...] | None = None

    def robustness(self) -> float | None:
        if not self.robust or not self.robust[1]:
            return None
        return self.robust[0] / self.robust[1]


@dataclass
class ScreenReport:
    """The results of a screen over ``plan`` (every perturbation must have verdicts)."""

    spec: ScreenSpec
    plan: Plan
    results: dict[tuple, list[list[Outcome]]]
    accept: str = "always"
    probabilities: "dict[tuple, Probability] | None" = None
    """For "sometimes" perturbations (by :func:`key_of`), the target's long-run
    probability (:mod:`.probabilities`), when asked for."""

    def __post_init__(self) -> None:
        missing = [p for p in self.plan.perturbations if key_of(p) not in self.results]
        if missing:
            raise ValueError(f"{len(missing)} perturbations have no verdict yet")

    # -- verdicts ----------------------------------------------------------------------

    @property
    def perturbations(self) -> tuple[Items, ...]:
        return self.plan.perturbations

    def verdicts(self, items: Items) -> list[list[Outcome]]:
        return self.results[key_of(items)]

    def verdict(self, items: Items, base: int | None = None) -> Outcome:
        """The combined verdict (over every base and semantics, or one base's), or the
        :class:`~mtorlogic.outcomes.Failure` of a perturbation that could not be judged."""
        rows = self.verdicts(items)
        chosen = rows if base is None else [rows[base]]
        return combine(v for row in chosen for v in row)

    def achieves(self, verdict: Outcome) -> bool:
        return verdict == Verdict.ALWAYS or (self.accept == Verdict.SOMETIMES
                                             and verdict == Verdict.SOMETIMES)

    @cached_property
    def several_semantics(self) -> bool:
        return any(len(base.semantics) > 1 for base in self.spec.bases)

    def agree(self, items: Items) -> bool:
        """Whether the semantics agree, in every base."""
        return all(len(set(row)) == 1 for row in self.verdicts(items))

    def columns(self) -> list[tuple[int, int, str]]:
        """``(base, semantics index, heading)`` of every separate verdict."""
        several_bases = len(self.spec.bases) > 1
        out = []
        for b, base in enumerate(self.spec.bases):
            stem = base.label.rsplit("/", 1)[-1].removesuffix(".toml")
            for s, semantics in enumerate(base.semantics):
                parts = ([stem] if several_bases else []) + (
                    [SHORT[semantics]] if len(base.semantics) > 1 else [])
                out.append((b, s, ":".join(parts)))
        return out

    def counts(self) -> dict[str, int]:
        tally = dict.fromkeys(VERDICTS, 0)
        for items in self.perturbations:
            verdict = str(self.verdict(items))
            tally[verdict] = tally.get(verdict, 0) + 1
        return tally

    def error(self, items: Items) -> str | None:
        """Why judging ``items`` failed (the first base/semantics that failed), or
        ``None``."""
        for row in self.verdicts(items):
            for verdict in row:
                if isinstance(verdict, Failure):
                    return verdict.message
        return None

    def failures(self) -> list[Items]:
        """The perturbations whose judging hit a limit (recorded, not retried)."""
        return [p for p in self.perturbations if isinstance(self.verdict(p), Failure)]

    # -- minimal sets and synergy --------------------------------------------------------

    def _order(self) -> dict[tuple, int]:
        return {key_of(p): i for i, p in enumerate(self.perturbations)}

    def minimal(self, base: int | None = None) -> list[Hit]:
        order = self._order()
        achieving = {key_of(p) for p in self.perturbations if self.achieves(self.verdict(p, base))}
        containing: dict[tuple[str, int], set[tuple]] = {}
        for p in self.perturbations:
            for item in key_of(p):
                containing.setdefault(item, set()).add(key_of(p))
        found = []
        for p in self.perturbations:
            key = key_of(p)
            if key not in achieving:
                continue
            if any(sub in achieving for sub in _proper_subsets(key) if sub in order):
                continue
            if key:
                supersets = set.intersection(*(containing[item] for item in key)) - {key}
            else:
                supersets = set(order) - {key}
            robust = (len(supersets & achieving), len(supersets)) if supersets else None
            found.append((p, robust))
        found.sort(key=lambda hit: (len(hit[0]),
                                    -(hit[1][0] / hit[1][1]) if hit[1] else 0.0,
                                    order[key_of(hit[0])]))
        return [Hit(p, rank, robust=robust) for rank, (p, robust) in enumerate(found, start=1)]

    def synergistic(self, base: int | None = None) -> list[Hit]:
        order = self._order()
        found = []
        for p in self.perturbations:
            if len(p) != 2 or not self.achieves(self.verdict(p, base)):
                continue
            singles = [(item,) for item in p]
            if not all(key_of(s) in order for s in singles):
                continue
            verdicts = tuple(self.verdict(s, base) for s in singles)
            if any(self.achieves(v) or isinstance(v, Failure) for v in verdicts):
                continue
            found.append((p, verdicts))
        drugs = {name for name, _ in self.plan.drugs}
        found.sort(key=lambda hit: (sum(STRENGTH[Verdict(v)] for v in hit[1]),
                                    -sum(name in drugs for name, _ in hit[0]),
                                    order[key_of(hit[0])]))
        return [Hit(p, rank, singles=tuple(str(v) for v in singles))
                for rank, (p, singles) in enumerate(found, start=1)]

    def disagreements(self) -> list[Items]:
        return [p for p in self.perturbations if not self.agree(p)]

    # -- output --------------------------------------------------------------------------

    def to_json(self) -> dict:
        """SPEC §5's object, with compatible extensions: ``scenarios``, ``semantics``,
        ``accept``, ``max_size``, ``grid``, ``counts``, with ``--levels`` ``levels`` (each
        node perturbed as a whole: its levels); per result ``size``, ``verdicts``
        (per scenario file and semantics) and, with several semantics, ``agree``;
        ``details`` (ranked minimal sets with robustness, synergistic pairs with their
        singles' verdicts); with several scenarios, ``by_scenario``."""
        bases = self.spec.bases
        results = []
        for p in self.perturbations:
            rows = self.verdicts(p)
            entry = {"perturbation": dict(p), "verdict": str(self.verdict(p)), "size": len(p),
                     "verdicts": {base.label: dict(zip(base.semantics, map(str, row)))
                                  for base, row in zip(bases, rows)}}
            if self.several_semantics:
                entry["agree"] = self.agree(p)
            message = self.error(p)
            if message is not None:
                entry["error"] = message
            if self.probabilities is not None and key_of(p) in self.probabilities:
                entry["probability"] = self.probabilities[key_of(p)].to_json()
            results.append(entry)
        minimal, synergistic = self.minimal(), self.synergistic()
        out = {
            "target": self.spec.target,
            "results": results,
            "minimal": [dict(hit.items) for hit in minimal],
            "synergistic": [dict(hit.items) for hit in synergistic],
            "scenarios": [base.label for base in bases],
            "semantics": {base.label: list(base.semantics) for base in bases},
            "accept": self.accept,
            "max_size": self.plan.max_size,
            "grid": self.plan.is_grid,
            "counts": self.counts(),
            "details": {"minimal": [_hit_json(hit) for hit in minimal],
                        "synergistic": [_hit_json(hit) for hit in synergistic]},
        }
        if self.levels():
            out["levels"] = {name: list(levels) for name, levels in self.levels().items()}
        if len(bases) > 1:
            out["by_scenario"] = {
                base.label: {"minimal": [dict(h.items) for h in self.minimal(b)],
                             "synergistic": [dict(h.items) for h in self.synergistic(b)]}
                for b, base in enumerate(bases)}
        return out

    def csv_text(self) -> str:
        """One row per perturbation: ``perturbation`` (``A=0;B=1``), ``size``, ``verdict``,
        one column per scenario/semantics when there are several, ``minimal`` and
        ``synergistic`` (1/0), and, when some perturbation could not be judged, ``error`` (why;
        empty for the others)."""
        columns = self.columns()
        minimal = {key_of(h.items) for h in self.minimal()}
        synergistic = {key_of(h.items) for h in self.synergistic()}
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        extra = [heading for _, _, heading in columns] if len(columns) > 1 else []
        failed = bool(self.failures())
        chances = self.probabilities
        writer.writerow(["perturbation", "size", "verdict", *extra, "minimal", "synergistic",
                         *(["error"] if failed else []),
                         *(["probability", "method"] if chances is not None else [])])
        for p in self.perturbations:
            rows = self.verdicts(p)
            cells = [_short(rows[b][s]) for b, s, _ in columns] if len(columns) > 1 else []
            writer.writerow([";".join(f"{n}={v}" for n, v in p), len(p), str(self.verdict(p)),
                             *cells, int(key_of(p) in minimal), int(key_of(p) in synergistic),
                             *([self.error(p) or ""] if failed else []),
                             *(_chance_cells(chances.get(key_of(p)))
                               if chances is not None else [])])
        return buffer.getvalue()

    def table(self, top: int = 20) -> str:
        """The readable report: what was screened, the counts, the ranked minimal sets and
        synergistic pairs, semantics disagreements, and (grid mode) the grid."""
        from ..presentation import format_table

        spec, plan = self.spec, self.plan
        counts = self.counts()
        sizes: dict[int, int] = {}
        for p in self.perturbations:
            sizes[len(p)] = sizes.get(len(p), 0) + 1
        what = {0: "base alone", 1: "singles", 2: "pairs", 3: "triples"}
        accepted = "always" if self.accept == "always" else "always or sometimes"
        lines = [f"Target: {spec.target}   (achieved: {accepted}, in every attractor reached)"]
        for base in spec.bases:
            lines.append(f"Scenario: {_shown(base.label)} ({', '.join(base.semantics)})")
        lines += self._level_lines()
        lines.append(f"Screened: {len(self.perturbations)} perturbations ("
                     + ", ".join(f"{n} {what.get(size, f'sets of {size}')}"
                                 for size, n in sorted(sizes.items()) if size) + ")"
                     + (" as a grid of mutations x drugs" if plan.is_grid else ""))
        lines.append("Verdicts: " + ", ".join(f"{v} {counts[v]}" for v in VERDICTS)
                     + (f", error {counts[ERROR]}" if counts.get(ERROR) else "")
                     + f".  Base alone: {self.verdict(())}.")
        columns = self.columns()
        separate = len(columns) > 1

        def verdict_cells(p: Items) -> list[str]:
            rows = self.verdicts(p)
            return [_short(rows[b][s]) for b, s, _ in columns] if separate else []

        headings = [heading for _, _, heading in columns] if separate else []
        minimal = self.minimal()
        lines += ["", f"Minimal perturbations that achieve the target (no subset does): "
                  f"{len(minimal)}"]
        if minimal:
            rows = []
            for hit in minimal[:top]:
                robust = ("-" if hit.robust is None else
                          f"{100 * hit.robust[0] / hit.robust[1]:.0f}% of {hit.robust[1]}")
                rows.append([hit.rank, label(hit.items), len(hit.items), robust,
                             *verdict_cells(hit.items)])
            lines.append(format_table(["#", "perturbation", "size", "robust", *headings], rows))
            lines += _more(len(minimal), top)
        synergistic = self.synergistic()
        lines += ["", "Synergistic pairs (the pair achieves the target, neither single does): "
                  f"{len(synergistic)}"]
        if synergistic:
            rows = [[hit.rank, label(hit.items), " / ".join(hit.singles or ()),
                     *verdict_cells(hit.items)]
                    for hit in synergistic[:top]]
            lines.append(format_table(["#", "pair", "singles", *headings], rows))
            lines += _more(len(synergistic), top)
        failures = self.failures()
        if failures:
            lines += ["", f"Not judged (a limit was hit; recorded, not retried by --resume): "
                      f"{len(failures)}"]
            shown = failures[:top]
            width = max(len("perturbation"), *(len(label(p)) for p in shown))
            lines.append(format_table(["perturbation", "error"],
                                      [[label(p), _clipped(self.error(p) or "", 98 - width)]
                                       for p in shown]))
            lines += _more(len(failures), top)
            lines.append("(--json or --csv give each error in full)")
        if self.probabilities is not None:
            lines += ["", *self._probability_lines(top)]
        if self.several_semantics:
            disagree = self.disagreements()
            lines += ["", f"Semantics agree on {len(self.perturbations) - len(disagree)} of "
                      f"{len(self.perturbations)} perturbations."]
            if disagree:
                lines.append(format_table(["perturbation", *[h for _, _, h in columns]],
                                          [[label(p), *[_short(self.verdicts(p)[b][s])
                                                        for b, s, _ in columns]]
                                           for p in disagree[:top]]))
                lines += _more(len(disagree), top)
        if plan.is_grid:
            lines += ["", self.grid_table(top=max(top, 40))]
        hint = self.explain_hint()
        if hint:
            lines += ["", "Why a hit works:", *wrap_command(hint)]
        lines += ["", "robust: share of the screened supersets that still achieve the target."
                  " Every verdict: --json, --csv."]
        return "\n".join(lines)

    def levels(self) -> dict[str, tuple[str, ...]]:
        """The level groups this screen perturbs as a whole (``--levels``), those its
        perturbations use: node -> its levels."""
        groups = dict(self.spec.bases[0].levels)
        used = {name for p in self.perturbations for name, _ in p}
        return {name: levels for name, levels in groups.items() if name in used}

    def _level_lines(self) -> list[str]:
        import textwrap

        groups = self.levels()
        if not groups:
            return []
        text = "Levels set together (X=0: all 0, X=1: all 1): " + ", ".join(
            f"{name} = {' + '.join(levels)}" for name, levels in groups.items())
        return textwrap.wrap(text, 100, subsequent_indent="  ", break_on_hyphens=False)

    def ranked_by_probability(self) -> list[tuple[Items, "Probability"]]:
        """The "sometimes" perturbations with a probability, most likely first (then
        smaller, then screen order)."""
        assert self.probabilities is not None
        order = self._order()
        found = [(p, self.probabilities[key_of(p)]) for p in self.perturbations
                 if key_of(p) in self.probabilities]
        found.sort(key=lambda hit: (-hit[1].value, len(hit[0]), order[key_of(hit[0])]))
        return found

    def _probability_lines(self, top: int) -> list[str]:
        from ..presentation import format_table

        ranked = self.ranked_by_probability()
        lines = [f"Sometimes verdicts ranked by the probability of the target: {len(ranked)}",
                 "(in the long run of the random asynchronous update, from the start states)"]
        if ranked:
            lines.append(format_table(
                ["#", "perturbation", "P(target)", "method"],
                [[rank, label(p), str(prob), prob.method]
                 for rank, (p, prob) in enumerate(ranked[:top], start=1)]))
            lines += _more(len(ranked), top)
            if any(prob.method == "estimated" for _, prob in ranked):
                lines.append("estimated: seeded walks, [95% Wilson interval]; exact: "
                             "absorption probabilities of the reachable states.")
        return lines

    def explain_hint(self) -> str | None:
        """The ``mtorlogic explain`` command that says why the report's first hit (the first
        synergistic pair, else the first minimal set) achieves the target, contrasted with
        the base alone; ``None`` without a hit or with several bases."""
        import shlex

        if len(self.spec.bases) != 1:
            return None
        hits = self.synergistic() or self.minimal()
        if not hits:
            return None
        base = self.spec.bases[0]
        shown = shlex.quote(_shown(base.label))
        parts = ["mtorlogic explain", shown, shlex.quote(self.spec.target)]
        parts += [f"--set {name}={value}" for name, value in hits[0].items]
        parts += ["--against", shown]
        if len(base.semantics) == 1:
            parts.append(f"--semantics {base.semantics[0]}")
        return " ".join(parts)

    def grid(self) -> tuple[list[Items], list[Items], dict[tuple[Items, Items], Outcome]]:
        """The screen as a grid: its mutation sets (rows, in screening order), its drug sets
        (columns) and the verdict of each (mutations, drugs) cell screened."""
        drug_names = {name for name, _ in self.plan.drugs}
        mutation_sets: dict[Items, None] = {}
        drug_sets: dict[Items, None] = {}
        cells: dict[tuple[Items, Items], Outcome] = {}
        for p in self.perturbations:
            mutations = tuple(item for item in p if item[0] not in drug_names)
            drugs = tuple(item for item in p if item[0] in drug_names)
            mutation_sets.setdefault(mutations)
            drug_sets.setdefault(drugs)
            cells[(mutations, drugs)] = self.verdict(p)
        return list(mutation_sets), list(drug_sets), cells

    def grid_table(self, top: int = 40) -> str:
        """Mutation sets (rows) x drug sets (columns): A = always, s = sometimes, . = never;
        only rows where something achieves the target when there are many."""
        from ..presentation import format_table

        mutation_sets, drug_sets, cells = self.grid()
        mark: dict[str, str] = {Verdict.ALWAYS: "A", Verdict.SOMETIMES: "s", Verdict.NEVER: "."}
        rows = list(mutation_sets)
        note = ""
        if len(rows) > top:
            rows = [m for m in rows if any(self.achieves(cells.get((m, d), Verdict.NEVER))
                                           for d in drug_sets)]
            note = f"(showing the {len(rows)} of {len(mutation_sets)} mutation sets where " \
                   "some cell achieves the target)"
        headings = ["mutations \\ drugs", *[label(d) if d else "none" for d in drug_sets]]
        table = format_table(headings,
                             [[label(m) if m else "none",
                               *[_mark(mark, cells.get((m, d))) for d in drug_sets]]
                              for m in rows])
        lines = ["Grid (A always, s sometimes, . never):", table]
        return "\n".join(lines + ([note] if note else []))


def _mark(marks: dict[str, str], cell: Outcome | None) -> str:
    """A grid cell: the verdict's mark, ``E`` for a perturbation not judged, blank when the
    cell was not screened."""
    if cell is None:
        return ""
    return "E" if isinstance(cell, Failure) else marks.get(cell, "")


def _chance_cells(probability: "Probability | None") -> list[str]:
    if probability is None:
        return ["", ""]
    return [f"{probability.value:.6g}", probability.method]


def _clipped(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters (at least 20), ending in ``...`` when cut."""
    width = max(width, 20)
    return text if len(text) <= width else text[:width - 3] + "..."


def _hit_json(hit: Hit) -> dict[str, object]:
    out: dict[str, object] = {"perturbation": dict(hit.items), "rank": hit.rank,
                              "size": len(hit.items)}
    if hit.robust is not None:
        out["robustness"] = {"achieving": hit.robust[0], "supersets": hit.robust[1]}
    if hit.singles is not None:
        out["singles"] = list(hit.singles)
    return out


def _shown(path: str) -> str:
    """A scenario file as short as it can be said: relative to the working directory when
    it lies inside it."""
    import os

    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive
        return path
    return path if relative.startswith("..") else relative


def _more(total: int, top: int) -> list[str]:
    return [f"... and {total - top} more"] if total > top else []


def _proper_subsets(key: tuple) -> list[tuple]:
    from itertools import combinations

    return [sub for size in range(len(key)) for sub in combinations(key, size)]


def _short(verdict: Outcome) -> str:
    """A verdict as a table cell: a failure's message is listed once, in full, in the
    "Not judged" table, so other tables say only ``error``."""
    return str(verdict)


def wrap_command(command: str, width: int = 100) -> list[str]:
    """``command`` as indented shell lines of at most ``width`` columns where its words
    allow, continued with a backslash, so it can be copied and pasted as it is."""
    import shlex

    words = [shlex.quote(word) for word in shlex.split(command)]
    lines, current = [], "  " + words[0]
    for word in words[1:]:
        if word.startswith("--") and len(current) + len(word) + 3 > width:
            lines.append(current + " \\")
            current = "    " + word
        else:
            current += " " + word
    return [*lines, current]
