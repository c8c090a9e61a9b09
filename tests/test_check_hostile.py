"""Hostile claims files, answers and manifests through the command line: a verdict, or exactly one line
`symbackprop: error: ...`, exit 2, no traceback and nothing written."""
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symbackprop.cli import main

from .specs import COURSE_232, SINGLE_NEURON


def one_error_line(capsys, code: int) -> str:
    """The single stderr line of a refused input (exit 2, no traceback)."""
    captured = capsys.readouterr()
    assert code == 2, captured
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("symbackprop: error: "), captured.err
    assert "Traceback" not in captured.err and len(lines[0]) < 600
    return lines[0]


def run_check(tmp_path, text: str, *options) -> int:
    path = tmp_path / "claims.toml"
    path.write_text(text, encoding="utf-8")
    return main(["check", str(path), *options])


# -- claims files ------------------------------------------------------------------------------------
REFUSED_CLAIMS = {
    "number too large as text": ('"L" = "1e400"', "exponent"),
    "number too large as TOML": ("L = 1e400", "finite number"),
    "5,000-digit index": (f'"y{"9" * 5000}[0]" = 0.1', "5004 characters long"),
    "5,000-digit training step": (f'"step{"9" * 5000}.L" = 0.1', "characters long"),
    "deep mixed brackets": ('"L" = ' + json.dumps("(" + "[{(" * 30 + "x_0" + ")}]" * 30 + ")"), "nested deeper"),
    "9,999-term sum": ('"L" = ' + json.dumps("+".join(["1"] * 9999)), "the limit is 10000"),
    "unknown quantity": ('"dL/dW7[0][0]" = 0.1', "unknown quantity"),
    "empty claim": ('"L" = " "', "empty claim"),
    "claims not a table": ("", "missing table [claims]"),
}


@pytest.mark.parametrize("label", list(REFUSED_CLAIMS))
def test_refused_claims_give_one_line(tmp_path, capsys, label):
    body, fragment = REFUSED_CLAIMS[label]
    head = COURSE_232 + ("[claims]\n" if label != "claims not a table" else "")
    line = one_error_line(capsys, run_check(tmp_path, head + body + "\n"))
    assert fragment in line
    assert "9" * 100 not in line  # a long name is cut, not echoed whole


JUDGED_CLAIMS = {
    "200-long unary minus": "-" * 200 + "x_0",
    "log of a negative number": r"\log(-1 - x_0^2)",
    "log of -1": r"\log(-1)",
    "sqrt of a negative number": r"\sqrt{-2}",
    "40-high exponential tower": "e^{" * 40 + "x_0" + "}" * 40,
    "40-high constant tower": "e^{" * 40 + "1" + "}" * 40,
}


@pytest.mark.parametrize("label", list(JUDGED_CLAIMS))
def test_odd_but_valid_claims_get_a_verdict(tmp_path, capsys, label):
    text = COURSE_232 + "[claims]\nL = " + json.dumps(JUDGED_CLAIMS[label]) + "\n"
    assert run_check(tmp_path, text, "--json") == 1
    captured = capsys.readouterr()
    assert captured.err == ""
    (row,) = json.loads(captured.out)["claims"]
    assert row["verdict"] == "wrong" and row["name"] == "L"


def test_a_250_layer_network_is_checked(tmp_path, capsys):
    layers = [1] * 251
    text = (f'[network]\nlayers = {layers}\nactivations = "sigmoid"\nloss = "mse"\n[values]\nx = [0.5]\ny = [0.2]\n'
            + "".join(f"W{k} = [[0.9]]\nb{k} = [0.1]\n" for k in range(250))
            + '[claims]\n"v0[0]" = 0.55\n"dL/db249[0]" = "\\\\delta^{249}_{0}"\n"y200[0]" = 0.1\n')
    assert run_check(tmp_path, text, "--json") == 1
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)["claims"]}
    assert rows["v0[0]"]["verdict"] == "correct"  # 0.5 × 0.9 + 0.1
    assert rows["dL/db249[0]"]["verdict"] == "correct" and rows["y200[0]"]["verdict"] == "wrong"


def test_deeply_nested_claims_toml(tmp_path, capsys):
    text = "a = " + "[" * 1000 + "]" * 1000 + "\n[claims]\nL = 0.1\n"
    one_error_line(capsys, run_check(tmp_path, text))


