"""Find the math in a Markdown or LaTeX document, with its offsets, skipping code, comments and verbatim text."""
import bisect
import re
from dataclasses import dataclass, field

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".qmd", ".rmd", ".txt")
LATEX_SUFFIXES = (".tex", ".ltx", ".latex", ".sty")
MATH_ENVIRONMENTS = ("equation", "align", "gather", "multline", "flalign", "alignat", "eqnarray",
                     "displaymath", "math")
VERBATIM_ENVIRONMENTS = ("verbatim", "Verbatim", "lstlisting", "minted", "comment", "alltt")

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*$", re.MULTILINE)
_MARKDOWN_SKIPS = re.compile(r"<!--|`+|\\\$|\]\(|<(?:https?|ftp|mailto):")
_LATEX_SKIPS = re.compile(r"(?<!\\)%|\\verb\*?([^A-Za-z\s*])|\\begin\s*\{(" + "|".join(VERBATIM_ENVIRONMENTS)
                          + r")\*?\}|\\\$")
_PARAGRAPH_END = re.compile(r"\n[ \t]*\n")
_OPENERS = re.compile(r"\$\$|\$|\\\(|\\\[|\\begin\s*\{(" + "|".join(MATH_ENVIRONMENTS) + r")(\*?)\}")


@dataclass(frozen=True)
class MathSpan:
    """One piece of math: where its content starts and ends in the document, and how it was delimited."""

    start: int
    end: int
    display: bool


