"""The pages' words (the [web] table of each language's catalogue), and language choice."""
from functools import lru_cache

from symbackprop.checking.mistakes import MISTAKES
from symbackprop.notation import catalogue

DEFAULT_LANGUAGE = catalogue.DEFAULT_LANGUAGE


def languages() -> list[str]:
    """Language codes of the catalogues (symbackprop/notation/locales), sorted."""
    return catalogue.languages()


@lru_cache(maxsize=None)
def messages(lang: str = DEFAULT_LANGUAGE) -> dict:
    """The page words of one language (a known code: see languages()), with each mistake's hint and name."""
    return {**catalogue.catalogue(lang)["web"],
            "mistakes": {key: mistake.text(lang, "hint") for key, mistake in MISTAKES.items()},
            "mistake_names": {key: mistake.text(lang, "name") for key, mistake in MISTAKES.items()}}


def negotiate(requested: str | None, accept_language: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """The language to show: an explicit known choice, else the best known Accept-Language entry, else default."""
    known = languages()
    by_lower = {code.lower(): code for code in known}
    if requested and requested.lower() in by_lower:
        return by_lower[requested.lower()]
    choices = []
    for position, part in enumerate((accept_language or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        choices.append((-weight, position, tag.strip().lower()))
    for _, _, tag in sorted(choices):
        if tag in by_lower:
            return by_lower[tag]
        prefix = tag.split("-")[0]
        for code in known:
            if code.lower().split("-")[0] == prefix and prefix:
                return code
    return default


def fill(message: str, **values) -> str:
    """A message with its ((name)) placeholders filled in."""
    return catalogue.fill(message, **values)