# -- the spec a claims file names --------------------------------------------------------------------
def test_spec_outside_the_claims_folder_is_refused(tmp_path, capsys):
    secret = tmp_path / "secret.toml"
    secret.write_text(SINGLE_NEURON, encoding="utf-8")
    (tmp_path / "class").mkdir()
    text = 'spec = "../secret.toml"\n[claims]\nL = 0.1770\n'
    line = one_error_line(capsys, run_check(tmp_path / "class", text))
    assert "inside the claims file's folder" in line and "--allow-spec-outside" in line
    assert run_check(tmp_path / "class", text, "--allow-spec-outside") == 0
    capsys.readouterr()
    # the refusal does not depend on whether the file exists
    line = one_error_line(capsys, run_check(tmp_path / "class", 'spec = "/etc/shadow"\n[claims]\nL = 0.1\n'))
    assert "inside the claims file's folder" in line


def test_a_link_out_of_the_folder_is_refused(tmp_path, capsys):
    (tmp_path / "outside.toml").write_text(SINGLE_NEURON, encoding="utf-8")
    (tmp_path / "class").mkdir()
    (tmp_path / "class" / "spec.toml").symlink_to(tmp_path / "outside.toml")
    line = one_error_line(capsys, run_check(tmp_path / "class", 'spec = "spec.toml"\n[claims]\nL = 0.1\n'))
    assert "inside the claims file's folder" in line


@pytest.mark.parametrize("kind", ["fifo", "folder", "device", "huge"])
def test_a_spec_that_is_not_a_regular_file_is_refused(tmp_path, capsys, kind):
    target = tmp_path / "spec.toml"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
    elif kind == "device":
        target.symlink_to("/dev/zero")
    else:
        target.write_text("# " + "x" * 5_000_000 + "\n", encoding="utf-8")
    options = ["--allow-spec-outside"] if kind == "device" else []
    line = one_error_line(capsys, run_check(tmp_path, 'spec = "spec.toml"\n[claims]\nL = 0.1\n', *options))
    assert ("not a regular file" in line) if kind != "huge" else ("the limit is 4000000" in line)


def test_a_foreign_file_is_never_echoed(tmp_path, capsys):
    (tmp_path / "notes.toml").write_text('password = "hunter2"\n[database]\nroot_token = "s3cr3t"\n',
                                         encoding="utf-8")
    (tmp_path / "shadow").write_text("root:$6$abcdef:19000:0:99999:7:::\n", encoding="utf-8")
    for name in ("notes.toml", "shadow"):
        line = one_error_line(capsys, run_check(tmp_path, f'spec = "{name}"\n[claims]\nL = 0.1\n'))
        assert "is not a spec" in line
        for secret in ("password", "hunter2", "root_token", "s3cr3t", "database", "abcdef", "19000"):
            assert secret not in line


# -- answers and manifests ---------------------------------------------------------------------------
SPEC = {"network": {"layers": [1, 1], "activations": ["sigmoid"], "loss": "mse", "convention": "row",
                    "index_base": 0, "leaky_slope": 0.01},
        "training": {"learning_rate": 0.5, "momentum": 0.0, "steps": 1}}
VALUES = {"x[0]": 0.7, "y[0]": 1.0, "W0[0][0]": 0.1, "b0[0]": 0.25}
V = 0.7 * 0.1 + 0.25


def manifest_file(tmp_path, answers=None, text=None):
    path = tmp_path / "manifest.json"
    answers = answers or {"v0[0]": {"value": V, "abs_tol": 1e-4, "rel_tol": 0.0, "points": 1}}
    path.write_text(text if text is not None else json.dumps(
        {"seed": 1, "spec": SPEC, "variants": [{"id": "v01", "values": VALUES, "answers": answers}]}),
        encoding="utf-8")
    return str(path)


def run_grade(tmp_path, manifest, answers_text):
    answers = tmp_path / "answers.csv"
    answers.write_text(answers_text, encoding="utf-8")
    return main(["grade", str(answers), "--manifest", manifest, "-o", str(tmp_path / "out" / "report.csv")])


ANSWERS = "student,variant,v0[0]\nana,v01,0.32\n"
REFUSED_MANIFESTS = {
    "unknown quantity": ({"v9[0]": {"value": 1.0}}, None, "unknown quantity"),
    "a step the spec does not have": ({"step2.W0[0][0]": {"value": 1.0}}, None, "step"),
    "5,000-digit answer name": ({f"v{'9' * 5000}[0]": {"value": 1.0}}, None, "characters long"),
    "nested deeply": (None, "[" * 100_000 + "]" * 100_000, "nested too deeply"),
    "not JSON": (None, "{\"spec\": ", "malformed JSON"),
    "no variants": (None, json.dumps({"spec": SPEC, "variants": []}), "no variants"),
    "wrong shape": (None, json.dumps([1, 2, 3]), "expected an object"),
}


@pytest.mark.parametrize("label", list(REFUSED_MANIFESTS))
def test_refused_manifests_give_one_line_and_write_nothing(tmp_path, capsys, label):
    answers, text, fragment = REFUSED_MANIFESTS[label]
    line = one_error_line(capsys, run_grade(tmp_path, manifest_file(tmp_path, answers, text), ANSWERS))
    assert fragment in line
    assert not (tmp_path / "out").exists()


