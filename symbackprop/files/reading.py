"""Reading the user's files: regular files of bounded size only, one clear line naming file, reason and fix."""
import os
import stat
from pathlib import Path

from symbackprop.errors import SpecError

MAX_BYTES = 16 * 1024 * 1024  # no spec, claims file, manifest or template is anywhere near this


def read_text(path: str | Path, what: str, expected: str, error=SpecError, encoding: str = "utf-8",
              prefix: str = "", max_bytes: int = MAX_BYTES) -> str:
    """The text of a regular file the user named, or `error` saying why it cannot be read.

    Devices (/dev/zero), FIFOs and folders are refused without reading from them; so are files larger than
    max_bytes and text that is not in the expected encoding."""
    data = read_bytes(path, what, expected, error, prefix, max_bytes)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        raise error(f"{prefix}{path}: cannot read the {what} (not {encoding.upper().removesuffix('-SIG')} text: "
                    f"byte {err.start + 1} is invalid); expected {expected}") from err
    return text.replace("\r\n", "\n").replace("\r", "\n")  # universal newlines, as open() reads text


def read_bytes(path: str | Path, what: str, expected: str, error=SpecError, prefix: str = "",
               max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most max_bytes, or `error` saying why it cannot be read."""
    path = Path(path)

    def refuse(reason: str, err: BaseException | None = None):
        raise error(f"{prefix}{path}: cannot read the {what} ({reason}); expected {expected}") from err

    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except (OSError, ValueError) as err:
        refuse(getattr(err, "strerror", None) or str(err), err)
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            refuse("it is a folder")
        if not stat.S_ISREG(mode):
            refuse("not a regular file")
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            data = stream.read(max_bytes + 1)
    except OSError as err:
        refuse(err.strerror or str(err), err)
    finally:
        os.close(descriptor)
    if len(data) > max_bytes:
        refuse(f"larger than {_size(max_bytes)}")
    return data


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MB" if count >= 1024 * 1024 else f"{count} bytes"
