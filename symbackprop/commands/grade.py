"""Grade a class's answers against the exam manifest: points per student and a per-question summary.

ANSWERS.csv has columns student, variant (the manifest's variant id), then one column per asked quantity
headed by its name; an empty cell is unanswered. Each answer is checked against the student's own
variant with the exam's tolerances, error carried forward from the student's other answers, and the
mistake catalogue. Writes a per-student report CSV, per-question statistics and points beside it, and prints
the summary.
"""
import sys

from symbackprop.checking.grading import Grader, grade_all, load_manifest, read_answers, summary, write_report
from symbackprop.checking.responses import FORMATS, read_responses, write_grade_import
from symbackprop.commands.option_types import finite_number
from symbackprop.errors import OptionError

IMPORT_COLUMN = "symbackprop points"


def add_arguments(parser) -> None:
    """Arguments of `symbackprop grade`."""
    parser.add_argument("answers", nargs="?", help="answers CSV: student,variant,<quantity>,... (or --responses)")
    parser.add_argument("--manifest", required=True, help="the exam's manifest.json (from symbackprop exam)")
    parser.add_argument("-o", "--output", default="report.csv", help="report CSV to write (default report.csv)")
    parser.add_argument("--consistent-credit", type=finite_number, default=1.0,
                        help="fraction of the points for an answer consistent with the student's own earlier "
                             "answers (error carried forward); default 1 (full credit)")
    parser.add_argument("--responses", metavar="FILE", help="instead of ANSWERS.csv: a responses report CSV "
                        "exported by Moodle (quiz Responses report) or Canvas (quiz Student Analysis)")
    parser.add_argument("--format", choices=FORMATS, help="the platform that exported --responses: moodle or canvas")


def run(args) -> int:
    """Grade every row, write the report, print the summary."""
    if (args.responses is None) == (args.answers is None) or (args.responses is None) != (args.format is None):
        raise OptionError("expected ANSWERS.csv, or --responses FILE with --format moodle|canvas (not both)")
    variants = load_manifest(args.manifest)
    responses = read_responses(args.responses, args.format, variants) if args.responses else None
    questions, records = (responses.questions, responses.records) if responses else read_answers(args.answers)
    grader = Grader(variants, args.consistent_credit)
    questions = grader.validate(questions, records, args.responses or args.answers)
    graded = grade_all(grader, records)
    write_report(args.output, questions, graded)
    if responses:
        for warning in responses.warnings:
            print(f"symbackprop: warning: {args.responses}: {warning}", file=sys.stderr)
        print(f"wrote {write_grade_import(args.output, responses, graded, IMPORT_COLUMN)}")
    for warning in grader.warnings:
        print(f"symbackprop: warning: {warning}", file=sys.stderr)
    for g in graded:
        for name, problem in g.problems.items():
            problem = problem if problem.startswith(f"{name}: ") else f"{name}: {problem}"
            print(f"symbackprop: invalid answer: {g.student} ({g.variant}) {problem}", file=sys.stderr)
    print("\n".join(summary(questions, graded)))
    print(f"wrote {args.output}")
    return 0
