"""Exam benchmark: 100 variants of the course's 2-3-2 network against the targets, next to same-run baselines.

Targets (2-core machine): .tex + manifest.json + moodle.xml in <= 10 s; exam.pdf + key.pdf in <= 60 s.
Each command runs as a fresh process (`python -m symbackprop ...`), so start-up and imports are counted.

Run: python benchmarks/bench_exam.py [--variants N] [--no-pdf]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TEX_TARGET_S = 10.0
PDF_TARGET_S = 60.0


def timed(command: list[str], cwd: Path) -> float:
    """Wall-clock seconds of one command; fails loudly when it fails."""
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", type=int, default=100)
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF compile")
    args = parser.parse_args()
    python = [sys.executable, "-m", "symbackprop"]
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-exam-") as folder:
        work = Path(folder)
        rows.append(("baseline: derive --json (default network)", timed(python + ["derive", "--json"], work), None))
        rows.append(("baseline: exam, 1 variant, tex+json+xml",
                     timed(python + ["exam", "--variants", "1", "--seed", "1", "--moodle", "-o", "one"], work), None))
        rows.append((f"exam, {args.variants} variants, tex+json+xml",
                     timed(python + ["exam", "--variants", str(args.variants), "--seed", "1", "--moodle", "-o",
                                     "many"], work), TEX_TARGET_S))
        if not args.no_pdf:
            compile_code = ("from pathlib import Path; from symbackprop.exporters import pdf; "
                            "from symbackprop.exporters.publication import Publication; "
                            "pdf.build(Publication({}, {}, ('exam.tex', 'key.tex')), Path('many'))")
            rows.append((f"exam.pdf + key.pdf, {args.variants} variants (parallel)",
                         timed([sys.executable, "-c", compile_code], work), PDF_TARGET_S))
            pages = {name: _pages(work / "many" / name) for name in ("exam.pdf", "key.pdf")}
    baseline = rows[0][1]
    print(f"{os.cpu_count()} cores; Python {sys.version.split()[0]}")
    print(f"{'benchmark':<48}{'seconds':>9}{'target':>8}{'ratio':>7}{'x derive':>10}")
    for name, seconds, target in rows:
        goal = f"{target:>8.0f}{seconds / target:>7.2f}" if target else f"{'-':>8}{'-':>7}"
        print(f"{name:<48}{seconds:>9.2f}{goal}{seconds / baseline:>10.1f}")
    if not args.no_pdf:
        print("pages: " + ", ".join(f"{name} {count}" for name, count in pages.items()))
    return 0 if all(target is None or seconds <= target for _, seconds, target in rows) else 1


def _pages(pdf: Path) -> str:
    try:
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")


if __name__ == "__main__":
    raise SystemExit(main())
