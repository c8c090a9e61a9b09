"""Write output files atomically (a temporary name in the same folder, then a rename); drop stale ones; one
run at a time per output folder."""
import contextlib
import os
import re
import shutil
import tempfile
from pathlib import Path

try:
    import fcntl
except ImportError:  # not on POSIX: runs into one folder are not serialised
    fcntl = None

from symbackprop.errors import OutputError

# Temporary names carry the writer's process id, so that a later run can tell an abandoned one from a live one:
# .NAME.PID.XXXX.tmp (a file being written, in the output folder) and .symbackprop-build-PID-XXXX (a PDF being
# built, in the system's temporary folder, never in the output folder).
LEFTOVER = re.compile(r"\.(?:.+\.(?P<file_pid>\d+)\..+\.tmp|.+-build-(?P<build_pid>\d+)-.+)")
BUILD_PREFIX = ".symbackprop-build-"
BUILD_LEFTOVER = re.compile(r"\.symbackprop-build-(?P<build_pid>\d+)-.+")


def check_folder(folder: str | Path, option: str = "output folder") -> Path:
    """Fail with one OutputError unless folder is (or can be created as) a folder this process may write to;
    creates nothing."""
    folder = Path(folder)
    existing = folder
    while existing != existing.parent:
        try:
            os.stat(existing)
            break
        except (FileNotFoundError, NotADirectoryError):
            existing = existing.parent
        except OSError as err:  # a name too long, a symlink loop
            raise OutputError(f"{option} {folder}: cannot write there ({_reason(err)}); expected a folder you "
                              f"can write to (a new or an existing one)") from err
    problem = None
    if not existing.is_dir():
        problem = "it is a file, not a folder" if existing == folder else f"{existing} is a file, not a folder"
    elif not os.access(existing, os.W_OK | os.X_OK):
        problem = "permission denied" if existing == folder else f"{existing} is not writable"
    if problem:
        raise OutputError(f"{option} {folder}: cannot write there ({problem}); expected a folder you can write "
                          f"to (a new or an existing one)")
    return folder


def write_atomic(path: str | Path, text: str) -> Path:
    """Write text to path so that a reader never sees a half-written file."""
    return write_all(Path(path).parent, {Path(path).name: text})[0]


def write_all(folder: str | Path, files: dict[str, str | bytes]) -> list[Path]:
    """Write {name: text or bytes} into folder: every file to a temporary name first, then all renamed; on any failure
    nothing of this call remains (earlier versions of the files stay as they were)."""
    folder = Path(folder)
    temporaries: list[tuple[str, Path]] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        mode = 0o666 & ~_umask()
        for name in files:
            if (folder / name).is_dir():
                raise IsADirectoryError(21, f"{name} is a folder")
        for name, text in files.items():
            handle, temporary = tempfile.mkstemp(prefix=f".{name}.{os.getpid()}.", suffix=".tmp", dir=folder)
            temporaries.append((name, Path(temporary)))
            if isinstance(text, bytes):  # a binary file (a zip package) is written as it is
                with os.fdopen(handle, "wb") as stream:
                    stream.write(text)
            else:
                with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                    stream.write(text)
            os.chmod(temporary, mode)
        for name, temporary in temporaries:
            os.replace(temporary, folder / name)
    except OSError as err:
        for _, temporary in temporaries:
            temporary.unlink(missing_ok=True)
        error = OutputError(f"{folder}: cannot write {', '.join(files)} ({_reason(err)}); expected a folder "
                            f"you can write to with free space")
        error.errno, error.strerror, error.filename = err.errno, err.strerror, err.filename
        raise error from err
    except BaseException:
        for _, temporary in temporaries:
            temporary.unlink(missing_ok=True)
        raise
    return [folder / name for name in files]


def install_file(source: str | Path, target: str | Path) -> Path:
    """Copy source (a built file, possibly on another file system) to target atomically: a temporary name beside
    target, then a rename."""
    target = Path(target)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream, open(source, "rb") as built:
            shutil.copyfileobj(built, stream)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def build_folder() -> Path:
    """A fresh private folder for one build in the system's temporary folder (the output folder never holds
    one, even when the run is killed); the folders of builds whose process has ended are removed first."""
    root = Path(tempfile.gettempdir())
    clean_leftovers(root, BUILD_LEFTOVER)
    return Path(tempfile.mkdtemp(prefix=f"{BUILD_PREFIX}{os.getpid()}-", dir=root))


@contextlib.contextmanager
def folder_lock(folder: str | Path, option: str = "output folder"):
    """Hold the output folder for this run alone (created if needed): a second run into the same folder at the
    same time stops with one OutputError instead of mixing its files with this run's."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError as err:
        raise OutputError(f"{option} {folder}: cannot write there ({_reason(err)}); expected a folder you can "
                          f"write to (a new or an existing one)") from err
    try:
        if fcntl is not None:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as err:
                raise OutputError(f"{option} {folder}: another symbackprop run is writing there now; wait for it "
                                  f"to finish or choose another folder") from err
        yield folder
    finally:
        os.close(descriptor)  # closing the descriptor releases the lock


def remove_stale(paths) -> list[Path]:
    """Delete earlier outputs that this run does not rewrite (a PDF of an older .tex); returns those removed."""
    removed = []
    paths = [Path(path) for path in paths]
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            raise OutputError(f"{path}: a folder where this run writes a file; expected no folder of that name "
                              f"(move or rename it)")
    for path in paths:
        if path.is_file():
            path.unlink()
            removed.append(path)
    return removed


def clean_leftovers(folder: str | Path, pattern: re.Pattern = LEFTOVER) -> list[Path]:
    """Remove what an interrupted run left in folder (temporary files, build folders) whose process has ended."""
    folder = Path(folder)
    removed = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        groups = match.groupdict() if match else {}
        if not match or _alive(int(groups.get("file_pid") or groups["build_pid"])):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(entry)
    return removed


def _alive(pid: int) -> bool:
    """True while process pid runs (this one included)."""
    if pid == os.getpid():
        return True
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except PermissionError:
        return True  # another user's process
    except (ProcessLookupError, OverflowError, ValueError):
        return False
    return True


def _reason(err: OSError) -> str:
    return err.strerror or str(err)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
