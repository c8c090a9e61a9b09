"""`symbackprop grade`: answers CSV against a fixture manifest, points, partial credit, report and summary."""
import csv
import json
import math

import numpy as np
import pytest

from symbackprop.cli import main
from symbackprop.checking.grading import load_manifest, parse_answers

TOL = {"abs_tol": 1e-4, "rel_tol": 0.001}
RATE = 0.5


def neuron_variant(vid: str, x: float, w: float, b: float, t: float) -> dict:
    """A variant of the single sigmoid neuron with mse, its answers worked out by hand."""
    v = x * w + b
    y = 1 / (1 + math.exp(-v))
    loss = (t - y) ** 2
    dw = -2 * (t - y) * y * (1 - y) * x
    answers = {"v0[0]": v, "y0[0]": y, "L": loss, "dL/dW0[0][0]": dw, "step1.W0[0][0]": w - RATE * dw}
    points = {"v0[0]": 1, "y0[0]": 1, "L": 2, "dL/dW0[0][0]": 3, "step1.W0[0][0]": 1}
    return {"id": vid, "seed": hash(vid) % 1000,
            "values": {"x[0]": x, "y[0]": t, "W0[0][0]": w, "b0[0]": b},
            "answers": {name: {"value": value, **TOL, "points": points[name]} for name, value in answers.items()}}


SPEC = {"title": "quiz", "network": {"layers": [1, 1], "activations": ["sigmoid"], "loss": "mse",
                                     "convention": "row", "index_base": 0, "leaky_slope": 0.01},
        "training": {"learning_rate": RATE, "momentum": 0.0, "steps": 1}}
A = neuron_variant("v01", 0.7, 0.1, 0.25, 1.0)
B = neuron_variant("v02", 0.5, -0.3, 0.1, 0.0)
KEY = {v["id"]: {name: a["value"] for name, a in v["answers"].items()} for v in (A, B)}
QUESTIONS = ["v0[0]", "y0[0]", "L", "dL/dW0[0][0]", "step1.W0[0][0]"]


def fmt(value: float) -> str:
    return f"{value:.4f}"


@pytest.fixture
def manifest(tmp_path):
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({"seed": 3, "spec": SPEC, "variants": [A, B]}), encoding="utf-8")
    return str(path)


def answers_file(tmp_path, rows, questions=QUESTIONS, delimiter=","):
    path = tmp_path / "answers.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(["student", "variant", *questions])
        writer.writerows(rows)
    return str(path)


def class_rows():
    a, b = KEY["v01"], KEY["v02"]
    wrong_v = 0.33  # ana's error: carried forward into ŷ and L
    y_cf = 1 / (1 + math.exp(-wrong_v))
    return [
        ["ana", "v01", "0.3300", fmt(y_cf), fmt((1 - y_cf) ** 2), fmt(a["dL/dW0[0][0]"]), fmt(a["step1.W0[0][0]"])],
        ["bia", "v01", *map(fmt, (a[q] for q in QUESTIONS))],
        ["caio", "v02", fmt(b["v0[0]"]), fmt(b["y0[0]"]), fmt(b["L"]), fmt(-b["dL/dW0[0][0]"]), ""],
        ["duda", "v02", fmt(b["v0[0]"]), "0.5-", fmt(b["L"]), fmt(-b["dL/dW0[0][0]"]), "x_0"],
    ]