@dataclass
class Document:
    """A document's text, its format ('markdown' or 'latex'), and the text with code and comments blanked."""

    text: str
    format: str
    masked: str = ""
    _line_starts: list = field(default_factory=list, repr=False)

    def __post_init__(self):
        self.masked = mask(self.text, self.format)
        self._line_starts = [0] + [match.end() for match in re.finditer("\n", self.text)]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset; columns count characters."""
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def spans(self) -> list[MathSpan]:
        """Every math span, in document order."""
        return find_math(self.masked, self.format)


def guess_format(name: str, text: str) -> str:
    """'latex' for .tex files (or text with \\documentclass / \\begin{document}), else 'markdown'."""
    lowered = name.lower()
    if lowered.endswith(LATEX_SUFFIXES):
        return "latex"
    if lowered.endswith(MARKDOWN_SUFFIXES):
        return "markdown"
    return "latex" if re.search(r"\\documentclass|\\begin\s*\{document\}", text) else "markdown"


def _blank(chars: list, start: int, end: int) -> None:
    """Replace characters by spaces, keeping line breaks (offsets and line numbers stay valid)."""
    for index in range(start, end):
        if chars[index] != "\n":
            chars[index] = " "


def mask(text: str, fmt: str) -> str:
    """The text with code blocks, inline code, comments, verbatim text and escaped dollars blanked out."""
    chars = list(text)
    if fmt == "markdown":
        _mask_fences(text, chars)
        _mask_markdown_inline("".join(chars), chars)
    else:
        _mask_latex(text, chars)
    return "".join(chars)


def _mask_fences(text: str, chars: list) -> None:
    """Blank fenced code blocks (``` or ~~~, closed by a fence of the same kind at least as long)."""
    position = 0
    while True:
        opening = _FENCE.search(text, position)
        if not opening:
            return
        fence = opening.group(1)
        closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.MULTILINE)
        close = closing.search(text, opening.end())
        end = close.end() if close else len(text)
        _blank(chars, opening.start(), end)
        position = end


def _mask_markdown_inline(text: str, chars: list) -> None:
    """Blank HTML comments, inline code spans, link destinations, autolinks and escaped dollars, left to right."""
    position = 0
    while True:
        found = _MARKDOWN_SKIPS.search(text, position)
        if not found:
            return
        token = found.group()
        if token == "<!--":
            close = text.find("-->", found.end())
            end = len(text) if close < 0 else close + 3
        elif token == "](":  # a link's or an image's destination
            close = re.compile(r"[)\n]").search(text, found.end())
            end = len(text) if not close else close.end()
        elif token.startswith("<"):
            close = text.find(">", found.end())
            end = len(text) if close < 0 else close + 1
        elif token.startswith("`"):
            close = re.compile(rf"(?<!`){token}(?!`)").search(text, found.end())
            if not close:  # an unmatched run of backticks is literal text
                position = found.end()
                continue
            end = close.end()
        else:
            end = found.end()
        _blank(chars, found.start(), end)
        position = end


def _mask_latex(text: str, chars: list) -> None:
    """Blank % comments, \\verb, verbatim-like environments and escaped dollars, left to right."""
    position = 0
    while True:
        found = _LATEX_SKIPS.search(text, position)
        if not found:
            return
        if found.group() == "%":
            close = text.find("\n", found.end())
            end = len(text) if close < 0 else close
        elif found.group(1):  # \verb|...|
            close = text.find(found.group(1), found.end())
            end = found.end() if close < 0 else close + 1
        elif found.group(2):
            close = re.compile(r"\\end\s*\{" + re.escape(found.group(2)) + r"\*?\}").search(text, found.end())
            end = close.end() if close else len(text)
        else:
            end = found.end()
        _blank(chars, found.start(), end)
        position = end


def find_math(masked: str, fmt: str) -> list[MathSpan]:
    """Math spans in masked text: $$..$$, $..$, \\(..\\), \\[..\\] and the math environments (linear time)."""
    spans, position, closers = [], 0, _Closers(masked, fmt)
    while True:
        found = _OPENERS.search(masked, position)
        if not found:
            return spans
        span = closers.close(found)
        if span is None:  # an unbalanced delimiter is literal text
            position = found.end()
            continue
        spans.append(span)
        position = span.end + _closer_length(masked, span.end)


def _closer_length(masked: str, end: int) -> int:
    """How many characters the closing delimiter at `end` takes."""
    match = re.match(r"\$\$|\$|\\\)|\\\]|\\end\s*\{[A-Za-z]+\*?\}", masked[end:end + 40])
    return len(match.group()) if match else 0


class _Closers:
    """Where the closing delimiters are: each search is remembered, so a document full of unclosed openers
    is still read in linear time."""

    def __init__(self, masked: str, fmt: str):
        self.masked, self.fmt = masked, fmt
        self._searches: dict[str, tuple[int, int]] = {}  # closer -> (searched from, found at or -1)
        self._breaks = [match.start() for match in _PARAGRAPH_END.finditer(masked)]
        self._dollars = [index for index in range(len(masked)) if masked[index] == "$" and self._closes(index)]

    def _closes(self, index: int) -> bool:
        """Whether a $ at index can close inline math ($$ never; in Markdown not after a space, nor before a digit)."""
        masked = self.masked
        if masked[index - 1:index] == "$" or masked[index + 1:index + 2] == "$":
            return False
        before, after = masked[index - 1:index], masked[index + 1:index + 2]
        return self.fmt != "markdown" or not (before.isspace() or after.isdigit())

    def _find(self, closer: str, start: int) -> int:
        """The first position >= start where `closer` (text, or a regex for \\end{...}) occurs, or -1."""
        searched = self._searches.get(closer)
        if searched and searched[0] <= start and (searched[1] < 0 or searched[1] >= start):
            return searched[1]
        if closer.startswith(r"\\end"):
            match = re.compile(closer).search(self.masked, start)
            found = match.start() if match else -1
        else:
            found = self.masked.find(closer, start)
        self._searches[closer] = (start, found)
        return found

    def close(self, opener: re.Match) -> MathSpan | None:
        """The span an opener starts, or None when it is never closed."""
        token, start = opener.group(), opener.end()
        if token == "$":
            return self._inline_dollar(start)
        if token in ("$$", "\\(", "\\["):
            end = self._find({"$$": "$$", "\\(": "\\)", "\\[": "\\]"}[token], start)
            return MathSpan(start, end, token != "\\(") if end >= 0 else None
        end = self._find(r"\\end\s*\{" + opener.group(1) + re.escape(opener.group(2)) + r"\}", start)
        return MathSpan(start, end, True) if end >= 0 else None

    def _inline_dollar(self, start: int) -> MathSpan | None:
        """$..$ within one paragraph, with no $$ inside; in Markdown (pandoc's rule) no space after the opener."""
        masked = self.masked
        if self.fmt == "markdown" and (start >= len(masked) or masked[start].isspace()):
            return None
        index = bisect.bisect_left(self._dollars, start)
        if index == len(self._dollars):
            return None
        end = self._dollars[index]
        paragraph = bisect.bisect_left(self._breaks, start)
        if paragraph < len(self._breaks) and self._breaks[paragraph] < end:
            return None
        double = self._find("$$", start)
        if 0 <= double < end or end == start:
            return None
        return MathSpan(start, end, False)
