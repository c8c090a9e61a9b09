"""Find the math in a Markdown, LaTeX or notebook document with the parsers made for them, keeping file positions.

Markdown (.md, .qmd, .Rmd) is read with markdown-it-py and its dollarmath, amsmath and texmath plugins, LaTeX
with pylatexenc, notebooks (.ipynb) with nbformat (their markdown cells). Code, comments and verbatim text are
never math. A LaTeX document's \\input and \\include are followed inside its folder. Everything is read into one
text (the included files in place); every offset of it maps back to a file, a line and a column.
"""
import bisect
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".qmd", ".rmd", ".txt")
LATEX_SUFFIXES = (".tex", ".ltx", ".latex", ".sty")
NOTEBOOK_SUFFIXES = (".ipynb",)
MATH_ENVIRONMENTS = ("equation", "align", "gather", "multline", "flalign", "alignat", "eqnarray",
                     "displaymath", "math", "dmath", "darray")
VERBATIM_ENVIRONMENTS = ("verbatim", "Verbatim", "lstlisting", "minted", "comment", "alltt", "BVerbatim",
                         "LVerbatim", "spverbatim", "verbatimtab", "code")
HEADING_MACROS = ("part", "chapter", "section", "subsection", "subsubsection")
MAX_INCLUDE_DEPTH = 20

_LATEX_SKIPS = re.compile(r"(?<!\\)%|\\verb\*?([^A-Za-z\s*])|\\begin\s*\{(" + "|".join(VERBATIM_ENVIRONMENTS)
                          + r")\*?\}|\\\$")
_INPUT = re.compile(r"\\(?:input|include|subfile)\s*\{([^{}\n]+)\}")


@dataclass(frozen=True)
class MathSpan:
    """One piece of math: where its content starts and ends in the document's text, and how it was delimited."""

    start: int
    end: int
    display: bool


@dataclass(frozen=True)
class Run:
    """Characters [start, end) of the document's text are the file `part`'s characters from `origin` on."""

    start: int
    end: int
    part: int
    origin: int


