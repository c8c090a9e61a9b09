"""Reading the user's files: one clear line naming the file, the reason and what was expected."""
from pathlib import Path

from symbackprop.errors import SpecError


def read_text(path: str | Path, what: str, expected: str, error=SpecError, encoding: str = "utf-8",
              prefix: str = "") -> str:
    """The text of a file the user named, or `error` saying why it cannot be read."""
    path = Path(path)
    try:
        return path.read_text(encoding=encoding)
    except (OSError, UnicodeDecodeError) as err:
        reason = getattr(err, "strerror", None) or err
        raise error(f"{prefix}{path}: cannot read the {what} ({reason}); expected {expected}") from err
