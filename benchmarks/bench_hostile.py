"""How long each hostile input takes to be refused: the largest time per case of tests/hostile/corpus.py, plus
the cases too slow for the unit tests (impossible exam constraints with a huge max_attempts), next to a
baseline measured in the same run (`derive` of the built-in spec, which succeeds).

Run: python benchmarks/bench_hostile.py [--repeat N] [--quick]
"""
import argparse
import collections
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.hostile.corpus import CASES, DEFAULT, Case, prepare, run_cli, spec  # noqa: E402

IMPOSSIBLE = (
    Case("spec", "out of range", "min_gradient 1e9, max_attempts 1e6 (hopeless start)",
         ("exam", "{tmp}/spec.toml", "--seed", "1", "--variants", "3", "-o", "{tmp}/out"), "min_gradient",
         {"spec.toml": spec(append="\n[exam.constraints]\nmin_gradient = 1e9\nmax_attempts = 1000000\n")}),
    Case("spec", "out of range", "saturation 0, max_attempts 1e6 (hopeless start)",
         ("exam", "{tmp}/spec.toml", "--seed", "1", "--variants", "3", "-o", "{tmp}/out"), "saturation",
         {"spec.toml": spec(append="\n[exam.constraints]\nsaturation = 0\nmax_attempts = 1000000\n")}),
)
BASELINE = Case("spec", "valid", "derive of the built-in spec", ("derive", "{tmp}/spec.toml"), "",
                {"spec.toml": DEFAULT})


def time_case(case: Case, repeat: int) -> tuple[float, int, str]:
    """(largest seconds over `repeat` runs, exit code, first stderr line) of one case, each in a fresh folder."""
    largest, code, line = 0.0, 0, ""
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as folder:
            here = os.getcwd()
            os.chdir(folder)
            try:
                argv = prepare(case, Path(folder))
                started = time.perf_counter()
                code, _, err = run_cli(argv, guard_seconds=600)
                largest = max(largest, time.perf_counter() - started)
            finally:
                os.chdir(here)
        line = (err.splitlines() or [""])[0]
    return largest, code, line


def sandbox_cost(repeat: int) -> tuple[float, float, bool]:
    """(sandboxed, unsandboxed) best seconds to render the default slides, and whether the outputs agree."""
    import jinja2

    from symbackprop.documents import templating
    from symbackprop.documents.context import DocumentOptions, slides_context
    from symbackprop.model.spec import load_spec

    context = slides_context(load_spec(None), DocumentOptions())
    sandboxed = templating.environment(None)
    plain = jinja2.Environment(loader=sandboxed.loader, undefined=jinja2.StrictUndefined, trim_blocks=True,
                               lstrip_blocks=True, keep_trailing_newline=True, block_start_string="((*",
                               block_end_string="*))", variable_start_string="(((", variable_end_string=")))",
                               comment_start_string="((=", comment_end_string="=))")
    plain.filters.update(templating.FILTERS)
    results = []
    for env in (sandboxed, plain):
        template, best = env.get_template("slides.tex.j2"), float("inf")
        for _ in range(max(repeat, 5)):
            started = time.perf_counter()
            text = template.render(context)
            best = min(best, time.perf_counter() - started)
        results.append((best, text))
    return results[0][0], results[1][0], results[0][1] == results[1][1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per case; the largest time is reported")
    parser.add_argument("--quick", action="store_true", help="one run per case, no slow cases")
    args = parser.parse_args()
    repeat = 1 if args.quick else args.repeat
    run_cli(["derive"])  # imports and caches warmed once, as in every later case
    baseline, _, _ = time_case(BASELINE, repeat)
    cases = CASES + (() if args.quick else IMPOSSIBLE)
    rows, by_kind = [], collections.defaultdict(list)
    for case in cases:
        seconds, code, line = time_case(case, 1 if case in IMPOSSIBLE else repeat)
        ok = code == 2 and line.startswith("symbackprop: error:") and case.expect in line
        rows.append((case.id, seconds, ok))
        by_kind[case.kind].append(seconds)
    width = max(len(name) for name, _, _ in rows)
    print(f"baseline: {BASELINE.name}: {baseline * 1000:.1f} ms (largest of {repeat})\n")
    print(f"{'case':<{width}}  {'largest ms':>10}  {'x baseline':>10}  one-line exit 2")
    for name, seconds, ok in rows:
        print(f"{name:<{width}}  {seconds * 1000:>10.1f}  {seconds / baseline:>10.1f}  {'yes' if ok else 'NO'}")
    print(f"\n{'input kind':<16}{'cases':>6}{'largest ms':>12}")
    for kind, times in by_kind.items():
        print(f"{kind:<16}{len(times):>6}{max(times) * 1000:>12.1f}")
    print(f"{'all':<16}{len(rows):>6}{max(seconds for _, seconds, _ in rows) * 1000:>12.1f}")
    sandboxed, plain, same = sandbox_cost(repeat)
    print(f"\nrendering the default slides: sandboxed {sandboxed * 1000:.2f} ms, plain Jinja {plain * 1000:.2f} ms "
          f"(x{sandboxed / plain:.1f}), same output: {'yes' if same else 'NO'}")
    if not all(ok for _, _, ok in rows) or not same:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
