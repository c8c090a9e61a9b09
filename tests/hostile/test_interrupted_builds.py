"""kill -9 during `slides --pdf` and `exam --pdf`: no half-written file under a final name, no PDF beside a .tex
it was not built from, no build folder in the output folder, and the next build removes the private build folders
the killed one left in the temporary folder. Two runs into one folder at once: the second stops with one line."""
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from symbackprop.cli import main

pytestmark = pytest.mark.tex
ROOT = Path(__file__).resolve().parents[2]
OLD_PDF = b"%PDF-1.5 from an earlier run\n"
BUILDS = ".symbackprop-build-*"


def start(argv: list[str], temporary: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(temporary)}
    return subprocess.Popen([sys.executable, "-m", "symbackprop", *argv], env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_for_build(process: subprocess.Popen, temporary: Path) -> None:
    deadline = time.monotonic() + 120
    while not list(temporary.glob(BUILDS)):
        assert process.poll() is None, "the command ended before its build started"
        assert time.monotonic() < deadline, "no build folder appeared"
        time.sleep(0.05)


def kill_during_build(process: subprocess.Popen, temporary: Path) -> list[Path]:
    """SIGKILL the command once its private build folder exists; returns the build folders left."""
    wait_for_build(process, temporary)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    left = list(temporary.glob(BUILDS))
    try:
        os.killpg(process.pid, signal.SIGKILL)  # the orphaned latexmk, so that it stops writing into its folder
    except ProcessLookupError:
        pass
    return left


def final_names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if not path.name.startswith("."))


@pytest.fixture
def temporary(tmp_path, monkeypatch):
    """A temporary folder of the test's own, for this process and the commands it starts."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_kill_during_slides_build_leaves_nothing_in_the_folder_and_the_next_build_cleans_up(tmp_path, temporary):
    out = tmp_path / "out"
    out.mkdir()
    (out / "slides.pdf").write_bytes(OLD_PDF)
    left = kill_during_build(start(["slides", "--pdf", "-o", str(out)], temporary), temporary)
    assert left, "the killed build left its private folder"
    assert sorted(path.name for path in out.iterdir()) == ["slides.tex", "slides_body.tex"]  # no dot file either
    assert (out / "slides.tex").read_text().endswith("\\end{document}\n")
    assert main(["slides", "--pdf", "-o", str(out)]) == 0
    assert not list(temporary.glob(BUILDS)), "the killed build's folder remains"
    assert sorted(path.name for path in out.iterdir()) == ["slides.pdf", "slides.tex", "slides_body.tex"]


def test_kill_during_exam_build_leaves_nothing_in_the_folder(tmp_path, temporary):
    out = tmp_path / "out"
    out.mkdir()
    for name in ("exam.pdf", "key.pdf"):
        (out / name).write_bytes(OLD_PDF)
    argv = ["exam", "--variants", "2", "--seed", "5", "--pdf", "-o", str(out)]
    assert kill_during_build(start(argv, temporary), temporary)
    assert sorted(path.name for path in out.iterdir()) == ["exam.tex", "key.tex", "manifest.json"]
    assert (out / "key.tex").read_text().endswith("\\end{document}\n")
    assert main(argv) == 0
    assert not list(out.glob(".*")) and not list(temporary.glob(BUILDS))
    assert final_names(out) == ["exam.pdf", "exam.tex", "key.pdf", "key.tex", "manifest.json"]
    assert (out / "exam.pdf").read_bytes().startswith(b"%PDF") and (out / "exam.pdf").read_bytes() != OLD_PDF


def test_a_second_run_into_a_busy_folder_stops_with_one_line_and_leaves_the_first_runs_files(tmp_path, temporary,
                                                                                            capsys):
    out = tmp_path / "out"
    first = start(["exam", "--variants", "2", "--seed", "5", "--pdf", "-o", str(out)], temporary)
    wait_for_build(first, temporary)  # the first run holds the folder while its PDFs build
    assert main(["exam", "--variants", "2", "--seed", "6", "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"symbackprop: error: output folder {out}: another symbackprop run is writing there now; "
                   f"wait for it to finish or choose another folder"]
    assert first.wait(timeout=300) == 0, first.stderr.read().decode()
    assert final_names(out) == ["exam.pdf", "exam.tex", "key.pdf", "key.tex", "manifest.json"]
    assert '"seed": 5' in (out / "manifest.json").read_text()
