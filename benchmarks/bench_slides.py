"""Whole-process time of `symbackprop slides` (no --pdf) against the 2 s target, next to the time of
`python -c "import symbackprop"` measured in the same run as the baseline.

Run: python benchmarks/bench_slides.py [--runs N] [--spec FILE]
"""
import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 2.0


def timed(command: list[str], cwd: str) -> float:
    """Seconds of one whole process, start to exit."""
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def median_of(command: list[str], runs: int, cwd: str) -> tuple[float, float]:
    """(median, max) seconds over runs, after one warm-up run."""
    timed(command, cwd)
    times = [timed(command, cwd) for _ in range(runs)]
    return statistics.median(times), max(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--spec", help="a spec file (default: the built-in 2-3-2 network)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        spec = [str(Path(args.spec).resolve())] if args.spec else []
        cases = [
            ('python -c "import symbackprop"', [sys.executable, "-c", "import symbackprop"]),
            ("symbackprop slides" + (f" {args.spec}" if args.spec else ""),
             [sys.executable, "-m", "symbackprop", "slides", *spec, "-o", "out"]),
            ("symbackprop slides --lang pt-BR", [sys.executable, "-m", "symbackprop", "slides", *spec, "--lang",
                                                 "pt-BR", "-o", "out"]),
            ("symbackprop handout --solutions", [sys.executable, "-m", "symbackprop", "handout", *spec,
                                                 "--solutions", "-o", "out"]),
        ]
        results = [(name, *median_of(command, args.runs, work)) for name, command in cases]
    baseline = results[0][1]
    print(f"{'command':<36} {'median s':>9} {'max s':>7} {'/ 2 s target':>13} {'/ import':>9}")
    for name, median, worst in results:
        print(f"{name:<36} {median:>9.3f} {worst:>7.3f} {median / TARGET_S:>13.2f} {median / baseline:>9.2f}")
    slides = results[1][1]
    verdict = "meets" if slides < TARGET_S else "MISSES"
    print(f"\nslides: median {slides:.3f} s over {args.runs} runs {verdict} the {TARGET_S:.0f} s target")
    return 0 if slides < TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
