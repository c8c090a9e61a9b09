"""HTML pages from the package's Jinja templates (an HTML environment: every value autoescaped)."""
from functools import lru_cache

import jinja2

from symbackprop.web.exercise import Exercise, ExerciseSet
from symbackprop.web.messages import messages
from symbackprop.web.view import exercise_view

SECTIONS = ("forward", "loss", "backward", "update", "closed_form")


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The HTML environment: package templates only, autoescape on, undefined values an error."""
    return jinja2.Environment(loader=jinja2.PackageLoader("symbackprop.web", "templates"),
                              autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                              lstrip_blocks=True)


def view(exercises: ExerciseSet, exercise: Exercise, lang: str) -> dict:
    """What GET /api/exercise answers (cached per variant and language)."""
    return _view(exercises, exercise.id, lang)


@lru_cache(maxsize=256)
def _view(exercises: ExerciseSet, variant: str, lang: str) -> dict:
    return exercise_view(exercises, exercises.exercises[variant], lang)


def student_page(exercises: ExerciseSet, exercise: Exercise | None, lang: str, links: list, *, variant, student,
                 problem: str, record: bool, reveal: bool) -> str:
    """The student page: the start form (variant, student id) or the exercise with one input per question."""
    words = messages(lang)
    content = view(exercises, exercise, lang) if exercise is not None else None
    sections = []
    if content is not None:
        for section in SECTIONS:
            questions = [(n, q) for n, q in enumerate(content["questions"]) if q["section"] == section]
            if questions:
                sections.append({"key": section, "title": words[f"section_{section}"], "questions": questions})
    data = {"lang": lang, "variant": variant if exercises.needs_variant else None, "student": student,
            "record": record, "reveal": reveal, "words": words}
    return environment().get_template("student.html.j2").render(
        t=words, lang=lang, links=links, content=content, sections=sections, data=data, problem=problem,
        needs_variant=exercises.needs_variant, record=record, variant=variant or "", student=student or "")


def teacher_page(lang: str, links: list) -> str:
    """The dashboard's frame; its data comes from the token-protected API."""
    words = messages(lang)
    return environment().get_template("teacher.html.j2").render(t=words, lang=lang, links=links,
                                                                data={"lang": lang, "words": words})
