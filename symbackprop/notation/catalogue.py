"""Message catalogues: every fixed word of the documents, one TOML file per language."""
import tomllib
from functools import lru_cache
from importlib import resources

from symbackprop.errors import DocumentError, SpecError
from symbackprop.model import functions

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
        messages = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise DocumentError(f"locales/{lang}.toml: malformed catalogue: {err}") from err
    messages.setdefault("meta", {})["code"] = lang
    return messages


# catalogue table -> (kind of entry, which of its names)
_FUNCTION_TABLES = {"activation": ("activation", "title"), "activation_short": ("activation", "short"),
                    "activation_derivative": ("activation", "derivative_title"), "loss": ("loss", "title")}


def function_name(messages: dict, table: str, name: str, network=None) -> str:
    """A function's name in the catalogue's language: the catalogue's own table if it has one (a language
    may name functions there), else the entry's name in that language, else in English, else its code name."""
    if name in messages.get(table, {}):
        return messages[table][name]
    kind, which = _FUNCTION_TABLES[table]
    try:
        entry = functions.activation(name, network) if kind == "activation" else functions.loss(name, network)
    except SpecError:
        return name.replace("_", " ")
    text = entry.title(messages.get("meta", {}).get("code", DEFAULT_LANGUAGE), which)
    if not text:  # a spec's own function is named once: its derivative's title is made from the name
        text = fill(messages["function_derivative"], name=function_name(messages, "activation", name, network))
    return text


def fill(message: str, **values) -> str:
    """A catalogue message with its ((name)) placeholders filled in."""
    for key, value in values.items():
        message = message.replace(f"(({key}))", str(value))
    return message
