"""The pdf format: each compiled .tex built with latexmk, in parallel, after the sources are written."""
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path
from typing import Callable

from symbackprop.documents.latexmk import build_pdf, require_tex
from symbackprop.exporters.publication import Publication

NAME = "pdf"
BUILDS = True


def files(publication: Publication) -> list[str]:
    """The file names this format writes."""
    return [name.removesuffix(".tex") + ".pdf" for name in publication.compiled]


def prepare() -> None:
    """Fail before any work when latexmk or pdflatex is missing."""
    require_tex()


def build(publication: Publication, folder: Path, progress: Callable[[int], None] | None = None) -> list[Path]:
    """Compile the written .tex files (one latexmk each, in parallel); errors raise after all have ended."""
    paths = [folder / name for name in publication.compiled]
    if not paths:
        return []
    with ThreadPoolExecutor(max_workers=len(paths)) as pool:
        futures = [pool.submit(build_pdf, path) for path in paths]
        pending = set(futures)
        while pending:
            _, pending = wait(pending, timeout=0.5)
            if progress:
                progress(len(futures) - len(pending))
        return [future.result() for future in futures]
