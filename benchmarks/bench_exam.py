"""Exam benchmark: 100 variants of the course's 2-3-2 network against the targets, next to same-run baselines.

Targets (2-core machine): .tex + manifest.json + moodle.xml in <= 10 s; exam.pdf + key.pdf in <= 60 s.
Each command runs as a fresh process (`python -m symbackprop ...`), so start-up and imports are counted.

Run: python benchmarks/bench_exam.py [--variants N] [--no-pdf] [--audit [--baseline-code DIR]]

--audit draws 150 variants (seed 1) of the default exam and of a 2-2-1 ReLU/sigmoid/bce exam and counts, from
manifest.json alone and in plain Python, the answers whose tolerance accepts a known wrong answer (the weight
before its update, 0, ±1, the sign flip) and the widest tolerance relative to an answer's scale (|value|, or
|update| for an updated weight). --baseline-code runs the same audit with another checkout's code (e.g. main).
"""
import argparse
import json
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


AUDIT_SPEC_221 = """title = "2-2-1"
[network]
layers = [2, 2, 1]
activations = ["relu", "sigmoid"]
loss = "bce"
"""


def accepted(answer: dict, candidate: float) -> bool:
    """The manifest's acceptance rule: |a - v| <= max(abs_tol, rel_tol |v|)."""
    return abs(candidate - answer["value"]) <= max(answer["abs_tol"], answer["rel_tol"] * abs(answer["value"]))


def audit_manifest(manifest: dict) -> dict:
    """Counts of accepted wrong answers and the widest relative tolerance, from the manifest alone."""
    found = {"variants": len(manifest["variants"]), "not_updated": 0, "trivial": 0, "widest": 0.0, "widest_name": "",
             "gradient": 0.0}
    for variant in manifest["variants"]:
        values = variant["values"]
        for name, answer in variant["answers"].items():
            value = answer["value"]
            tolerance = max(answer["abs_tol"], answer["rel_tol"] * abs(value))
            if name.startswith("step1."):
                before = values[name[len("step1."):]]
                found["not_updated"] += accepted(answer, before)
                scale = abs(value - before)
            else:
                scale = abs(value)
            found["trivial"] += any(accepted(answer, w) and abs(w - value) > 1e-12 for w in (0.0, 1.0, -1.0, -value))
            if scale and name.startswith("dL/d"):
                found["gradient"] = max(found["gradient"], tolerance / scale)
            if scale and tolerance / scale > found["widest"]:
                found["widest"], found["widest_name"] = tolerance / scale, name
    return found


def audit(code: Path, work: Path, label: str) -> list[tuple]:
    """The audit rows of one checkout's code."""
    spec = work / "s221.toml"
    spec.write_text(AUDIT_SPEC_221, encoding="utf-8")
    rows = []
    environment = {**os.environ, "PYTHONPATH": str(code)}
    for name, spec_args in (("default 2-3-2", []), ("2-2-1 relu/sigmoid/bce", [str(spec)])):
        out = work / f"{label}-{len(rows)}"
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "symbackprop", "exam", *spec_args, "--variants", "150", "--seed", "1",
                        "-o", str(out)], check=True, stdout=subprocess.DEVNULL, env=environment, cwd=work)
        seconds = time.perf_counter() - start
        found = audit_manifest(json.loads((out / "manifest.json").read_text(encoding="utf-8")))
        rows.append((label, name, found, seconds))
    return rows


def run_audit(baseline: Path | None) -> int:
    """Print the audit table: this checkout, and the baseline checkout when given, measured in the same run."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-exam-audit-") as folder:
        if baseline is not None:
            rows += audit(baseline, Path(folder), "baseline")
        rows += audit(Path(__file__).resolve().parents[1], Path(folder), "this code")
    print(f"{os.cpu_count()} cores; load {os.getloadavg()[0]:.1f}; 150 variants, seed 1")
    print(f"{'code':<11}{'exam':<25}{'not updated ok':>15}{'0/±1/-v ok':>12}{'gradient tol':>13}{'widest tol':>11}  {'of':<16}"
          f"{'seconds':>8}")
    for label, name, found, seconds in rows:
        print(f"{label:<11}{name:<25}{found['not_updated']:>11}/{found['variants']:<3}{found['trivial']:>12}"
              f"{100 * found['gradient']:>12.2f}%{100 * found['widest']:>10.2f}%  {found['widest_name']:<16}{seconds:>8.2f}")
    return 0 if all(found["not_updated"] == 0 for label, _, found, _ in rows if label == "this code") else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", type=int, default=100)
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF compile")
    parser.add_argument("--audit", action="store_true", help="count accepted wrong answers instead of timing")
    parser.add_argument("--baseline-code", type=Path, help="with --audit: another checkout to measure alike")
    args = parser.parse_args()
    if args.audit:
        return run_audit(args.baseline_code)
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
