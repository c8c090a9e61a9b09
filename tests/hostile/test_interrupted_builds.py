"""kill -9 during `slides --pdf` and `exam --pdf`: no half-written file under a final name, no PDF beside a .tex
it was not built from, and the next run removes the build folders the killed one left behind."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from symbackprop.cli import main

pytestmark = pytest.mark.tex
ROOT = Path(__file__).resolve().parents[2]
OLD_PDF = b"%PDF-1.5 from an earlier run\n"


def start(argv: list[str]) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "symbackprop", *argv], env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def kill_during_build(process: subprocess.Popen, folder: Path, pattern: str) -> list[Path]:
    """SIGKILL the command once a build folder matching pattern exists; returns the build folders left."""
    deadline = time.monotonic() + 120
    while not list(folder.glob(pattern)):
        assert process.poll() is None, "the command ended before its build started"
        assert time.monotonic() < deadline, "no build folder appeared"
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    left = list(folder.glob(pattern))
    try:
        os.killpg(process.pid, signal.SIGKILL)  # the orphaned latexmk, so that it stops writing into its folder
    except ProcessLookupError:
        pass
    return left


def final_names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if not path.name.startswith("."))


def test_kill_during_slides_build_leaves_no_stale_pdf_and_the_next_run_cleans_up(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "slides.pdf").write_bytes(OLD_PDF)
    left = kill_during_build(start(["slides", "--pdf", "-o", str(out)]), out, ".slides-build-*")
    assert left, "the killed build left its folder"
    assert final_names(out) == ["slides.tex", "slides_body.tex"]  # the old PDF went before the build began
    assert (out / "slides.tex").read_text().endswith("\\end{document}\n")
    assert main(["slides", "-o", str(out)]) == 0
    assert not list(out.glob(".*")), "leftovers of the killed run remain"
    assert final_names(out) == ["slides.tex", "slides_body.tex"]


def test_kill_during_exam_build_leaves_no_stale_pdf_and_the_next_run_cleans_up(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for name in ("exam.pdf", "key.pdf"):
        (out / name).write_bytes(OLD_PDF)
    argv = ["exam", "--variants", "2", "--seed", "5", "--pdf", "-o", str(out)]
    left = kill_during_build(start(argv), out, ".*-build-*")
    assert left
    assert final_names(out) == ["exam.tex", "key.tex", "manifest.json"]
    assert (out / "key.tex").read_text().endswith("\\end{document}\n")
    assert main(argv) == 0
    assert not list(out.glob(".*"))
    assert final_names(out) == ["exam.pdf", "exam.tex", "key.pdf", "key.tex", "manifest.json"]
    assert (out / "exam.pdf").read_bytes().startswith(b"%PDF") and (out / "exam.pdf").read_bytes() != OLD_PDF
