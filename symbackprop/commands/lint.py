"""Find the wrong numbers in a Markdown or LaTeX document (slides, notes, worked solutions).

Every equation's adjacent numeric sides are checked as arithmetic, at the precision printed on the right;
with --spec, every number the document gives a quantity (v_0, \\hat{y}, \\frac{\\partial L}{\\partial w_{00}}) is
judged correct, consistent (error carried forward) or wrong. Exit status: 0 when nothing is wrong, 1
otherwise, 2 for invalid input, 3 when the document has math with numbers but nothing could be judged.
"""
import json
import sys
from pathlib import Path

from symbackprop.errors import OutputError
from symbackprop.files.writing import write_atomic
from symbackprop.lint import report
from symbackprop.lint.linter import lint_text, read_document
from symbackprop.lint.quantities import QuantityJudge, load_lint_spec


def add_arguments(parser) -> None:
    """Arguments of `symbackprop lint`."""
    parser.add_argument("document", help="Markdown (.md) or LaTeX (.tex) file")
    parser.add_argument("--spec", help="spec TOML with [values] (and optionally [lint.symbols]) to judge quantities")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of lines")
    parser.add_argument("--lang", default="en", help="language of the messages: " + ", ".join(report.languages()))
    parser.add_argument("--fix", metavar="OUT", help="write a copy of the document with each wrong number replaced")


NOTHING_JUDGED = 3  # the document has math with numbers, but not one was judged


def run(args) -> int:
    """Lint the document; write the fixed copy first (a failure leaves nothing half done); print findings."""
    report.messages(args.lang)
    text, _ = read_document(args.document)
    judge = QuantityJudge(*load_lint_spec(args.spec)) if args.spec else None
    result = lint_text(text, args.document, quantities=judge, folder=Path(args.document).parent)
    unused = judge.unused(result) if judge is not None else ()
    if args.fix:
        fixed, replaced = report.fix_until_clean(text, lambda current: lint_text(
            current, args.document, quantities=judge, folder=Path(args.document).parent))
        try:
            write_atomic(args.fix, fixed)
        except OutputError as err:
            raise OutputError(f"--fix {args.fix}: cannot write the fixed copy: {err}") from err
    if args.json:
        json.dump(report.as_json(result, args.lang), sys.stdout, indent=1, ensure_ascii=False)
        print()
    else:
        print(report.render_text(result, args.document, args.lang, unused))
        if args.fix:
            print(report.fill_fixed(args.fix, replaced, args.lang))
    if result.bad:
        return 1
    return NOTHING_JUDGED if result.nothing_judged else 0
