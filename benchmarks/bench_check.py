"""Benchmark `check` and `grade`: time per claim and per answer row, against loading and deriving the same network.

    python benchmarks/bench_check.py [--quick]

Prints one table: each case's time, its baseline measured in the same run (spec load + derivation + graph for
`check`; manifest load + one pass over the rows for `grade`), and the ratio. The targets: a few hundred claims on
a ~2,000-parameter network in <= 2 s; `grade` on 1,000 students x 10 answers in <= 10 s, 100,000 rows in
<= 2 minutes.
"""
import csv
import io
import json
import random
import sys
import time

from symbackprop.checking.claims import parse_claims
from symbackprop.checking.grading import Grader, grade_all, manifest_variants, parse_answers, report_csv
from symbackprop.checking.verdicts import Checker
from symbackprop.model.spec import parse_spec

LAYERS = [24, 40, 20, 10]  # 2,030 parameters
CLAIMS = 300


def network_spec(layers, seed: int = 1, activation: str = "sigmoid") -> str:
    """A spec with seeded values, three decimals each."""
    rng = random.Random(seed)
    lines = [f'[network]\nlayers = {layers}\nactivations = "{activation}"\nloss = "mse"\n[values]']
    lines.append(f"x = {[round(rng.uniform(-1, 1), 3) for _ in range(layers[0])]}")
    lines.append(f"y = {[round(rng.uniform(0, 1), 3) for _ in range(layers[-1])]}")
    for layer in range(len(layers) - 1):
        weights = [[round(rng.uniform(-1, 1), 3) for _ in range(layers[layer + 1])] for _ in range(layers[layer])]
        lines.append(f"W{layer} = {weights}")
        lines.append(f"b{layer} = {[round(rng.uniform(-1, 1), 3) for _ in range(layers[layer + 1])]}")
    return "\n".join(lines) + "\n"


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def check_case(wrong_share: float, symbolic: int = 0):
    """(seconds to check, seconds to load + derive, claims): CLAIMS claims, a share of them wrong."""
    spec_text = network_spec(LAYERS)
    load, checker = timed(lambda: Checker(parse_spec(spec_text)))
    rng = random.Random(7)
    expressions = checker.derivation.gradient_names()[:symbolic]
    names = sorted(name for name in checker.rules.symbol if not checker.graph.is_leaf(name)
                   and name not in expressions)
    rng.shuffle(names)
    body = []
    for position, name in enumerate(names[:CLAIMS - symbolic]):
        value = checker.truth(name)
        if rng.random() < wrong_share:
            value = -value if position % 2 else 1.37 * value + 0.01
        body.append(f'"{name}" = {value:.6f}')
    tex = checker.derivation.latex()
    body += [f"'{name}' = '{tex[name]}'" for name in expressions]
    text = spec_text + "[claims]\n" + "\n".join(body) + "\n"

    def run():
        claims = parse_claims(text)
        return Checker(claims.spec, claims.tolerance).check(claims.claims)

    seconds, results = timed(run)
    return seconds, load, len(results)


def manifest(variants: int = 20) -> dict:
    """An exam manifest on the course's [2, 3, 1] ReLU/sigmoid network with bce, keys computed by the checker."""
    spec = {"network": {"layers": [2, 3, 1], "activations": ["relu", "sigmoid"], "loss": "bce",
                        "convention": "row", "index_base": 0, "leaky_slope": 0.01},
            "training": {"learning_rate": 0.5, "momentum": 0.0, "steps": 1}}
    questions = ["v0[1]", "y0[2]", "y1[0]", "L", "dL/dy1[0]", "dL/dW1[1][0]", "dL/db0[1]", "dL/dW0[0][1]",
                 "dL/db1[0]", "step1.W0[0][1]"]
    rng = random.Random(3)
    entries = []
    for index in range(variants):
        values = {"x[0]": rng.uniform(-1, 1), "x[1]": rng.uniform(-1, 1), "y[0]": float(rng.random() < 0.5)}
        for i in range(2):
            for j in range(3):
                values[f"W0[{i}][{j}]"] = round(rng.uniform(-1, 1), 2)
        for j in range(3):
            values[f"b0[{j}]"] = round(rng.uniform(-1, 1), 2)
            values[f"W1[{j}][0]"] = round(rng.uniform(-1, 1), 2)
        values["b1[0]"] = round(rng.uniform(-1, 1), 2)
        entries.append({"id": f"v{index:02d}", "values": values, "answers": {}})
    variants_by_id = manifest_variants({"spec": spec, "variants": [{**e, "answers": {
        q: {"value": 0.0, "abs_tol": 1e-3, "rel_tol": 1e-2, "points": 1} for q in questions}} for e in entries]})
    for entry in entries:
        checker = Checker(variants_by_id[entry["id"]].spec)
        entry["answers"] = {q: {"value": checker.truth(q), "abs_tol": 1e-3, "rel_tol": 1e-2, "points": 1}
                            for q in questions}
    return {"spec": spec, "variants": entries}


