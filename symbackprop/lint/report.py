"""Report findings like a compiler (DOC:LINE:COL: verdict: message) or as JSON, and write the fixed copy."""
import math

from symbackprop.checking.mistakes import MISTAKES
from symbackprop.lint.findings import Finding, Fix
from symbackprop.lint.linter import PRIORITY, UNREAD_SHOWN
from symbackprop.notation import catalogue
from symbackprop.notation.catalogue import fill


def languages() -> list[str]:
    """The languages lint speaks: those of the catalogues (symbackprop/notation/locales)."""
    return catalogue.languages()


def messages(lang: str = "en") -> dict:
    """lint's messages in one language; an unknown code fails naming the available ones."""
    return catalogue.catalogue(lang)["lint"]


def message(finding: Finding, lang: str = "en") -> str:
    """What a finding says, without its place and verdict: (1 - 0.5793)^2 = 0.1770, not 0.1192."""
    words = messages(lang)
    key = finding.verdict
    if finding.kind == "operand":
        key = "operand" if finding.verdict == "wrong" else "repeated" if finding.verdict == "consistent" else key
    template = words["finding"][key]
    text = fill(template, subject=finding.subject, expected=finding.expected, written=finding.written)
    if finding.mistake:
        mistake = MISTAKES.get(finding.mistake)
        description = mistake.text(lang, "description") if mistake else finding.mistake
        text += fill(words["finding"]["mistake"], description=description)
    return text


def line(finding: Finding, path: str, position: tuple[int, int], lang: str = "en") -> str:
    """One compiler-style line: DOC:LINE:COL: wrong: message."""
    verdict = messages(lang)["verdict"][finding.verdict]
    return f"{path}:{position[0]}:{position[1]}: {verdict}: {message(finding, lang)}"


def _count(words: dict, key: str, n: int) -> str:
    return fill(words[f"{key}_one" if n == 1 else f"{key}_other"], n=n)


def summary(findings, path: str, lang: str = "en") -> str:
    """DOC: 12 numbers checked: 2 wrong, 1 consistent (error carried forward)."""
    words = messages(lang)["summary"]
    wrong = sum(f.verdict == "wrong" for f in findings)
    consistent = sum(f.verdict == "consistent" for f in findings)
    return f"{path}: " + fill(words["line"], checked=_count(words, "checked", len(findings)),
                              wrong=_count(words, "wrong", wrong),
                              consistent=_count(words, "consistent", consistent))


def _place(result, path: str, offset: int) -> str:
    """DOC:LINE:COL of an offset (an included file's own name for its lines)."""
    part, row, col = result.document.where(offset)
    return f"{path if part == result.document.parts[0] else part}:{row}:{col}"


def render_text(result, path: str, lang: str = "en", unused: tuple = ()) -> str:
    """Every finding that is not correct, one a line, the notes, the summary, then how much was read."""
    words = messages(lang)
    lines = []
    for finding in result.bad:
        verdict = words["verdict"][finding.verdict]
        lines.append(f"{_place(result, path, finding.offset)}: {verdict}: {message(finding, lang)}")
    note = words["coverage"]["note"]
    for entry in result.ambiguous:
        text = fill(words["finding"][entry.reason], subject=entry.finding.subject, written=entry.finding.written)
        lines.append(f"{_place(result, path, entry.finding.offset)}: {note}: {text}")
    for symbol in unused:
        lines.append(f"{path}: {note}: " + fill(words["coverage"]["unused_symbol"], symbol=symbol))
    lines += coverage_lines(result, path, lang)
    lines.append(summary(result.findings, path, lang))
    return "\n".join(lines)


def coverage_lines(result, path: str, lang: str = "en") -> list[str]:
    """How many math spans held numbers, were judged, gave inputs, were not understood (the first few, placed)."""
    coverage, words = result.coverage, messages(lang)["coverage"]
    if coverage is None or not coverage.with_numbers:
        return []
    lines = [f"{path}: " + fill(words["line"], spans=coverage.with_numbers, judged=coverage.judged,
                                givens=coverage.givens, unread=len(coverage.unread))]
    if coverage.unread:
        shown = [":".join(map(str, result.document.position(offset))) for offset in coverage.unread[:UNREAD_SHOWN]]
        lines.append(f"{path}: " + fill(words["unread"], places=", ".join(shown + (["…"] if len(coverage.unread)
                                                                                     > UNREAD_SHOWN else []))))
    if result.nothing_judged:
        lines.append(f"{path}: " + words["nothing"])
    return lines