REFUSED_ANSWERS = {
    "5,000-digit column": (f"student,variant,v{'9' * 5000}[0]\nana,v01,1\n", "characters long"),
    "unknown variant": ("student,variant,v0[0]\nana,v99,0.32\n", "unknown variant id"),
    "unknown column": ("student,variant,dL/dW3[0][0]\nana,v01,0.32\n", "unknown quantity"),
    "no header": ("", "empty file"),
    "wrong first columns": ("name,variant,v0[0]\nana,v01,0.32\n", "student,variant"),
}


@pytest.mark.parametrize("label", list(REFUSED_ANSWERS))
def test_refused_answers_give_one_line_and_write_nothing(tmp_path, capsys, label):
    text, fragment = REFUSED_ANSWERS[label]
    line = one_error_line(capsys, run_grade(tmp_path, manifest_file(tmp_path), text))
    assert fragment in line
    assert not (tmp_path / "out").exists()


def test_answers_out_of_float_range_are_invalid_answers(tmp_path, capsys):
    assert run_grade(tmp_path, manifest_file(tmp_path), "student,variant,v0[0]\nana,v01,1e400\nbo,v01,0.32\n") == 0
    captured = capsys.readouterr()
    assert "ana (v01) v0[0]:" in captured.err and "exponent" in captured.err
    report = (tmp_path / "out" / "report.csv").read_text(encoding="utf-8").splitlines()
    assert report[1:] == ["ana,v01,0,1,invalid", "bo,v01,1,1,correct"]


def test_report_cells_from_students_are_spreadsheet_safe(tmp_path, capsys):
    rows = ['"=HYPERLINK(""http://x"")",v01,0.32', "+1,v01,0.32", "-2,v01,-0.32", "@sum,v01,0.32",
            '"\tx",v01,0.32', "plain,v01,0.3"]
    assert run_grade(tmp_path, manifest_file(tmp_path), "student,variant,v0[0]\n" + "\n".join(rows) + "\n") == 0
    report = (tmp_path / "out" / "report.csv").read_text(encoding="utf-8").splitlines()
    assert report[1:] == ['"\'=HYPERLINK(""http://x"")",v01,1,1,correct', "'+1,v01,1,1,correct",
                          "'-2,v01,0,1,wrong",
                          "'@sum,v01,1,1,correct", "x,v01,1,1,correct", "plain,v01,0,1,wrong"]
    points = (tmp_path / "out" / "report_points.csv").read_text(encoding="utf-8").splitlines()
    assert points[1:] == ['"\'=HYPERLINK(""http://x"")",v01,1', "'+1,v01,1", "'-2,v01,0", "'@sum,v01,1", "x,v01,1",
                          "plain,v01,0"]
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == ["report.csv", "report_points.csv", "report_questions.csv"]  # no temporary file left behind


def test_spreadsheet_safe_cells():
    from symbackprop.checking.grading import spreadsheet_safe

    for text in ("=1+1", "+1", "-1", "@A1", "\tx", "\rx"):
        assert spreadsheet_safe(text) == "'" + text
    for text in ("ana", "0.5", "", "a=b", "x-1"):
        assert spreadsheet_safe(text) == text


def test_a_report_that_cannot_be_written_is_one_line(tmp_path, capsys):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "report.csv").mkdir()  # a folder where the report should go
    one_error_line(capsys, run_grade(tmp_path, manifest_file(tmp_path), ANSWERS))


# -- claims files mutated at random ------------------------------------------------------------------
VALID = COURSE_232 + ('[claims]\n"v0[1]" = 0.4600\n"y1[0]" = "0,6900"\nL = {value = 0.2, abs_tol = 0.1}\n'
                      '"dL/dy1[0]" = \'-(y_0 - \\hat{y}^1_0)\'\n')
PIECES = ["[", "]", "{", "}", '"', "'", "=", "\n", "1e400", "-", "\\", "\\frac", "x_0", "nan", "[claims]",
          "spec = \"/dev/zero\"", "9" * 60, ",", "#", "\x00", "é", "\\delta^{1}_{0}"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.data())
def test_mutated_claims_files_give_a_verdict_or_one_line(tmp_path, capsys, data):
    text = VALID
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(text)))
        j = data.draw(st.integers(i, min(len(text), i + 20)))
        if data.draw(st.booleans()):
            text = text[:i] + data.draw(st.sampled_from(PIECES)) + text[j:]
        else:
            text = text[:i] + text[j:]
    code = run_check(tmp_path, text)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    if code == 2:
        lines = captured.err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("symbackprop: error: ")
    else:
        assert code in (0, 1) and captured.err == "" and "claims:" in captured.out
