"""The document commands' shared options and pipeline: render every file, write them atomically, compile."""
from pathlib import Path

from symbackprop.notation import catalogue
from symbackprop.documents.context import DocumentOptions
from symbackprop.documents.latexmk import build_pdf, require_tex
from symbackprop.files.writing import check_folder, clean_leftovers, remove_stale, write_all
from symbackprop.documents.templating import render
from symbackprop.option_types import whole_number


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
    parser.add_argument("--decimal-comma", action="store_true", help="write 0,1900 instead of 0.1900")


def document_options(args, **extra) -> DocumentOptions:
    """DocumentOptions from parsed arguments; the language is checked here, before any work."""
    catalogue.catalogue(args.lang)
    return DocumentOptions(lang=args.lang, decimals=args.decimals, decimal_comma=args.decimal_comma, **extra)


def publish(templates: dict[str, str], context: dict, args, compile_names: list[str]) -> list[Path]:
    """Render {file name: template}, write them all, then compile the named ones; returns the paths written.

    PDFs of an earlier .tex are removed before the new .tex files appear, and what an interrupted run left
    behind (temporary files, build folders) is cleaned first."""
    if args.pdf:
        require_tex()
    folder = check_folder(args.output)
    texts = {name: render(template, context, args.template_dir) for name, template in templates.items()}
    clean_leftovers(folder)
    pdfs = [folder / name.replace(".tex", ".pdf") for name in compile_names]
    removed = remove_stale(pdfs)
    written = write_all(folder, texts)
    if args.pdf:
        written += [build_pdf(folder / name) for name in compile_names]
    else:
        for path in removed:
            print(f"removed {path} (made from an earlier .tex)")
    return written
