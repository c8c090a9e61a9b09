"""Lint one document: read it, find its equations, judge its arithmetic and (with a spec) its quantities."""
from dataclasses import dataclass
from pathlib import Path

from symbackprop.errors import DocumentError
from symbackprop.lint import arithmetic
from symbackprop.lint.equations import Equation, equations, uses_decimal_comma
from symbackprop.lint.findings import Finding
from symbackprop.lint.sources import Document, guess_format
from symbackprop.files.reading import read_bytes

MAX_BYTES = 50_000_000


@dataclass(frozen=True)
class LintResult:
    """Everything `lint` found in one document."""

    document: Document
    equations: tuple[Equation, ...]
    findings: tuple[Finding, ...]
    decimal_comma: bool

    @property
    def bad(self) -> list[Finding]:
        """The findings that are not correct, in document order."""
        return [finding for finding in self.findings if finding.bad]


def read_document(path: str | Path) -> tuple[str, bytes]:
    """The document's text and bytes; one clear error when it is missing, a folder, too large or not UTF-8."""
    path = Path(path)
    data = read_bytes(path, "document", "a readable Markdown or LaTeX file", DocumentError, max_bytes=MAX_BYTES)
    try:
        return data.decode("utf-8"), data
    except UnicodeDecodeError as err:
        raise DocumentError(f"{path}: not UTF-8 text (at byte offset {err.start}); save the document as UTF-8") from err


def lint_text(text: str, name: str = "document", fmt: str | None = None, quantities=None) -> LintResult:
    """Lint a document's text; `quantities` (a QuantityJudge) adds the spec's verdicts."""
    document = Document(text, fmt or guess_format(name, text))
    spans = document.spans()
    comma = uses_decimal_comma(document, spans)
    found = equations(document, spans, comma)
    findings = arithmetic.ArithmeticJudge(found).judge(lambda side: " ".join(side.text.split()))
    if quantities is not None:
        findings.extend(quantities.judge(found))
    findings.sort(key=lambda f: (f.offset, f.kind))
    return LintResult(document, tuple(found), tuple(findings), comma)