def read_report(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_grade_end_to_end(tmp_path, manifest, capsys):
    report = tmp_path / "out" / "report.csv"
    code = main(["grade", answers_file(tmp_path, class_rows()), "--manifest", manifest, "-o", str(report)])
    assert code == 0
    rows = {r["student"]: r for r in read_report(report)}
    assert list(next(iter(rows.values()))) == ["student", "variant", "points", "max_points", *QUESTIONS]
    ana, bia, caio, duda = rows["ana"], rows["bia"], rows["caio"], rows["duda"]
    assert (ana["v0[0]"], ana["y0[0]"], ana["L"]) == ("wrong", "consistent", "consistent")
    assert ana["points"] == "7" and ana["max_points"] == "8"  # consistent answers get full credit by default
    assert bia["points"] == "8" and set(list(bia.values())[4:]) == {"correct"}
    assert caio["dL/dW0[0][0]"] == "wrong:sign_flipped" and caio["step1.W0[0][0]"] == "unanswered"
    assert caio["points"] == "4"
    assert duda["y0[0]"] == "invalid" and duda["step1.W0[0][0]"] == "invalid"
    out = capsys.readouterr().out.splitlines()
    assert "v0[0]: 3/4 correct, 1 wrong" in out
    assert "y0[0]: 2/4 correct, 1 consistent, 1 invalid" in out
    assert "dL/dW0[0][0]: 2/4 correct, 2 wrong; most common mistake: sign_flipped (2)" in out
    assert "step1.W0[0][0]: 2/4 correct, 1 invalid, 1 unanswered" in out
    assert out[-2] == "4 students: mean 5.5 of 8 points"


def test_partial_credit_for_consistent_answers(tmp_path, manifest, capsys):
    report = tmp_path / "report.csv"
    main(["grade", answers_file(tmp_path, class_rows()[:1]), "--manifest", manifest, "-o", str(report),
          "--consistent-credit", "0.5"])
    assert read_report(report)[0]["points"] == "5.5"  # ŷ 1 × 0.5 + L 2 × 0.5 + 3 + 1
    assert main(["grade", answers_file(tmp_path, class_rows()[:1]), "--manifest", manifest, "-o", str(report),
                 "--consistent-credit", "2"]) == 2


def test_decimal_commas_semicolons_and_arithmetic(tmp_path, manifest, capsys):
    a = KEY["v01"]
    row = ["eva", "v01", "0.7*0.1 + 0.25", fmt(a["y0[0]"]).replace(".", ","), "\u2212" + fmt(-a["L"])[1:],
           fmt(a["dL/dW0[0][0]"]).replace(".", ","), ""]
    report = tmp_path / "report.csv"
    assert main(["grade", answers_file(tmp_path, [row], delimiter=";"), "--manifest", manifest,
                 "-o", str(report)]) == 0
    graded = read_report(report)[0]
    assert graded["v0[0]"] == "correct" and graded["y0[0]"] == "correct"
    assert graded["L"] == "wrong"  # a negative loss
    assert graded["dL/dW0[0][0]"] == "correct"


def test_the_exam_tolerance_is_authoritative(tmp_path, manifest, capsys):
    # "0.6" would pass by printed precision (±0.05) but the exam asks max(1e-4, 0.001 |ŷ|)
    report = tmp_path / "report.csv"
    main(["grade", answers_file(tmp_path, [["f", "v01", "", "0.6", "", "", ""]]), "--manifest", manifest,
          "-o", str(report)])
    assert read_report(report)[0]["y0[0]"] == "wrong"


@pytest.mark.parametrize("rows, questions, message", [
    ([["x", "v99", "0.3", "", "", "", ""]], QUESTIONS, r"unknown variant id in line 2 \(x\): 'v99'"),
    ([["x", "v01", "0.3"]], ["v[0]"], r"column 'v\[0\]': unknown quantity 'v\[0\]'; did you mean 'v0\[0\]'"),
    ([["x", "v01", "0.3", "0.3"]], ["L", "L"], "appears more than once"),
])
def test_bad_answers_are_invalid_input(tmp_path, manifest, capsys, rows, questions, message):
    code = main(["grade", answers_file(tmp_path, rows, questions), "--manifest", manifest,
                 "-o", str(tmp_path / "r.csv")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("symbackprop: error: ")
    import re
    assert re.search(message, err), err


def test_bad_manifests(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    for content, message in [("{", "malformed JSON"), ("[]", "expected an object"),
                             (json.dumps({"spec": SPEC, "variants": [{"id": "a", "values": {}, "answers": {}}]}),
                              "'x\\[0\\]' is missing"),
                             (json.dumps({"spec": SPEC, "variants": []}), "no variants")]:
        bad.write_text(content, encoding="utf-8")
        with pytest.raises(Exception, match=message):
            load_manifest(bad)


def test_header_must_start_with_student_and_variant():
    with pytest.raises(Exception, match="first columns must be student,variant"):
        parse_answers("name,variant,L\na,b,1\n")


def test_a_manifest_key_that_disagrees_is_reported(tmp_path, capsys):
    wrong_key = json.loads(json.dumps(A))
    wrong_key["answers"]["L"]["value"] = 0.5
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"seed": 1, "spec": SPEC, "variants": [wrong_key]}), encoding="utf-8")
    main(["grade", answers_file(tmp_path, [["a", "v01", "", "", "", "", ""]]), "--manifest", str(path),
          "-o", str(tmp_path / "r.csv")])
    assert "the manifest's L = 0.5 but the spec gives 0.176968" in capsys.readouterr().err


def test_column_convention_and_index_base_one(tmp_path, capsys):
    """W named W1[j][i] in the column convention: the variant's values must land on the right weights."""
    spec = {"title": "", "network": {"layers": [2, 1], "activations": ["sigmoid"], "loss": "mse",
                                     "convention": "column", "index_base": 1, "leaky_slope": 0.01}}
    x, w, b, t = np.array([0.2, 0.9]), np.array([0.3, -0.6]), 0.1, 1.0
    y = 1 / (1 + np.exp(-(x @ w + b)))
    grad = -2 * (t - y) * y * (1 - y) * x
    variant = {"id": "c1", "seed": 0,
               "values": {"x[1]": 0.2, "x[2]": 0.9, "y[1]": 1.0, "W1[1][1]": 0.3, "W1[1][2]": -0.6, "b1[1]": 0.1},
               "answers": {"dL/dW1[1][2]": {"value": grad[1], **TOL, "points": 1},
                           "y1[1]": {"value": y, **TOL, "points": 1}}}
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"seed": 1, "spec": spec, "variants": [variant]}), encoding="utf-8")
    rows = [["g", "c1", fmt(grad[1]), fmt(y)], ["h", "c1", fmt(grad[0]), fmt(y)]]
    report = tmp_path / "r.csv"
    assert main(["grade", answers_file(tmp_path, rows, ["dL/dW1[1][2]", "y1[1]"]), "--manifest", str(path),
                 "-o", str(report)]) == 0
    graded = read_report(report)
    assert graded[0]["dL/dW1[1][2]"] == "correct" and graded[0]["points"] == "2"
    assert graded[1]["dL/dW1[1][2]"] == "wrong"
    assert capsys.readouterr().err == ""


