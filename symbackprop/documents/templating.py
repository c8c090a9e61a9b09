"""Jinja environment for LaTeX: a sandbox, nbconvert delimiters, StrictUndefined, one filter table, lookup."""
import operator
import os
import stat
import traceback
from functools import lru_cache
from pathlib import Path

import jinja2
import jinja2.sandbox

from symbackprop.documents.text_characters import latex_characters
from symbackprop.errors import DocumentError, SettingError, SymbackpropError
from symbackprop.files.reading import read_text
from symbackprop.notation.catalogue import fill
from symbackprop.notation.number_format import as_written
from symbackprop.notation.numbers_in_math import NumberFormat

LATEX_SPECIALS = {
    "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
    "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\\": r"\textbackslash{}",
}


def escape_latex(text) -> str:
    """User text made safe for LaTeX: & % $ # _ { } ~ ^ \\ print as themselves, Greek letters and math symbols
    become \\ensuremath commands, characters the fonts lack raise a DocumentError naming them."""
    return latex_characters(str(text), LATEX_SPECIALS)


def num(value: float, fmt: NumberFormat | None = None) -> str:
    """A number for math mode in the given format (default: 4 decimals, decimal point)."""
    return (fmt or NumberFormat()).tex(value)


def factor(value: float, fmt: NumberFormat | None = None) -> str:
    """A number as a factor of a product: negative numbers in parentheses."""
    return (fmt or NumberFormat()).factor(value)


def setting(value: float, fmt: NumberFormat | None = None) -> str:
    """A spec setting (η, α) for math mode as the spec writes it: η = 0.5, not 0.5000."""
    return as_written(value, (fmt or NumberFormat()).decimal_comma, math=True)


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
    "setting": _in_context_format(setting),
}


def builtin_template_dir() -> Path:
    """The built-in templates: the project's templates/ folder (a wheel ships it as symbackprop/templates)."""
    package = Path(__file__).resolve().parent.parent
    shipped = package / "templates"
    return shipped if shipped.is_dir() else package.parent / "templates"


MAX_TEMPLATE_BYTES = 1024 * 1024
MAX_SEQUENCE = 1_000_000  # items or characters a template may build with * (a string times a number)
MAX_EXPONENT = 1000


class UserTemplateLoader(jinja2.BaseLoader):
    """Templates in the user's folder: regular UTF-8 files only; a name that is not in it falls through."""

    def __init__(self, folder: str):
        self.folder = Path(folder)

    def get_source(self, environment, template):
        path = self.folder.joinpath(*jinja2.loaders.split_template_path(template))
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            raise jinja2.TemplateNotFound(template) from None
        except OSError as err:
            raise DocumentError(f"template {path}: cannot read it ({err.strerror})") from err
        if not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
            raise DocumentError(f"template {path}: {kind}; expected a UTF-8 template file "
                                f"(or no file of that name, to use the built-in one)")
        text = read_text(path, "template", "a UTF-8 template file", DocumentError, prefix="template ",
                         max_bytes=MAX_TEMPLATE_BYTES)
        mtime = os.stat(path).st_mtime_ns
        return text, str(path), lambda: path.exists() and os.stat(path).st_mtime_ns == mtime


class LatexSandbox(jinja2.sandbox.SandboxedEnvironment):
    """Jinja's sandbox (no access to Python internals) that also refuses huge products and powers."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator_name, left, right):
        if operator_name == "**":
            if isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
                raise jinja2.sandbox.SecurityError(f"exponent {right} is larger than {MAX_EXPONENT}")
            return operator.pow(left, right)
        for sequence, count in ((left, right), (right, left)):
            if isinstance(sequence, (str, list, tuple)) and isinstance(count, int) and \
                    len(sequence) * count > MAX_SEQUENCE:
                raise jinja2.sandbox.SecurityError(f"a sequence of {len(sequence) * count} items is larger "
                                                   f"than {MAX_SEQUENCE}")
        return operator.mul(left, right)


@lru_cache(maxsize=8)
def environment(template_dir: str | None = None) -> jinja2.Environment:
    """The sandboxed Jinja environment: templates in template_dir first, then the built-in ones."""
    loaders = [UserTemplateLoader(template_dir)] if template_dir else []
    loaders.append(jinja2.FileSystemLoader(str(builtin_template_dir())))
    env = LatexSandbox(
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
    """Render one template to a string; every template failure becomes a one-line DocumentError."""
    if template_dir is not None and not Path(template_dir).is_dir():
        raise SettingError("template_dir", f"{template_dir}: not a folder")
    env = environment(str(template_dir) if template_dir is not None else None)
    try:
        return env.get_template(template_name).render(context)
    except SymbackpropError:
        raise
    except jinja2.TemplateNotFound as err:
        where = f"{template_dir} or the built-in templates" if template_dir else "the built-in templates"
        raise DocumentError(f"template {err.name!r} not found in {where}") from err
    except jinja2.TemplateSyntaxError as err:
        raise DocumentError(f"{err.filename or err.name}:{err.lineno}: template syntax error: {err.message}") from err
    except jinja2.UndefinedError as err:
        raise DocumentError(f"template {template_name!r}: {err.message}") from err
    except jinja2.sandbox.SecurityError as err:
        raise DocumentError(f"{_where(err, template_name)}: refused by the template sandbox: {err}") from err
    except RecursionError as err:
        raise DocumentError(f"{_where(err, template_name)}: templates include or call each other without end; "
                            f"expected no template to include itself") from err
    except (Exception, MemoryError) as err:  # a user template's own arithmetic or method call failed
        raise DocumentError(f"{_where(err, template_name)}: the template raised {type(err).__name__}: "
                            f"{str(err)[:200]}") from err


def _where(err: BaseException, template_name: str) -> str:
    """file:line of the innermost template frame of an error, else the template's name."""
    frames = [frame for frame in traceback.extract_tb(err.__traceback__) if frame.filename.endswith(".j2")]
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else f"template {template_name!r}"
