"""One base exception and one subclass per kind of failure the user can cause."""


class SymbackpropError(Exception):
    """Base class: the CLI prints these as one line and exits non-zero."""

    exit_code = 2


class SpecError(SymbackpropError):
    """The spec (TOML) is malformed or describes an invalid network."""


class QuantityError(SymbackpropError):
    """A quantity name does not exist for this network."""


class LatexParseError(SymbackpropError):
    """A LaTeX or ASCII expression could not be parsed."""


class ClaimsError(SymbackpropError):
    """A claims or answers file is malformed."""


class TexNotInstalledError(SymbackpropError):
    """latexmk or pdflatex is missing."""


class LatexBuildError(SymbackpropError):
    """latexmk failed; the .tex file is kept."""

    exit_code = 1


class DocumentError(SymbackpropError):
    """A template, language catalogue or document option is missing or invalid."""


class OptionError(SymbackpropError):
    """A command-line option has a value outside its range."""


class SettingError(SymbackpropError):
    """A setting the library was called with is out of range; the command line names it as its option."""

    def __init__(self, setting: str, problem: str):
        super().__init__(f"{setting}: {problem}")
        self.setting, self.problem = setting, problem


class OutputError(SymbackpropError, OSError):
    """An output file or folder cannot be written (also an OSError, with the errno and strerror of the cause)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def shown(value, limit: int = 60) -> str:
    """repr(value) cut to about `limit` characters, for echoing user input in a one-line message."""
    try:
        text = repr(value)
    except (RecursionError, ValueError):
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else f"{text[:limit - 15]}... ({len(text)} characters)"