def test_a_symbolic_question(tmp_path, capsys):
    variant = json.loads(json.dumps(A))
    variant["answers"] = {"dL/db0[0]": {"value": r"-2(y_{0} - \hat{y}^{0}_{0}) \hat{y}^{0}_{0} (1 - \hat{y}^{0}_{0})",
                                        "abs_tol": 0, "rel_tol": 0, "points": 4}}
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"seed": 1, "spec": SPEC, "variants": [variant]}), encoding="utf-8")
    rows = [["p", "v01", r"2 (\hat y^0_0 - y_0) \cdot \hat y^0_0 (1 - \hat y^0_0)"],
            ["q", "v01", r"-2(y_0 - \hat{y}^0_0)"],
            ["r", "v01", r"-2(y_0 - \hat{y}^0_0"]]
    report = tmp_path / "r.csv"
    assert main(["grade", answers_file(tmp_path, rows, ["dL/db0[0]"]), "--manifest", str(path),
                 "-o", str(report)]) == 0
    graded = {r["student"]: r for r in read_report(report)}
    assert graded["p"]["dL/db0[0]"] == "correct" and graded["p"]["points"] == "4"
    assert graded["q"]["dL/db0[0]"] == "wrong:missing_activation_derivative"
    assert graded["r"]["dL/db0[0]"] == "invalid"


# -- grading input: columns, rows, students, ids ---------------------------------------------------------
def grade_text(tmp_path, manifest, text: str, capsys):
    """(exit code, stdout, stderr, report rows) of grading answers CSV text."""
    path = tmp_path / "answers.csv"
    path.write_text(text, encoding="utf-8")
    report = tmp_path / "report.csv"
    code = main(["grade", str(path), "--manifest", manifest, "-o", str(report)])
    out, err = capsys.readouterr()
    return code, out, err, read_report(report) if code == 0 else None


def csv_text(rows, header=("student", "variant", *QUESTIONS)) -> str:
    return "\n".join(",".join(row) for row in [header, *rows]) + "\n"


def right(student: str, variant: str = "v01") -> list[str]:
    return [student, variant, *map(fmt, (KEY[variant.strip().lower()][q] for q in QUESTIONS))]


def test_a_missing_question_column_is_an_error(tmp_path, manifest, capsys):
    header = ["student", "variant", *[q for q in QUESTIONS if q not in ("L", "step1.W0[0][0]")]]
    rows = [[r[0], r[1], *(r[2 + QUESTIONS.index(q)] for q in header[2:])] for r in [right("ana")]]
    code, _, err, _ = grade_text(tmp_path, manifest, csv_text(rows, header), capsys)
    assert code == 2
    assert err == (f"symbackprop: error: {tmp_path / 'answers.csv'}: no column for the asked 'L', "
                   f"'step1.W0[0][0]'; add a column headed by each asked quantity (an empty cell is unanswered)\n")
    assert not (tmp_path / "report.csv").exists()


