"""Message catalogues: every fixed word of the documents, one TOML file per language."""
import tomllib
from functools import lru_cache
from importlib import resources

from symbackprop.errors import DocumentError

DEFAULT_LANGUAGE = "en"


def languages() -> list[str]:
    """The available language codes (one catalogue file each), sorted."""
    folder = resources.files("symbackprop.notation").joinpath("locales")
    return sorted(entry.name[:-len(".toml")] for entry in folder.iterdir() if entry.name.endswith(".toml"))


@lru_cache(maxsize=None)
def catalogue(lang: str = DEFAULT_LANGUAGE) -> dict:
    """The catalogue of one language; an unknown code fails naming the available ones."""
    available = languages()
    if lang not in available:
        raise DocumentError(f"unknown language {lang!r}; available: {', '.join(available)}")
    text = resources.files("symbackprop.notation").joinpath("locales", f"{lang}.toml").read_text(encoding="utf-8")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise DocumentError(f"locales/{lang}.toml: malformed catalogue: {err}") from err


def function_name(messages: dict, table: str, name: str) -> str:
    """A function's display name from a catalogue table, or its code name when the table has none."""
    return messages.get(table, {}).get(name, name.replace("_", " "))


def fill(message: str, **values) -> str:
    """A catalogue message with its ((name)) placeholders filled in."""
    for key, value in values.items():
        message = message.replace(f"(({key}))", str(value))
    return message