def as_json(result, lang: str = "en") -> dict:
    """{"findings": [...], "summary": {...}}: every judged number, correct ones included."""
    findings = []
    for f in result.findings:
        row, col = result.document.position(f.offset)
        findings.append({"line": row, "col": col, "text": message(f, lang), "kind": f.kind, "name": f.name,
                         "file": result.document.where(f.offset)[0],
                         "written": _finite(f.written_value), "expected": _finite(f.expected_value),
                         "verdict": f.verdict, "mistake": f.mistake, "fix": f.fix.text if f.fix else None})
    counts = {verdict: sum(f.verdict == verdict for f in result.findings)
              for verdict in ("correct", "consistent", "wrong")}
    coverage = result.coverage
    read = {"math_spans_with_numbers": coverage.with_numbers, "judged_spans": coverage.judged,
            "given_spans": coverage.givens,
            "not_understood": [dict(zip(("line", "col"), result.document.position(offset)))
                               for offset in coverage.unread]} if coverage else {}
    notes = [{"line": result.document.position(n.finding.offset)[0],
              "col": result.document.position(n.finding.offset)[1],
              "text": fill(messages(lang)["finding"][n.reason], subject=n.finding.subject, written=n.finding.written)}
             for n in result.ambiguous]
    return {"findings": findings, "summary": {"checked": len(result.findings), **counts,
                                              "decimal_comma": result.decimal_comma, **read,
                                              "nothing_judged": result.nothing_judged},
            "notes": notes}


def _finite(value: float) -> float | None:
    return value if isinstance(value, float) and math.isfinite(value) else None


def chosen_fixes(findings, document=None) -> list[Fix]:
    """One fix per number, in the document's own file: the spec's, then the definitions', then the operands',
    then arithmetic's; a number that a spec, definition or arithmetic verdict finds correct is never changed;
    overlapping fixes dropped."""
    right = {f.target for f in findings if f.verdict == "correct" and f.target is not None}
    by_place: dict[tuple[int, int], Fix] = {}
    for finding in sorted((f for f in findings if f.bad and f.fix), key=lambda f: PRIORITY[f.kind]):
        fix = finding.fix
        if fix.start in right or any(fix.start <= place < fix.end for place in right):
            continue
        if document is not None:
            start, end = document.locate(fix.start), document.locate(fix.end - 1)
            in_file = start is not None and end is not None and start[0] == end[0] == 0
            if not in_file or end[1] - start[1] != fix.end - fix.start - 1:
                continue  # in an \input file, or across an escape of a notebook's JSON
            fix = Fix(start[1], end[1] + 1, fix.text)
        by_place.setdefault((fix.start, fix.end), fix)
    chosen, last_end = [], -1
    for (start, end), fix in sorted(by_place.items()):
        if start >= last_end:
            chosen.append(fix)
            last_end = end
    return chosen


MAX_FIX_ROUNDS = 8  # a fix can show the next one (a corrected factor changes the product it feeds)


def fix_until_clean(text: str, lint) -> tuple[str, int]:
    """The text with the chosen fixes applied, linted again and fixed again until no fix is left (or
    MAX_FIX_ROUNDS): the fixed copy lints clean. Only the numbers the first lint found not correct are ever
    changed, and the results computed from them: a later round only finishes what the first began.
    `lint(text)` is the LintResult of a text; returns the fixed text and how many numbers were replaced."""
    changed: list[int] = []  # where the replaced numbers start, in the current text
    allowed: list[int] | None = None  # the numbers the first lint found not correct: the only ones to change
    for _ in range(MAX_FIX_ROUNDS):
        result = lint(text)
        fixes = chosen_fixes(result.findings, result.document)
        if allowed is None:
            allowed = sorted({f.target for f in result.bad if f.target is not None} | {f.start for f in fixes})
        else:  # or a result whose left side a fix changed (the product of a corrected factor)
            follows = {f.fix.start for f in result.bad if f.fix and f.kind == "arithmetic"
                       and any(f.offset <= place < f.target for place in changed)}
            fixes = [fix for fix in fixes if fix.start in set(allowed) | follows]
        if not fixes:
            break
        changed, allowed = _shifted(changed, fixes), _shifted(allowed, fixes)
        text = fixed_text(text, fixes)
    return text, len(changed)


def _shifted(changed: list[int], fixes: list[Fix]) -> list[int]:
    """The starts of the numbers replaced so far and by `fixes`, moved to the text after `fixes`."""
    moved, shift, index = [], 0, 0
    places = sorted(set(changed) | {fix.start for fix in fixes})
    for place in places:
        while index < len(fixes) and fixes[index].start < place:
            shift += len(fixes[index].text) - (fixes[index].end - fixes[index].start)
            index += 1
        moved.append(place + shift)
    return moved


def fixed_text(text: str, fixes: list[Fix]) -> str:
    """The document with each fix applied and every other character kept."""
    pieces, position = [], 0
    for fix in fixes:
        pieces += [text[position:fix.start], fix.text]
        position = fix.end
    pieces.append(text[position:])
    return "".join(pieces)


def fill_fixed(path: str, count: int, lang: str = "en") -> str:
    """The line saying where the fixed copy went."""
    return fill(messages(lang)["summary"]["fixed"], path=path, n=count)