def test_unknown_and_duplicated_columns_are_named_in_one_line(tmp_path, manifest, capsys):
    header = ["student", "variant", *QUESTIONS, "v[0]", "dL/db[0]"]
    code, _, err, _ = grade_text(tmp_path, manifest, csv_text([right("ana") + ["", ""]], header), capsys)
    assert code == 2 and err.count("\n") == 1
    assert err == (f"symbackprop: error: {tmp_path / 'answers.csv'}: column 'v[0]': unknown quantity 'v[0]'; "
                   f"did you mean 'v0[0]' or 'y[0]' or 'x[0]'?; column 'dL/db[0]': unknown quantity 'dL/db[0]'; "
                   f"did you mean 'dL/db0[0]' or 'dL/dy0[0]' or 'dL/dv0[0]'?\n")
    header = ["student", "variant", *QUESTIONS, "L", "v0[0]"]
    code, _, err, _ = grade_text(tmp_path, manifest, csv_text([right("ana") + ["", ""]], header), capsys)
    assert code == 2
    assert err == (f"symbackprop: error: {tmp_path / 'answers.csv'}: columns 'v0[0]', 'L' appear more than once; "
                   f"keep one column per quantity\n")


def test_an_unclosed_quote_is_an_error_naming_its_line(tmp_path, manifest, capsys):
    """150 students in: a quote left open on line 41 swallows the rows up to the next quote (148 would be out)."""
    rows = [",".join(right(f"s{n:03d}", ("v01", "v02")[n % 2])) for n in range(150)]
    rows[39] = rows[39].replace(",0.", ',"0.', 1)  # line 41: the quote opens and is never closed on its line
    rows[41] = rows[41].replace(",0.", ',0."', 1)  # closed on line 43
    text = "student,variant," + ",".join(QUESTIONS) + "\n" + "\n".join(rows) + "\n"
    code, _, err, _ = grade_text(tmp_path, manifest, text, capsys)
    assert code == 2
    assert err == (f"symbackprop: error: {tmp_path / 'answers.csv'}: line 41: a quote opened on this line runs to "
                   f"line 43, so 3 lines read as one row; close the quote (or remove it)\n")
    text = text.replace('0."', "0.")  # never closed: it runs to the end of the file
    code, _, err, _ = grade_text(tmp_path, manifest, text, capsys)
    assert code == 2 and "line 41: a quote opened on this line runs to line 151, so 111 lines read as one row" in err
    code, out, _, report = grade_text(tmp_path, manifest, text.replace('"', ""), capsys)
    assert code == 0 and len(report) == 150 and "150 students: mean 8 of 8 points" in out


def test_a_quantity_the_exam_does_not_ask_keeps_an_empty_column(tmp_path, manifest, capsys):
    header = ["student", "variant", *QUESTIONS, "dL/db0[0]"]
    code, _, err, report = grade_text(tmp_path, manifest, csv_text([right("ana") + ["0.1"]], header), capsys)
    assert code == 0 and err == ""
    assert report[0]["dL/db0[0]"] == "" and report[0]["points"] == "8"


def test_a_student_with_two_rows_is_an_error(tmp_path, manifest, capsys):
    code, _, err, _ = grade_text(tmp_path, manifest, csv_text([right("ana"), right("bia"), right("ana", "v02")]),
                                 capsys)
    assert code == 2
    assert err == (f"symbackprop: error: {tmp_path / 'answers.csv'}: more than one row for student 'ana' "
                   f"(lines 2, 4); keep one row per student\n")


def test_an_exports_own_columns_are_ignored_with_one_warning(tmp_path, manifest, capsys):
    """An LMS export: its comment (over two lines), email and Q1 columns beside the quantities."""
    header = ["student", "variant", "email", *QUESTIONS, "Q1", "comment"]
    rows = [right("ana")[:2] + ["ana@example.org"] + right("ana")[2:] + ["7", '"late,\nsee me"'],
            right("bia", "v02")[:2] + ["bia@example.org"] + right("bia", "v02")[2:] + ["", "ok"]]
    code, out, err, report = grade_text(tmp_path, manifest, csv_text(rows, header), capsys)
    assert code == 0
    assert err == (f"symbackprop: warning: {tmp_path / 'answers.csv'}: ignoring columns 'email', 'Q1', 'comment' "
                   f"(not quantity names)\n")
    assert list(report[0]) == ["student", "variant", "points", "max_points", *QUESTIONS]
    assert [(r["student"], r["points"]) for r in report] == [("ana", "8"), ("bia", "8")]
    assert "2 students: mean 8 of 8 points" in out


