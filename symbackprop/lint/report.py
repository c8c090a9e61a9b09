"""Report findings like a compiler (DOC:LINE:COL: verdict: message) or as JSON, and write the fixed copy."""
import math

from symbackprop.checking.mistakes import MISTAKES
from symbackprop.lint.findings import Finding, Fix
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
    template = words["finding"][finding.verdict]
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


def render_text(result, path: str, lang: str = "en") -> str:
    """Every finding that is not correct, one a line, then the summary."""
    lines = [line(f, path, result.document.position(f.offset), lang) for f in result.bad]
    return "\n".join(lines + [summary(result.findings, path, lang)])


def as_json(result, lang: str = "en") -> dict:
    """{"findings": [...], "summary": {...}}: every judged number, correct ones included."""
    findings = []
    for f in result.findings:
        row, col = result.document.position(f.offset)
        findings.append({"line": row, "col": col, "text": message(f, lang), "kind": f.kind, "name": f.name,
                         "written": _finite(f.written_value), "expected": _finite(f.expected_value),
                         "verdict": f.verdict, "mistake": f.mistake, "fix": f.fix.text if f.fix else None})
    counts = {verdict: sum(f.verdict == verdict for f in result.findings)
              for verdict in ("correct", "consistent", "wrong")}
    return {"findings": findings, "summary": {"checked": len(result.findings), **counts,
                                              "decimal_comma": result.decimal_comma}}


def _finite(value: float) -> float | None:
    return value if isinstance(value, float) and math.isfinite(value) else None


def chosen_fixes(findings) -> list[Fix]:
    """One fix per number: a quantity's (the spec's truth) before arithmetic's; overlapping fixes dropped."""
    by_place: dict[tuple[int, int], Fix] = {}
    for finding in sorted((f for f in findings if f.bad and f.fix), key=lambda f: f.kind != "quantity"):
        by_place.setdefault((finding.fix.start, finding.fix.end), finding.fix)
    chosen, last_end = [], -1
    for (start, end), fix in sorted(by_place.items()):
        if start >= last_end:
            chosen.append(fix)
            last_end = end
    return chosen


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
