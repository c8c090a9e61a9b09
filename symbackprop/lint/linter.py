"""Lint one document: read it, find its equations, judge its arithmetic, its own definitions and (with a spec)
its quantities, then keep one verdict per number."""
import math
from dataclasses import dataclass, replace
from pathlib import Path

from symbackprop.errors import DocumentError
from symbackprop.files.reading import read_bytes
from symbackprop.lint import arithmetic
from symbackprop.lint.carried import carried
from symbackprop.lint.equations import Equation, equations, uses_decimal_comma
from symbackprop.lint.findings import Finding, Fix, Note
from symbackprop.lint.network import DocumentNetwork
from symbackprop.lint.sources import Document, build

MAX_BYTES = 50_000_000
PRIORITY = {"quantity": 0, "definition": 1, "operand": 2, "arithmetic": 3}  # who decides a number's verdict
UNREAD_SHOWN = 5
SLIP_UNITS = 100  # a result off by fewer units of its last digit is the result's own slip, never its left side's


@dataclass(frozen=True)
class Coverage:
    """How much of the document's math was read: spans with numbers, judged, giving inputs, not understood."""

    with_numbers: int
    judged: int
    givens: int
    unread: tuple[int, ...]  # offsets of spans with numbers that were neither judged nor read as inputs


@dataclass(frozen=True)
class LintResult:
    """Everything `lint` found in one document."""

    document: Document
    equations: tuple[Equation, ...]
    findings: tuple[Finding, ...]
    decimal_comma: bool
    coverage: Coverage | None = None
    ambiguous: tuple[Note, ...] = ()  # findings --fix leaves alone, with the reason

    @property
    def bad(self) -> list[Finding]:
        """The findings that are not correct, in document order."""
        return [finding for finding in self.findings if finding.bad]

    @property
    def nothing_judged(self) -> bool:
        """True when the document has math with numbers but not one of them was judged."""
        return bool(self.coverage and self.coverage.with_numbers and not self.findings)


def read_document(path: str | Path) -> tuple[str, bytes]:
    """The document's text and bytes; one clear error when it is missing, a folder, too large or not UTF-8."""
    path = Path(path)
    data = read_bytes(path, "document", "a readable Markdown, LaTeX or notebook file", DocumentError,
                      max_bytes=MAX_BYTES)
    try:
        return data.decode("utf-8"), data
    except UnicodeDecodeError as err:
        raise DocumentError(f"{path}: not UTF-8 text (at byte offset {err.start}); save the document as UTF-8") from err


def lint_text(text: str, name: str = "document", fmt: str | None = None, quantities=None,
              folder: Path | None = None) -> LintResult:
    """Lint a document's text; `quantities` (a QuantityJudge) adds the spec's verdicts; `folder` lets a LaTeX
    document's \\input files be read."""
    document = build(text, name, fmt, folder)
    spans = document.spans()
    comma = uses_decimal_comma(document, spans)
    found = equations(document, spans, comma)
    network = DocumentNetwork(found, document.text, _context(document, spans), document.headings())
    findings = network.judge()
    judge = arithmetic.ArithmeticJudge(found, network.unrounded, e_is_name=not network.euler)
    findings = judge.judge(lambda side: " ".join(side.text.split())) + findings
    if quantities is not None:
        findings.extend(quantities.judge(found, document.heading_of, e_is_name=not network.euler))
    findings, ambiguous = _one_verdict_per_number([f for f in findings if f is not None], found, judge,
                                                  network.examples)
    findings, supported = _supported_results(findings, found)
    ambiguous += supported + [Note(Finding(offset=offset, kind="definition", name=name, subject=name, written="",
                                           written_value=math.nan, expected="", expected_value=math.nan,
                                           verdict="correct"), "repaired") for offset, name in network.repairs]
    findings = _with_carried(findings, carried(findings, found, judge, network.examples))
    pairs = {(left.start, right.start): (left, right) for eq in found for left, right in zip(eq.sides, eq.sides[1:])}
    copies = [f for f in findings if f.kind == "operand" and f.bad]
    findings = [f for f in findings if not _explained(f, pairs, copies, judge)]  # a copy of a wrong number
    findings.sort(key=lambda f: (f.offset, f.kind))
    coverage = _coverage(document, spans, found, findings, network.givens)
    return LintResult(document, tuple(found), tuple(findings), comma, coverage, tuple(ambiguous))


def _context(document: Document, spans):
    """offset -> the 40 characters of prose before the math span holding it."""
    starts = [span.start for span in spans]

    def context(offset: int) -> str:
        import bisect
        index = bisect.bisect_right(starts, offset) - 1
        if index < 0:
            return ""
        start = spans[index].start
        return document.text[max(0, start - 42):start].rstrip("$\\([ \n")
    return context