def test_variant_ids_ignore_case(tmp_path, manifest, capsys):
    code, _, err, report = grade_text(tmp_path, manifest, csv_text([right("ana", "V01"), right("bia", " v02 ")]),
                                      capsys)
    assert code == 0 and err == ""
    assert [(r["variant"], r["points"]) for r in report] == [("v01", "8"), ("v02", "8")]


def test_two_signs_in_a_row_is_an_invalid_answer_not_a_symbolic_claim(tmp_path, manifest, capsys):
    row = ["ana", "v01", "", "", "", "--3", "--3"]
    code, _, err, report = grade_text(tmp_path, manifest, csv_text([row]), capsys)
    assert code == 0
    assert report[0]["dL/dW0[0][0]"] == report[0]["step1.W0[0][0]"] == "invalid"
    assert err.splitlines() == [
        "symbackprop: invalid answer: ana (v01) dL/dW0[0][0]: '--3' is not a number: two signs in a row; "
        "write one sign",
        "symbackprop: invalid answer: ana (v01) step1.W0[0][0]: '--3' is not a number: two signs in a row; "
        "write one sign"]
    code, _, err, report = grade_text(tmp_path, manifest, csv_text([["ana", "v01", "", "", "", "", "0.1 - 0.5*0.2"]]),
                                      capsys)
    assert report[0]["step1.W0[0][0]"] == "wrong" and "training steps" not in err


def test_per_question_statistics_and_points_beside_the_report(tmp_path, manifest, capsys):
    report = tmp_path / "out" / "report.csv"
    assert main(["grade", answers_file(tmp_path, class_rows()), "--manifest", manifest, "-o", str(report)]) == 0
    with open(tmp_path / "out" / "report_questions.csv", newline="", encoding="utf-8") as handle:
        stats = {row["question"]: row for row in csv.DictReader(handle)}
    assert list(stats) == QUESTIONS
    assert stats["dL/dW0[0][0]"] == {"question": "dL/dW0[0][0]", "asked": "4", "answered": "4", "correct": "2",
                                     "consistent": "0", "wrong": "2", "invalid": "0", "unanswered": "0",
                                     "points": "3", "mean_points": "1.5",
                                     "most_common_mistakes": "sign_flipped (2)"}
    assert (stats["y0[0]"]["correct"], stats["y0[0]"]["consistent"], stats["y0[0]"]["invalid"]) == ("2", "1", "1")
    assert (stats["step1.W0[0][0]"]["answered"], stats["step1.W0[0][0]"]["mean_points"]) == ("3", "0.5")
    with open(tmp_path / "out" / "report_points.csv", newline="", encoding="utf-8") as handle:
        points = {row["student"]: row for row in csv.DictReader(handle)}
    assert points["ana"] == {"student": "ana", "variant": "v01", "v0[0]": "0", "y0[0]": "1", "L": "2",
                             "dL/dW0[0][0]": "3", "step1.W0[0][0]": "1"}
    assert points["caio"]["dL/dW0[0][0]"] == "0" and points["caio"]["L"] == "2"
    totals = {row["student"]: row["points"] for row in read_report(report)}
    assert all(sum(float(v) for k, v in points[s].items() if k in QUESTIONS) == float(totals[s]) for s in totals)


def test_a_whole_number_is_a_wrong_input_not_one_within_a_half(tmp_path, manifest, capsys):
    """ŷ answered "1" (true 0.5793): the loss "0" that follows from it is consistent, the gradient "0" too."""
    row = ["wes", "v01", "", "1", "0", "0", ""]
    code, _, _, report = grade_text(tmp_path, manifest, csv_text([row]), capsys)
    assert code == 0
    assert (report[0]["y0[0]"], report[0]["L"], report[0]["dL/dW0[0][0]"]) == ("wrong", "consistent", "consistent")
    assert report[0]["points"] == "5"  # L 2 + ∂L/∂w 3, full credit for consistent answers


def test_one_ignored_column_and_windows_line_ends(tmp_path, manifest, capsys):
    text = csv_text([right("ana") + ['"two\r\nlines"']], ("student", "variant", *QUESTIONS, "comment"))
    code, _, err, report = grade_text(tmp_path, manifest, text.replace("\n", "\r\n"), capsys)
    assert code == 0 and report[0]["points"] == "8"
    assert err == f"symbackprop: warning: {tmp_path / 'answers.csv'}: ignoring column 'comment' (not a quantity name)\n"
