"""A seeded exam of the default 2-3-2, answered by students who make one mistake each (worked out in plain
Python): grade names the update not applied, the update with the wrong sign and g' at the output, and gives
intermediates rounded early no other mistake's name."""
import csv
import json
import math

from symbackprop.cli import main

VARIANTS = 30
RATE = 0.5  # the default spec's learning rate


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def student(values: dict, rounded: int | None = None, derivative_at_output: bool = False) -> dict:
    """The asked answers of the default exam computed by hand: every intermediate rounded to `rounded` decimals
    (the answers themselves not), or g'(v) taken as σ(y)(1 − σ(y))."""
    r = (lambda z: round(z, rounded)) if rounded is not None else (lambda z: z)  # noqa: E731
    slope = (lambda y: sigmoid(y) * (1 - sigmoid(y))) if derivative_at_output else (lambda y: y * (1 - y))  # noqa
    x = [values[f"x[{i}]"] for i in range(2)]
    t = [values[f"y[{k}]"] for k in range(2)]
    w0 = [[values[f"W0[{i}][{j}]"] for j in range(3)] for i in range(2)]
    w1 = [[values[f"W1[{i}][{j}]"] for j in range(2)] for i in range(3)]
    v0 = [r(sum(x[i] * w0[i][j] for i in range(2)) + values[f"b0[{j}]"]) for j in range(3)]
    y0 = [r(sigmoid(v)) for v in v0]
    v1 = [r(sum(y0[i] * w1[i][k] for i in range(3)) + values[f"b1[{k}]"]) for k in range(2)]
    answers = {f"y1[{k}]": sigmoid(v1[k]) for k in range(2)}
    y1 = [r(sigmoid(v)) for v in v1]
    answers["L"] = sum(r((t[k] - y1[k]) ** 2 / 2) for k in range(2))  # mse: the mean over the 2 outputs
    d1 = [r(r(-(t[k] - y1[k])) * r(slope(y1[k]))) for k in range(2)]
    d0 = [r(r(sum(d1[k] * w1[j][k] for k in range(2))) * r(slope(y0[j]))) for j in range(3)]
    answers["dL/dW1[0][0]"] = d1[0] * y0[0]
    answers["dL/dW0[1][2]"] = d0[2] * x[1]
    answers["step1.W0[1][2]"] = w0[1][2] - RATE * r(answers["dL/dW0[1][2]"])
    return answers


def test_each_mistake_gets_its_name_across_an_exam(tmp_path, capsys):
    assert main(["exam", "--variants", str(VARIANTS), "--seed", "1", "-o", str(tmp_path / "exam")]) == 0
    manifest = json.loads((tmp_path / "exam" / "manifest.json").read_text(encoding="utf-8"))
    questions = list(manifest["variants"][0]["answers"])
    rows, made = [], {}
    for variant in manifest["variants"]:
        values, decimals = variant["values"], {q: a["decimals"] for q, a in variant["answers"].items()}
        right = student(values)
        w, g = values["W0[1][2]"], right["dL/dW0[1][2]"]
        made[variant["id"]] = {
            "noupdate": {**right, "step1.W0[1][2]": w},
            "sign": {**right, "step1.W0[1][2]": w + RATE * g},
            "output": student(values, derivative_at_output=True),
            "rounded": student(values, rounded=2),
        }
        for kind, answers in made[variant["id"]].items():
            typed = (f"{answers[q]:.{decimals[q]}f}" for q in questions)
            rows.append([f"{variant['id']}-{kind}", variant["id"], *typed])
    path = tmp_path / "answers.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["student", "variant", *questions], *rows])
    report = tmp_path / "report.csv"
    assert main(["grade", str(path), "--manifest", str(tmp_path / "exam" / "manifest.json"), "-o", str(report)]) == 0
    capsys.readouterr()
    graded = {row["student"]: row for row in csv.DictReader(report.open(encoding="utf-8"))}
    named_output = 0
    for variant in manifest["variants"]:
        key = variant["id"]
        assert graded[f"{key}-noupdate"]["step1.W0[1][2]"] == "wrong:update_not_applied"
        assert graded[f"{key}-sign"]["step1.W0[1][2]"] == "wrong:update_sign"
        for question in ("dL/dW1[0][0]", "dL/dW0[1][2]"):
            verdict = graded[f"{key}-output"][question]
            assert verdict in ("wrong:derivative_at_output", "wrong:rounded_early"), (key, question, verdict)
            named_output += verdict == "wrong:derivative_at_output"
        # w − η × their own gradient: carried forward from the typed gradient, or the same mistake from the truth
        assert graded[f"{key}-output"]["step1.W0[1][2]"] in ("consistent", "wrong:derivative_at_output")
        rounded = graded[f"{key}-rounded"]
        gradient_lost = round(made[key]["rounded"]["dL/dW0[1][2]"], 2) == 0  # the update is then not applied
        for question in questions:
            allowed = {"correct", "consistent", "wrong", "wrong:rounded_early"}
            allowed |= {"wrong:update_not_applied"} if question.startswith("step") and gradient_lost else set()
            assert rounded[question] in allowed, (key, question, rounded[question])
        assert rounded["dL/dW0[1][2]"] == "wrong:rounded_early"
    assert named_output >= 0.9 * 2 * VARIANTS