def _one_verdict_per_number(findings: list[Finding], found: list[Equation], judge, examples=()) -> tuple[list, list]:
    """Resolve the verdicts on each number: the spec decides, then the definitions, then arithmetic. An arithmetic
    finding whose result the definitions confirm blames the number on its left that the document's numbers
    explain (or, when none does, is kept without a fix and noted as ambiguous)."""
    by_target: dict[int, list[Finding]] = {}
    for finding in findings:
        by_target.setdefault(finding.target if finding.target is not None else finding.offset, []).append(finding)
    pairs = {(left.start, right.start): (left, right) for eq in found for left, right in zip(eq.sides, eq.sides[1:])}
    operands = [f for f in findings if f.kind == "operand"]
    kept, ambiguous = [], []
    for target, group in by_target.items():
        group = [f for f in group if not _explained(f, pairs, operands, judge)]
        blamed = [_blame(f, pairs, judge, found, examples) for f in group]
        kept += [b for b in blamed if b is not None]
        group = [f for f, b in zip(group, blamed) if b is None]
        kinds = {kind: [f for f in group if f.kind == kind] for kind in PRIORITY}
        judges = kinds["quantity"] + kinds["definition"]
        kept += [] if judges else kinds["operand"]  # a spec's or definition's verdict on the number decides
        arithmetic, definition = kinds["arithmetic"], next(iter(kinds["definition"]), None)
        if kinds["quantity"]:
            leader = kinds["quantity"][0]
            kept += kinds["quantity"] + [f for f in arithmetic if f.verdict == leader.verdict
                                         or (f.bad and leader.bad)]
            continue
        if definition is None or not arithmetic:
            kept += arithmetic + ([definition] if definition is not None else [])
            continue
        for finding in arithmetic:
            if finding.verdict == definition.verdict:
                kept.append(finding)  # one line for the number: the computation it comes from
            elif definition.verdict == "correct":  # the result is right: a number on its left is not
                kept.append(definition)
                left, right = pairs.get((finding.offset, target), (None, None))
                if left is not None and any(left.start <= o.target < left.end for o in operands):
                    continue
                blamed = _blame_left(left, right, judge, found, max([e for e in examples if e <= left.start],
                                                                    default=0)) if left is not None else None
                if blamed is not None:
                    kept.append(blamed)
                else:
                    ambiguous.append(Note(finding, "ambiguous"))
                    kept.append(_without_fix(finding))
            elif finding.verdict != "wrong":  # it follows from its left side: the error is upstream
                kept.append(finding if finding.verdict == "consistent" else _with_verdict(definition, "consistent"))
            else:
                kept.append(finding)
    return kept, ambiguous


def _supported_results(findings: list[Finding], found: list[Equation]) -> tuple[list, list]:
    """A wrong result that the document goes on to compute with correctly (1.105905967, then e^{-1.105905967} =
    …) is right by its neighbours: a number on its left is the slip; which one is not clear, so it is not fixed."""
    sides = {(left.start, right.start): left for eq in found for left, right in zip(eq.sides, eq.sides[1:])}
    lefts = {left.start: left for eq in found for left in eq.sides[:-1]}
    used = []  # (offset, (|value|, decimals)) of numbers on the left of a correct computation (or one slip away)
    for finding in findings:
        left = sides.get((finding.offset, finding.target))
        if finding.kind == "arithmetic" and finding.verdict == "correct" and left is not None:
            used += [(n.start, (abs(n.value), n.decimals)) for n in left.numbers if not n.whole]
        elif finding.kind == "operand" and finding.offset in lefts and finding.offset != finding.target:
            used += [(n.start, (abs(n.value), n.decimals)) for n in lefts[finding.offset].numbers
                     if not n.whole and (n.start != finding.target or abs(finding.expected_value) == abs(n.value))]
    kept, ambiguous = [], []
    for finding in findings:
        right = next((eq.sides[i + 1] for eq in found for i, side in enumerate(eq.sides[:-1])
                      if side.start == finding.offset and eq.sides[i + 1].start == finding.target), None) \
            if finding.kind == "arithmetic" and finding.verdict == "wrong" and finding.fix else None
        number = right.bare if right is not None else None
        if number is not None and _digits(number) >= 3 and abs(finding.expected_value - number.value) > \
                SLIP_UNITS * 2 * number.half_unit and any(start > number.end and key == (abs(number.value),
                                                                                        number.decimals)
                                                         for start, key in used):
            ambiguous.append(Note(finding, "supported"))
            kept.append(_without_fix(finding))
        else:
            kept.append(finding)
    return kept, ambiguous


def _digits(number) -> int:
    import re
    return len(re.sub(r"\D", "", number.text).lstrip("0"))


def _with_carried(findings: list[Finding], carried_forward: list[Finding]) -> list[Finding]:
    """Add the numbers that carry an error forward; a spec's or definition's verdict on a number stays, an
    arithmetic 'correct' (the operation is right, the number it gives is not) gives way."""
    judged = {f.target for f in findings if f.kind in ("quantity", "definition") and f.target is not None}
    added = [f for f in carried_forward if f.target not in judged]
    places = {f.target for f in added}
    return [f for f in findings if not (f.target in places and f.verdict == "correct")] + added