@dataclass
class Document:
    """A document's text (included files in place), its format, and where each character came from."""

    text: str
    format: str
    parts: list = field(default_factory=lambda: ["document"])  # file names, the document itself first
    files: list = field(default_factory=list)  # each part's own text
    runs: list = field(default_factory=list)
    masked: str = ""

    def __post_init__(self):
        if not self.files:
            self.files = [self.text]
        if not self.runs:
            self.runs = [Run(0, len(self.text), 0, 0)]
        self.masked = mask(self.text, self.format) if self.format == "latex" else self.text
        self._run_starts = [run.start for run in self.runs]
        self._line_starts = [[0] + [m.end() for m in re.finditer("\n", text)] for text in self.files]

    def locate(self, offset: int) -> tuple[int, int] | None:
        """(part, offset in that file) of a character of the text, or None for text no file holds as written."""
        index = bisect.bisect_right(self._run_starts, offset) - 1
        if index < 0:
            return None
        run = self.runs[index]
        if offset > run.end or (offset == run.end and index + 1 < len(self.runs)):
            return None
        return run.part, run.origin + offset - run.start

    def where(self, offset: int) -> tuple[str, int, int]:
        """(file name, 1-based line, 1-based column in characters) of a character of the text."""
        part, origin = self.locate(offset) or (0, 0)
        starts = self._line_starts[part]
        line = bisect.bisect_right(starts, origin) - 1
        return self.parts[part], line + 1, origin - starts[line] + 1

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset in the file that holds it."""
        return self.where(offset)[1:]

    def spans(self) -> list[MathSpan]:
        """Every math span, in document order."""
        return self._read[0]

    def headings(self) -> list[int]:
        """Where each heading (Markdown #, LaTeX \\section and its kin) starts: a new example."""
        return self._read[1]

    def heading_of(self, offset: int) -> str:
        """The text of the heading an offset is under ('' before the first)."""
        starts = self.headings()
        index = bisect.bisect_right(starts, offset) - 1
        if index < 0:
            return ""
        line = self.text[starts[index]:self.text.find("\n", starts[index]) % (len(self.text) + 1)]
        return re.sub(r"^#+\s*|\\[A-Za-z]+\*?\s*|[{}]", "", line).strip()

    @cached_property
    def _read(self) -> tuple[list[MathSpan], list[int]]:
        return (markdown_math(self.text) if self.format == "markdown" else latex_math(self.masked))


def guess_format(name: str, text: str) -> str:
    """'notebook' for .ipynb, 'latex' for .tex (or text with \\documentclass / \\begin{document}), else 'markdown'."""
    lowered = name.lower()
    if lowered.endswith(NOTEBOOK_SUFFIXES):
        return "notebook"
    if lowered.endswith(LATEX_SUFFIXES):
        return "latex"
    if lowered.endswith(MARKDOWN_SUFFIXES):
        return "markdown"
    return "latex" if re.search(r"\\documentclass|\\begin\s*\{document\}", text) else "markdown"


def build(text: str, name: str = "document", fmt: str | None = None, folder: Path | None = None) -> Document:
    """The Document of a file's text: a notebook's markdown cells, or LaTeX with its \\input files in place."""
    fmt = fmt or guess_format(name, text)
    if fmt == "notebook":
        return _notebook(text, name)
    if fmt == "latex" and folder is not None:
        return _with_inputs(text, name, folder)
    return Document(text, fmt, [name], [text])


# ---- Markdown ------------------------------------------------------------------------------------------------
def _markdown_parser():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.amsmath import amsmath_plugin
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.texmath import texmath_plugin
    return (MarkdownIt("commonmark")
            .use(dollarmath_plugin, allow_space=True, allow_digits=False, double_inline=True)
            .use(amsmath_plugin).use(texmath_plugin, delimiters="brackets"))


_MATH_TOKENS = {"math_inline": False, "math_inline_double": True, "math_block": True, "math_block_label": True,
                "amsmath": True, "math_block_eqno": True}


def markdown_math(text: str) -> tuple[list[MathSpan], list[int]]:
    """Math spans and heading offsets of Markdown text (code, HTML blocks and inline code are not math)."""
    lines = [0] + [m.end() for m in re.finditer("\n", text)] + [len(text)]
    spans, headings, cursor = [], [], 0
    for token in _markdown_parser().parse(text):
        if token.map:
            block_start = lines[min(token.map[0], len(lines) - 1)]
            cursor = max(cursor, block_start)
        if token.type == "heading_open" and token.map:
            headings.append(lines[token.map[0]])
        if token.type in _MATH_TOKENS:
            for piece in token.content.split("$$")[0::2]:  # a line $$a$$ text $$b$$ is read as one block
                cursor = _place(text, piece, cursor, _MATH_TOKENS[token.type], spans)
        children = token.children or ()
        if token.type == "inline" and token.map and "\\[" in token.content \
                and not any(child.type == "code_inline" for child in children):
            _display_brackets(text, lines[token.map[0]], lines[min(token.map[1], len(lines) - 1)], spans)
        for child in children:
            if child.type in _MATH_TOKENS:
                cursor = _place(text, child.content, cursor, _MATH_TOKENS[child.type], spans)
    spans.sort(key=lambda span: span.start)
    return spans, headings


def _display_brackets(text: str, start: int, end: int, spans: list) -> None:
    """\\[ … \\] written inside a paragraph (MathJax reads it as display math; CommonMark as brackets)."""
    for match in re.finditer(r"\\\[(.+?)\\\]", text[start:end], re.DOTALL):
        spans.append(MathSpan(start + match.start(1), start + match.end(1), True))


def _place(text: str, content: str, cursor: int, display: bool, spans: list) -> int:
    """Find a math token's content in the text from `cursor` on (quote marks and indents may interleave)."""
    if not content.strip():
        return cursor
    found = text.find(content, cursor)
    if found >= 0:
        end = found + len(content)
    else:
        pieces = [re.escape(piece) for piece in content.split()]
        match = re.compile(r"[\s>]*".join(pieces)).search(text, cursor)
        if not match:
            return cursor
        found, end = match.start(), match.end()
    spans.append(MathSpan(found, end, display))
    return end


# ---- LaTeX ---------------------------------------------------------------------------------------------------
def _blank(chars: list, start: int, end: int) -> None:
    """Replace characters by spaces, keeping line breaks (offsets and line numbers stay valid)."""
    for index in range(start, end):
        if chars[index] != "\n":
            chars[index] = " "


def mask(text: str, fmt: str = "latex") -> str:
    """LaTeX text with % comments, \\verb, verbatim environments and escaped dollars blanked, left to right."""
    chars, position = list(text), 0
    while True:
        found = _LATEX_SKIPS.search(text, position)
        if not found:
            return "".join(chars)
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


_LATEX_STOPS = re.compile(r"[\\$]|\n[ \t]*\n")  # where pylatexenc's tokenizer is asked what comes next
_CLOSERS = {"$": "$", "$$": "$$", "\\(": "\\)", "\\[": "\\]"}


def latex_math(masked: str) -> tuple[list[MathSpan], list[int]]:
    """Math spans and heading offsets of masked LaTeX, read with pylatexenc's tokenizer (so \\\\[1.2em] is a row
    break, \\$ a dollar, \\[ display math): it is asked at each backslash and dollar, the text between is skipped."""
    from pylatexenc.latexwalker import LatexWalker
    walker = LatexWalker(masked, tolerant_parsing=True)
    spans, headings, position = [], [], 0
    opened = None  # (closing token, closing argument, content start, display, paragraph-bound)
    while True:
        stop = _LATEX_STOPS.search(masked, position)
        if not stop:
            return spans, headings
        if stop.group().startswith("\n"):  # a paragraph break ends unclosed inline math
            if opened is not None and opened[4]:
                opened = None
            position = stop.end()
            continue
        try:
            token = walker.get_token(stop.start(), environments=True)
        except Exception:  # pylatexenc's own error for a broken construct: read on after it
            position = stop.start() + 1
            continue
        position = max(token.pos + token.len, stop.start() + 1)
        kind, argument = token.tok, token.arg
        if opened is None:
            if kind in ("mathmode_inline", "mathmode_display") and argument in _CLOSERS:
                opened = (kind, _CLOSERS[argument], token.pos + len(argument), argument not in ("$", "\\("),
                          argument in ("$", "\\("))
            elif kind == "begin_environment" and argument.rstrip("*") in MATH_ENVIRONMENTS:
                content = token.pos + token.len
                if argument.startswith("alignat"):
                    columns = re.compile(r"\s*\{\d+\}").match(masked, content)
                    content = columns.end() if columns else content
                opened = ("end_environment", argument, content, True, False)
            elif kind == "macro" and argument in HEADING_MACROS:
                headings.append(token.pos)
        elif kind == opened[0] and argument == opened[1]:
            if token.pos > opened[2]:
                spans.append(MathSpan(opened[2], token.pos, opened[3]))
            opened = None


def _with_inputs(text: str, name: str, folder: Path) -> Document:
    """A LaTeX document with each \\input / \\include file (inside its folder, each once) read in place."""
    folder = folder.resolve()
    pieces, files, parts, runs = [], [], [], []
    seen: set = set()

    def add(file_text: str, part_name: str, path: Path | None, depth: int) -> None:
        part = len(files)
        files.append(file_text)
        parts.append(part_name)
        if path is not None:
            seen.add(path)
        masked, position = mask(file_text), 0
        for found in _INPUT.finditer(masked):
            target = _input_path(folder, found.group(1).strip(), seen) if depth < MAX_INCLUDE_DEPTH else None
            if target is None:
                continue
            _emit(pieces, runs, file_text[position:found.end()], part, position)
            position = found.end()
            try:
                included = target.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            add(included.replace("\r\n", "\n"), str(target.relative_to(folder)), target, depth + 1)
            _emit(pieces, runs, "\n", None, 0)
        _emit(pieces, runs, file_text[position:], part, position)

    add(text, name, None, 0)
    return Document("".join(pieces), "latex", parts, files, runs)


def _emit(pieces: list, runs: list, piece: str, part: int | None, origin: int) -> None:
    """Append a piece of text; it maps to `part` from `origin` on (None: text no file holds)."""
    start = runs[-1].end if runs else 0
    pieces.append(piece)
    if piece and part is not None:
        runs.append(Run(start, start + len(piece), part, origin))
    elif piece:
        runs.append(Run(start, start + len(piece), -1, 0))


def _input_path(folder: Path, written: str, seen: set) -> Path | None:
    """The file an \\input names, when it is inside the document's folder and not read yet."""
    candidates = [folder / written] + ([folder / (written + ".tex")] if not written.endswith(".tex") else [])
    for candidate in candidates:
        try:
            resolved = candidate.resolve()
        except OSError:
            continue
        if resolved.is_file() and resolved.is_relative_to(folder) and resolved not in seen:
            return resolved
    return None


# ---- notebooks -----------------------------------------------------------------------------------------------
def _notebook(text: str, name: str) -> Document:
    """A notebook's markdown cells as one Markdown text, each character mapped to its place in the JSON file."""
    import nbformat
    from symbackprop.errors import DocumentError
    try:
        notebook = nbformat.reads(text, as_version=4)
    except Exception as err:  # nbformat raises several kinds for a broken file
        raise DocumentError(f"{name}: not a Jupyter notebook ({type(err).__name__}); save it from Jupyter "
                            f"or lint its exported Markdown") from err
    pieces, runs, cursor, length = [], [], 0, 0
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines(keepends=True):
            cursor = _map_line(text, line, cursor, length, runs)
            pieces.append(line)
            length += len(line)
        pieces.append("\n\n")
        length += 2
    return Document("".join(pieces), "markdown", [name], [text], [run for run in runs if run.end > run.start])


def _map_line(text: str, line: str, cursor: int, start: int, runs: list) -> int:
    """Runs mapping one decoded cell line onto its JSON-escaped form in the file (found from `cursor`)."""
    for ascii_only in (False, True):
        encoded = json.dumps(line, ensure_ascii=ascii_only)[1:-1]
        found = text.find(encoded, cursor)
        if found >= 0:
            break
    else:
        return cursor
    origin, run_start = found, start
    for index, char in enumerate(line):
        width = len(json.dumps(char, ensure_ascii=ascii_only)) - 2
        if width != 1:  # an escaped character (\\, \", \n): its own run, at the escape
            runs.append(Run(run_start, start + index, 0, origin - (start + index - run_start)))
            runs.append(Run(start + index, start + index + 1, 0, origin))
            run_start = start + index + 1
        origin += width
    runs.append(Run(run_start, start + len(line), 0, origin - (start + len(line) - run_start)))
    return found + len(encoded)