def answers_text(data: dict, rows: int) -> str:
    """rows answers: most right, some wrong by a catalogued or an arbitrary mistake, some empty or garbage."""
    rng = random.Random(11)
    questions = list(data["variants"][0]["answers"])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["student", "variant", *questions])
    for row in range(rows):
        entry = rng.choice(data["variants"])
        cells = []
        for name in questions:
            key, draw = entry["answers"][name]["value"], rng.random()
            cells.append(f"{key:.4f}" if draw < 0.7 else f"{-key:.4f}" if draw < 0.8 else
                         f"{key * 1.5 + 0.1:.4f}" if draw < 0.9 else "" if draw < 0.97 else "x_0 +")
        writer.writerow([f"student{row}", entry["id"], *cells])
    return buffer.getvalue()


def grade_case(data: dict, rows: int):
    """(seconds to grade and render the report, seconds to load the manifest and read the rows)."""
    text = answers_text(data, rows)
    load, (variants, (questions, records)) = timed(lambda: (manifest_variants(data), parse_answers(text)))

    def run():
        grader = Grader(variants)
        grader.validate(questions, records)
        return report_csv(questions, grade_all(grader, records))

    seconds, _ = timed(run)
    return seconds, load


COURSE_232 = network_spec([2, 3, 2], seed=5)


def hostile_claims() -> dict:
    """label -> claims file text, each refused with one line or judged."""
    head = COURSE_232 + "[claims]\n"
    texts = {
        "number 1e400 as text": '"L" = "1e400"', "5,000-digit index": f'"y{"9" * 5000}[0]" = 0.1',
        "deep mixed brackets": '"L" = ' + json.dumps("(" + "[{(" * 30 + "x_0" + ")}]" * 30 + ")"),
        "200-long unary minus": '"L" = ' + json.dumps("-" * 200 + "x_0"),
        "log of a negative": '"L" = ' + json.dumps(r"\log(-1 - x_0^2)"),
        "sqrt of a negative": '"L" = ' + json.dumps(r"\sqrt{-2}"),
        "40-high e^e^... tower": '"L" = ' + json.dumps("e^{" * 40 + "x_0" + "}" * 40),
        "9,999-term sum": '"L" = ' + json.dumps("+".join(["1"] * 9999)),
        "largest allowed sum": '"L" = ' + json.dumps(" + ".join(["x_0 w^{0}_{0,1}"] * 500)),
        "a wrong expression with a mistake": '"dL/dy1[0]" = "y_0 - \\\\hat{y}^1_0"',
    }
    cases = {label: head + body + "\n" for label, body in texts.items()}
    layers = [1] * 251
    cases["250-layer network"] = (network_spec(layers, activation="sigmoid")
                                  + '[claims]\n"dL/db0[0]" = 0.0\n"dL/db249[0]" = "\\\\delta^{249}_{0}"\n')
    cases["deep TOML nesting"] = "a = " + "[" * 1000 + "]" * 1000 + "\n" + head
    return cases


def hostile_case(folder, label: str, text: str) -> float:
    """Seconds for one hostile claims file through the command line (its output discarded)."""
    from contextlib import redirect_stderr, redirect_stdout

    from symbackprop.cli import main as cli

    path = folder / "claims.toml"
    path.write_text(text, encoding="utf-8")
    sink = io.StringIO()
    with redirect_stdout(sink), redirect_stderr(sink):
        seconds, code = timed(lambda: cli(["check", str(path)]))
    assert code in (0, 1, 2), (label, code, sink.getvalue()[-300:])
    return seconds


def main() -> None:
    quick = "--quick" in sys.argv
    rows = [("case", "seconds", "baseline (s)", "ratio", "target")]
    for label, share, symbolic in (("check 300 claims, 2,030 params, all right", 0.0, 0),
                                   ("check 300 claims, 2,030 params, 1/3 wrong", 1 / 3, 0),
                                   ("check 300 claims, 2,030 params, 2/3 wrong", 2 / 3, 0),
                                   ("check 290 numbers + 10 expressions, 1/3 wrong", 1 / 3, 10)):
        seconds, load, count = check_case(share, symbolic)
        rows.append((label, f"{seconds:.2f}", f"{load:.2f} (load + derive)", f"{seconds / load:.1f}x", "<= 2 s"))
    data = manifest()
    for count, target in ((1_000 * (1 if not quick else 1), "<= 10 s"), (100_000 if not quick else 10_000,
                                                                         "<= 120 s")):
        seconds, load = grade_case(data, count)
        rows.append((f"grade {count:,} rows x 10 answers", f"{seconds:.2f}",
                     f"{load:.2f} (read rows)", f"{seconds / load:.1f}x", target))
    print_table(rows)
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        times = {label: hostile_case(Path(folder), label, text) for label, text in hostile_claims().items()}
    print()
    print_table([("hostile claims file (one line or a verdict)", "seconds")]
                + [(label, f"{seconds:.2f}") for label, seconds in times.items()]
                + [("largest", f"{max(times.values()):.2f}")])


def print_table(rows) -> None:
    """Columns padded to their widest cell."""
    widths = [max(len(row[c]) for row in rows) for c in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())


if __name__ == "__main__":
    main()
