"""Check claimed numbers and derivatives (a worked example, a student's solution) step by step.

CLAIMS is a TOML file: a spec inline ([network], [values]) or `spec = "path.toml"`, and a [claims] table
mapping quantity names to a number or to a LaTeX/ASCII expression. Each claim is correct, consistent
(wrong, but exactly what follows from the author's own earlier claims) or wrong, with a diagnosed mistake.
A number is judged by its printed precision (a worked example), or with --answers by the tolerance policy
(a student's answers). Exit status: 0 when every claim is correct, 1 when any is not, 2 for invalid input.
"""
import json
import math
import sys

from symbackprop.checking.verdicts import Checker, finite
from symbackprop.checking.claims import Tolerance, load_claims
from symbackprop.checking.grading import policy_tolerance
from symbackprop.exams.config import parse_exam
from symbackprop.errors import ClaimsError
from symbackprop.notation.number_format import number
from symbackprop.checking.mistakes import MISTAKES
from symbackprop.commands.option_types import finite_number


def add_arguments(parser) -> None:
    """Arguments of `symbackprop check`."""
    parser.add_argument("claims", help="CLAIMS TOML file")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.add_argument("--abs-tol", type=finite_number, help="accept |claimed - correct| <= this (overrides [tolerance])")
    parser.add_argument("--rel-tol", type=finite_number, help="accept |claimed - correct| <= this × |correct|")
    parser.add_argument("--answers", action="store_true",
                        help="judge the numbers as a student's answers: within the tolerance policy of each "
                             "quantity (the spec's [exam.answers], see README), not within their printed precision")
    parser.add_argument("--allow-spec-outside", action="store_true",
                        help="let `spec = \"...\"` name a file outside the claims file's folder")


def run(args) -> int:
    """Check every claim; print a table or JSON; 0 all correct, 1 otherwise."""
    claims = load_claims(args.claims, args.allow_spec_outside)
    tolerance = claims.tolerance
    if args.abs_tol is not None or args.rel_tol is not None:
        for flag, value in (("--abs-tol", args.abs_tol), ("--rel-tol", args.rel_tol)):
            if value is not None and not (math.isfinite(value) and value >= 0):
                raise ClaimsError(f"{flag}: expected a number >= 0, got {value!r}")
        tolerance = Tolerance(args.abs_tol, args.rel_tol)
        if args.answers:
            raise ClaimsError("--answers: the tolerance policy sets every tolerance; leave out --abs-tol and "
                              "--rel-tol")
    checker = Checker(claims.spec, tolerance)
    tolerance_of = policy_tolerance(checker, parse_exam(claims.spec, claims.source).answers.policy) \
        if args.answers else None
    results = checker.check(claims.claims, tolerance_of)
    if args.json:
        json.dump({"claims": [finite(r.as_dict()) for r in results]}, sys.stdout, indent=1, ensure_ascii=False)
        print()
    else:
        print(render_table(results))
    return 0 if all(r.verdict == "correct" for r in results) else 1


def _decimals(shown: str) -> int:
    mantissa = shown.replace(",", ".").lower().partition("e")[0]
    return len(mantissa.partition(".")[2])


def _cells(result) -> tuple[str, str]:
    if isinstance(result.claimed, str):
        return "(expression)", "(expression)"
    correct = result.correct
    text = "undefined" if correct is None or not math.isfinite(correct) else number(
        correct, min(12, max(4, _decimals(result.shown) + 2)))
    return result.shown, text


def _note(result) -> list[str]:
    """Lines under a row: expressions, carried-forward sources, counterexamples, mistakes."""
    d, lines = result.detail, []
    if isinstance(result.claimed, str):
        lines += [f"claimed: {result.claimed}", f"correct: {result.correct}"]
        if "error" in d:
            lines.append(d["error"])
        elif result.verdict == "correct":
            lines.append(f"equivalent (by {d.get('method')}, {d.get('points')} points compared)")
        elif result.verdict == "consistent":
            lines.append(f"follows from your claimed {', '.join(d.get('from', []))}")
        elif "correct_value" in d:
            lines.append(_differs(d))
    elif result.verdict == "consistent":
        lines.append(f"follows from your claimed {', '.join(d.get('from', []))}: "
                     f"{d['carried_forward']:.6g}")
    elif result.verdict == "wrong":
        lines.append(f"off by {abs(result.claimed - result.correct):.3g} (tolerance {d.get('tolerance', 0):.2g})"
                     if result.correct is not None and math.isfinite(result.correct) else "no correct value")
    if result.mistake:
        lines.append(f"mistake {result.mistake}: {MISTAKES[result.mistake].description}")
    return lines


def _differs(d: dict) -> str:
    """'differs at x[0] = 0.5: claimed 1, correct 0.5' (the difference added when the values print alike)."""
    where = " at " + ", ".join(f"{k} = {v:.6g}" for k, v in d["point"].items()) if d.get("point") else ""
    claimed, correct = d.get("claimed_value"), d["correct_value"]
    line = f"differs{where}: claimed {'undefined' if claimed is None else f'{claimed:.6g}'}, correct {correct:.6g}"
    if claimed is not None and f"{claimed:.6g}" == f"{correct:.6g}":
        line += f" (difference {d.get('difference', claimed - correct):.3g})"
    return line


def render_table(results) -> str:
    """One row per claim (claimed, correct, verdict, mistake), notes indented under the rows that need them."""
    header = ("quantity", "claimed", "correct", "verdict", "mistake")
    rows = [(r.name, *_cells(r), r.verdict, r.mistake or "") for r in results]
    widths = [max(len(row[c]) for row in [header, *rows]) for c in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(header, widths)).rstrip()]
    for result, row in zip(results, rows):
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
        lines += [f"    {line}" for line in _note(result)]
    counts = {v: sum(r.verdict == v for r in results) for v in ("correct", "consistent", "wrong")}
    lines += ["", f"{len(results)} claims: {counts['correct']} correct, {counts['consistent']} consistent "
                  f"(error carried forward), {counts['wrong']} wrong"]
    return "\n".join(lines)
