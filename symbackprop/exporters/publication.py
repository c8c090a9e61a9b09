"""What a document command hands the output pipeline: templates, their context and the exam's data."""
from dataclasses import dataclass, field
from typing import Callable


@dataclass(frozen=True)
class Publication:
    """One command's output: {file name: template} rendered with context, and what other formats need."""

    templates: dict[str, str]  # file name -> template name, e.g. {"slides.tex": "slides.tex.j2"}
    context: dict
    compiled: tuple[str, ...] = ()  # the .tex files that the pdf format compiles
    template_dir: str | None = None
    manifest: dict | None = None  # exams: the manifest object
    quiz: Callable[[], bytes] | None = None  # exams: the Moodle XML, made only when asked for
    extra: dict = field(default_factory=dict)  # what a format added later needs (one key per format)