def _explained(finding: Finding, pairs: dict, operands: list[Finding], judge) -> bool:
    """Whether an arithmetic finding is explained by wrong operands on its left: corrected, the equation holds."""
    if finding.kind != "arithmetic" or not finding.bad:
        return False
    left, right = pairs.get((finding.offset, finding.target), (None, None))
    if left is None:
        return False
    inside = {o.target: o.expected_value for o in operands if left.start <= o.target < left.end}
    if not inside:
        return False
    replaced = {index: inside[number.start] for index, number in enumerate(left.numbers) if number.start in inside}
    lhs, rhs = judge.evaluator(left), judge.evaluator(right)
    if not (lhs.numeric and rhs.numeric) or not replaced:
        return False
    value, shown = lhs.value(replaced), rhs.value()
    tolerance = _half(right) + 1e-9 * max(1.0, abs(shown))  # the corrected numbers as printed
    return math.isfinite(value) and abs(value - shown) <= tolerance


def _blame(finding: Finding, pairs: dict, judge, found, examples) -> Finding | None:
    """For a wrong arithmetic result: the number on its left the document's other numbers show is the slip (an
    exponent's lost minus, a digit copied wrong), when exactly one is; the result is then right."""
    if finding.kind != "arithmetic" or finding.verdict != "wrong":
        return None
    left, right = pairs.get((finding.offset, finding.target), (None, None))
    if left is None or right.bare is None:
        return None
    begin = max([start for start in examples if start <= left.start], default=0)
    return _blame_left(left, right, judge, found, begin)


def _blame_left(left, right, judge, found, begin: int = 0) -> Finding | None:
    """The one number on the left that, written as an earlier number of the document (of the example that
    starts at `begin`) or with its sign flipped, makes the equation hold; None when no number or more than one
    does."""
    lhs, rhs = judge.evaluator(left), judge.evaluator(right)
    if not (lhs.numeric and rhs.numeric):
        return None
    target = rhs.value()
    tolerance = _half(right) + 1e-9 * max(1.0, abs(target))
    earlier = {abs(n.value): n for eq in found for side in eq.sides if begin <= side.start and side.end <= left.start
               for n in side.numbers if not n.whole}
    found_fixes = []
    for index, number in enumerate(left.numbers):
        if number.whole:
            continue
        candidates = {-number.value} | {math.copysign(c.value, number.value or 1.0) for c in earlier.values()
                                        if _similar(c.text, number.text) and abs(c.value) != abs(number.value)}
        for candidate in candidates:
            value = lhs.value({index: candidate})
            if math.isfinite(value) and abs(value - target) <= tolerance:
                found_fixes.append((index, number, candidate))
    if len({(i, c) for i, _, c in found_fixes}) != 1:
        return None
    _, number, candidate = found_fixes[0]
    text = number.written(candidate)
    if candidate < 0 and not number.minus:
        text = "-" + text.lstrip("-")
    fix = Fix(number.start, number.end, text)
    return Finding(offset=left.start, kind="operand", name=None, subject=" ".join(left.text.split()),
                   written=number.text, written_value=number.value, expected=text, expected_value=candidate,
                   verdict="wrong", fix=fix, target=number.start)


def _similar(a: str, b: str) -> bool:
    """Two written numbers that differ in at most two digits (a typo), not in length."""
    a, b = a.lstrip("-\u2212+"), b.lstrip("-\u2212+")
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b)) <= 2


def _half(side) -> float:
    return side.bare.half_unit if side.bare is not None else sum(n.half_unit for n in side.numbers)


def _without_fix(finding: Finding) -> Finding:
    """The finding as a claim on its left side (a number there is wrong), not on the result: no fix."""
    return replace(finding, fix=None, target=finding.offset)


def _with_verdict(finding: Finding, verdict: str) -> Finding:
    return replace(finding, verdict=verdict)


def _coverage(document: Document, spans, found: list[Equation], findings: list[Finding], givens: set) -> Coverage:
    """Which spans with numbers were judged, gave inputs, or were not understood."""
    import bisect
    starts = [span.start for span in spans]

    def span_of(offset: int) -> int:
        return bisect.bisect_right(starts, offset) - 1

    with_numbers = set()  # spans with a number that is claimed (a side of its own) or not whole (0.25)
    for equation in found:
        if any(side.bare is not None or any(not n.whole for n in side.numbers) for side in equation.sides):
            with_numbers.add(span_of(equation.sides[0].start))
    judged = {span_of(f.offset) for f in findings} | {span_of(f.target) for f in findings if f.target is not None}
    given = {span_of(offset) for offset in givens} - judged
    unread = sorted(spans[i].start for i in with_numbers - judged - given)
    return Coverage(len(with_numbers), len(with_numbers & judged), len(with_numbers & given), tuple(unread))
