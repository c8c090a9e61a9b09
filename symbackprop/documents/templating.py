"""Jinja environment for LaTeX: nbconvert delimiters, StrictUndefined, one filter table, template lookup."""
from functools import lru_cache
from pathlib import Path

import jinja2

from symbackprop.errors import DocumentError
from symbackprop.notation.catalogue import fill
from symbackprop.notation.numbers_in_math import NumberFormat

LATEX_SPECIALS = {
    "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
    "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\\": r"\textbackslash{}",
}


def escape_latex(text) -> str:
    """User text made safe for LaTeX: & % $ # _ { } ~ ^ \\ print as themselves."""
    return "".join(LATEX_SPECIALS.get(char, char) for char in str(text))


def num(value: float, fmt: NumberFormat | None = None) -> str:
    """A number for math mode in the given format (default: 4 decimals, decimal point)."""
    return (fmt or NumberFormat()).tex(value)


def factor(value: float, fmt: NumberFormat | None = None) -> str:
    """A number as a factor of a product: negative numbers in parentheses."""
    return (fmt or NumberFormat()).factor(value)


def _in_context_format(function):
    """A number filter that takes the format from the template's `fmt` variable."""
    @jinja2.pass_context
    def filter_(context, value):
        fmt = context.get("fmt")
        return function(value, fmt if isinstance(fmt, NumberFormat) else None)
    return filter_


FILTERS = {
    "escape_latex": escape_latex,
    "fill": fill,
    "num": _in_context_format(num),
    "factor": _in_context_format(factor),
}


def builtin_template_dir() -> Path:
    """The built-in templates: symbackprop/templates."""
    return Path(__file__).resolve().parent.parent / "templates"


@lru_cache(maxsize=8)
def environment(template_dir: str | None = None) -> jinja2.Environment:
    """The Jinja environment: templates in template_dir first, then the built-in ones."""
    loaders = [jinja2.FileSystemLoader(template_dir)] if template_dir else []
    loaders.append(jinja2.FileSystemLoader(str(builtin_template_dir())))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        block_start_string="((*", block_end_string="*))",
        variable_start_string="(((", variable_end_string=")))",
        comment_start_string="((=", comment_end_string="=))",
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, autoescape=False,
    )
    env.filters.update(FILTERS)
    return env


def render(template_name: str, context: dict, template_dir: str | Path | None = None) -> str:
    """Render one template to a string; Jinja failures become one-line DocumentErrors."""
    if template_dir is not None and not Path(template_dir).is_dir():
        raise DocumentError(f"--template-dir {template_dir}: not a directory")
    env = environment(str(template_dir) if template_dir is not None else None)
    try:
        return env.get_template(template_name).render(context)
    except jinja2.TemplateNotFound as err:
        where = f"{template_dir} or the built-in templates" if template_dir else "the built-in templates"
        raise DocumentError(f"template {err.name!r} not found in {where}") from err
    except jinja2.TemplateSyntaxError as err:
        raise DocumentError(f"{err.filename or err.name}:{err.lineno}: template syntax error: {err.message}") from err
    except jinja2.UndefinedError as err:
        raise DocumentError(f"template {template_name!r}: {err.message}") from err
