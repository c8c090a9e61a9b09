"""The options every document command takes, and the publishing step they share."""
from symbackprop.commands.option_types import whole_number
from symbackprop.documents.context import DocumentOptions
from symbackprop.exporters.pipeline import publish
from symbackprop.notation import catalogue


def add_document_arguments(parser) -> None:
    """Arguments every document command takes."""
    parser.add_argument("spec", nargs="?", help="TOML spec (default: the built-in 2-3-2 network)")
    parser.add_argument("-o", "--output", default="output", metavar="DIR",
                        help="folder for the .tex (and .pdf) files (default: output/)")
    parser.add_argument("--lang", default=catalogue.DEFAULT_LANGUAGE, metavar="L",
                        help=f"language of the fixed words: {', '.join(catalogue.languages())} (default en)")
    parser.add_argument("--pdf", action="store_true", help="also compile the PDF with latexmk")
    parser.add_argument("--template-dir", metavar="DIR",
                        help="templates here override the built-in ones of the same name")
    parser.add_argument("--decimals", type=whole_number, default=4, help="decimals of every number (default 4)")
    add_decimal_sign_arguments(parser)


def add_decimal_sign_arguments(parser) -> None:
    """--decimal-comma / --decimal-point; without either, the language's own sign (a comma in pt-BR)."""
    sign = parser.add_mutually_exclusive_group()
    sign.add_argument("--decimal-comma", dest="decimal_comma", action="store_const", const=True, default=None,
                      help="write 0,1900 (the default with --lang pt-BR)")
    sign.add_argument("--decimal-point", dest="decimal_comma", action="store_const", const=False,
                      help="write 0.1900 (the default with --lang en)")


def decimal_comma(args) -> bool:
    """The decimal sign of the parsed arguments: as asked, else the language's own."""
    if args.decimal_comma is not None:
        return args.decimal_comma
    return catalogue.catalogue(args.lang)["meta"]["decimal_comma"]


def document_options(args, **extra) -> DocumentOptions:
    """DocumentOptions from parsed arguments; the language is checked here, before any work."""
    catalogue.catalogue(args.lang)
    return DocumentOptions(lang=args.lang, decimals=args.decimals, decimal_comma=decimal_comma(args), **extra)


def publish_and_report(publication, args) -> int:
    """Publish in the formats the options ask for (tex, and pdf with --pdf) and print what changed."""
    published = publish(publication, args.output, ["tex", "pdf"] if args.pdf else ["tex"])
    for path in published.written:
        print(f"wrote {path}")
    for path in published.removed:
        print(f"removed {path} (made from an earlier .tex)")
    return 0
