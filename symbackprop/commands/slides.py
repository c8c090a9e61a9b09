"""Write beamer slides for a spec (default: the course's 2-3-2 network): diagram, forward pass, backpropagation,
functions and, with [values], the worked example.

Writes DIR/slides.tex and DIR/slides_body.tex (the frames alone, to \\input into your own deck);
with --pdf also DIR/slides.pdf."""
from symbackprop.documents.context import slides_context
from symbackprop.commands.document_options import add_document_arguments, document_options, publish_and_report
from symbackprop.exporters.publication import Publication
from symbackprop.model.spec import load_spec


def add_arguments(parser) -> None:
    """Arguments of `symbackprop slides`."""
    add_document_arguments(parser)
    parser.add_argument("--gradient", action="append", default=[], metavar="NAME",
                        help="a gradient to work element by element in the example, e.g. dL/dW0[1][2] "
                             "(repeatable; default: the first weight of each layer)")
    parser.add_argument("--all-gradients", action="store_true",
                        help="work every gradient element by element (a longer deck)")


def run(args) -> int:
    """Render, write and optionally compile the slides."""
    options = document_options(args, gradients=tuple(args.gradient), all_gradients=args.all_gradients)
    context = slides_context(load_spec(args.spec), options)
    templates = {"slides.tex": "slides.tex.j2", "slides_body.tex": "slides_body.tex.j2"}
    return publish_and_report(Publication(templates, context, ("slides.tex",), args.template_dir), args)
