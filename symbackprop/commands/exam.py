"""Write randomized exam variants of a spec (default: the course's 2-3-2 network) with answer keys.

Variant k (V001, V002, ...) depends only on the seed, k and the spec, so asking for more variants keeps
the first ones unchanged. Writes DIR/exam.tex, DIR/key.tex and DIR/manifest.json; --pdf compiles exam.pdf
and key.pdf in parallel; each online format of the exporter table adds its file: --moodle DIR/moodle.xml
(Moodle XML, one cloze question per variant), --qti DIR/qti21.zip (IMS QTI 2.1), --canvas DIR/canvas.zip
(Canvas QTI 1.2), --prairielearn QDIR a PrairieLearn question folder.
--stress M draws M variants, checks every constraint and every answer (finite differences) and prints a
table of rejections and of the spread of the answers; it writes nothing and exits 1 if an answer fails."""
import sys
import time

from symbackprop.notation import catalogue
from symbackprop.exams.variants import Drawer
from symbackprop.errors import SpecError
from symbackprop.exams.config import parse_exam
from symbackprop.exams.content import ExamContent, exam_context
from symbackprop.documents.latexmk import require_tex
from symbackprop.exams.manifest import build_manifest
from symbackprop.exams.moodle import exam_quiz
from symbackprop.exporters import EXPORTERS
from symbackprop.exporters.exam_export import DIAGRAM_FILE, ExamExport
from symbackprop.exporters.pipeline import publish
from symbackprop.exporters.publication import Publication
from symbackprop.files.writing import check_folder
from symbackprop.commands.progress import Progress
from symbackprop.model.spec import load_spec
from symbackprop.exams.stress import report_text, stress
from symbackprop.commands.option_types import whole_number
from symbackprop.commands.document_options import add_decimal_sign_arguments, decimal_comma

MAX_VARIANTS = 10_000
DOCUMENTS = {"exam.tex": "exam.tex.j2", "key.tex": "key.tex.j2"}


def add_arguments(parser) -> None:
    """Arguments of `symbackprop exam`."""
    parser.add_argument("spec", nargs="?", help="TOML spec with an optional [exam] table (default: the built-in "
                                                "2-3-2 network)")
    parser.add_argument("--variants", type=whole_number, metavar="N", help="number of variants (V001 .. VN)")
    parser.add_argument("--seed", type=whole_number, required=True, metavar="S", help="random seed (a whole number >= 0)")
    parser.add_argument("-o", "--output", default="output/exam", metavar="DIR",
                        help="folder for the files (default: output/exam/)")
    parser.add_argument("--lang", default=catalogue.DEFAULT_LANGUAGE, metavar="L",
                        help=f"language of the fixed words: {', '.join(catalogue.languages())} (default en)")
    parser.add_argument("--pdf", action="store_true", help="also compile exam.pdf and key.pdf (in parallel)")
    for exporter in _online_formats():
        if getattr(exporter, "METAVAR", None):
            parser.add_argument(exporter.OPTION, metavar=exporter.METAVAR, dest=exporter.NAME, help=exporter.HELP)
        else:
            parser.add_argument(exporter.OPTION, action="store_true", dest=exporter.NAME, help=exporter.HELP)
    parser.add_argument("--stress", type=whole_number, metavar="M",
                        help="stress test: draw M variants, check them, print the tables; writes nothing")
    parser.add_argument("--template-dir", metavar="DIR",
                        help="templates here override the built-in ones of the same name")
    add_decimal_sign_arguments(parser)


def run(args) -> int:
    """Draw the variants, then write (and compile) the exam, the key, the manifest and the Moodle file."""
    spec = load_spec(args.spec)
    config = parse_exam(spec, source=args.spec or "built-in default")
    if args.stress is not None:
        return run_stress(spec, config, args)
    if args.variants is None:
        raise SpecError("--variants: expected the number of variants, e.g. --variants 30 (or --stress M)")
    _check_count("--variants", args.variants)
    catalogue.catalogue(args.lang)
    online = [exporter.NAME for exporter in _online_formats() if getattr(args, exporter.NAME)]
    formats = ["tex", "manifest"] + (["pdf"] if args.pdf else []) + online
    if args.pdf:
        require_tex()
    check_folder(args.output)
    with Progress("drawing  ", args.variants) as bar:
        variants = Drawer(spec, args.seed, config).draw(args.variants, bar.update)
    content = ExamContent(spec, config, args.lang, decimal_comma(args))
    with Progress("solving  ", len(variants)) as bar:
        contents = []
        for variant in variants:
            contents.append(content.variant(variant))
            bar.update()
    context = exam_context(content, args.seed, contents, moodle=args.moodle)
    manifest = build_manifest(spec, config, args.seed, variants)
    folders = {exporter.NAME: getattr(args, exporter.NAME) for exporter in _online_formats()
               if getattr(exporter, "METAVAR", None) and getattr(args, exporter.NAME)}
    export = ExamExport(context["exam"]["title"], args.seed, args.lang, context["statement"], contents,
                        content.messages, content.fmt, config, manifest, spec.network, context["diagram"],
                        content.derivation, {v.id: v.numbers for v in variants}, folders)

    def quiz() -> bytes:
        return exam_quiz(export.title, args.seed, export.pages(src=f"@@PLUGINFILE@@/{DIAGRAM_FILE}"),
                         content.messages, config.moodle, export.image(f"@@PLUGINFILE@@/{DIAGRAM_FILE}"))

    publication = Publication(DOCUMENTS, context, tuple(DOCUMENTS), args.template_dir, manifest=manifest, quiz=quiz,
                              extra={"exam": export})
    if args.pdf:
        with Progress("compiling", len(DOCUMENTS)) as bar:
            published = publish(publication, args.output, formats, bar.update)
    else:
        published = publish(publication, args.output, formats)
    for path in published.written:
        print(f"wrote {path}")
    for path in published.removed:
        print(f"removed {path} (made by an earlier run)")
    return 0


def run_stress(spec, config, args) -> int:
    """Draw, check and summarise; exit 1 when any answer or constraint fails."""
    _check_count("--stress", args.stress)
    started = time.monotonic()
    with Progress("stress   ", args.stress) as bar:
        report = stress(spec, args.stress, args.seed, config, bar.update)
    print(report_text(report, config))
    print(f"({time.monotonic() - started:.1f} s)", file=sys.stderr)
    return 0 if report.ok else 1


def _online_formats() -> list:
    """The exporters that an option of their own adds (--moodle, --qti, ...), from the exporter table."""
    return [exporter for exporter in EXPORTERS.values() if getattr(exporter, "OPTION", None)]


def _check_count(option: str, count: int) -> None:
    if not 1 <= count <= MAX_VARIANTS:
        raise SpecError(f"{option}: expected a whole number from 1 to {MAX_VARIANTS}, got {count}")
