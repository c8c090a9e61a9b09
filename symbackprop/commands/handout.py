"""Write an exercise sheet for a spec (default: the course's 2-3-2 network): the network and its values,
questions with blanks and, with --solutions, the worked solution after each question.

Writes DIR/handout.tex (DIR/handout_solutions.tex with --solutions); with --pdf also the PDF."""
import argparse

from symbackprop.documents.context import handout_context
from symbackprop.commands.document_options import add_document_arguments, document_options, publish_and_report
from symbackprop.exporters.publication import Publication
from symbackprop.model.spec import load_spec


def add_arguments(parser) -> None:
    """Arguments of `symbackprop handout`."""
    add_document_arguments(parser)
    parser.add_argument("--solutions", action=argparse.BooleanOptionalAction, default=False,
                        help="follow each question with its worked solution (default: no)")
    parser.add_argument("--gradient", action="append", default=[], metavar="NAME",
                        help="a gradient to ask for, e.g. dL/dW0[1][2] (repeatable; default: the first weight "
                             "and bias of each layer)")


def run(args) -> int:
    """Render, write and optionally compile the handout."""
    options = document_options(args, solutions=args.solutions, gradients=tuple(args.gradient))
    context = handout_context(load_spec(args.spec), options)
    name = "handout_solutions.tex" if args.solutions else "handout.tex"
    return publish_and_report(Publication({name: "handout.tex.j2"}, context, (name,), args.template_dir), args)
