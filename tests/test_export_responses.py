"""`grade --responses`: Moodle's Responses report and Canvas's Student Analysis graded exactly as ANSWERS.csv."""
import csv
import json
from pathlib import Path

import pytest

from symbackprop.checking.claims import number_from_text
from symbackprop.checking.grading import load_manifest
from symbackprop.checking.responses import read_responses
from symbackprop.cli import main
from symbackprop.errors import ClaimsError

FIXTURES = Path(__file__).parent / "fixtures" / "lms"


@pytest.fixture(scope="module")
def exam(tmp_path_factory):
    """The exam the fixtures were answered on: the default spec, 3 variants, seed 7."""
    out = tmp_path_factory.mktemp("lms") / "exam"
    assert main(["exam", "--variants", "3", "--seed", "7", "-o", str(out)]) == 0
    path = out / "manifest.json"
    return {"path": path, "data": json.loads(path.read_text(encoding="utf-8")), "variants": load_manifest(path)}


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def grade_responses(tmp_path, exam, name: str, fmt: str, capsys):
    report = tmp_path / f"{name}.report.csv"
    code = main(["grade", "--responses", str(FIXTURES / name), "--format", fmt, "--manifest", str(exam["path"]),
                 "-o", str(report)])
    return code, report, capsys.readouterr()


def as_answers_csv(path: Path, records: list[dict], questions: list[str]) -> None:
    """The records written as the ANSWERS.csv that `grade` reads (student, variant, one column per quantity)."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["student", "variant", *questions])
        for r in records:
            writer.writerow([r["student"], r["variant"], *(r["answers"].get(q, "") for q in questions)])


def test_moodle_attempts_map_to_their_variants_one_per_student(exam):
    responses = read_responses(FIXTURES / "moodle_responses.csv", "moodle", exam["variants"])
    assert [(r["student"], r["variant"], r["row"]) for r in responses.records] == [
        ("ana@example.org", "V002", 2), ("carla@example.org", "V003", 4), ("davi@example.org", "V001", 5),
        ("bruno@example.org", "V001", 6)]
    assert responses.warnings == ["row 7 (edu@example.org): attempt in progress, not graded",
                                  "bruno@example.org: more than one attempt; graded row 6, left out row 3"]
    davi = responses.records[2]["answers"]
    assert list(davi.items())[:3] == [("y1[0]", "abc"), ("y1[1]", "0,6579"), ("L", "1/0")]
    assert set(responses.records[1]["answers"].values()) == {""}  # Moodle's "-": nothing answered


def test_moodle_without_question_text_finds_the_variant_by_its_right_answers(exam):
    responses = read_responses(FIXTURES / "moodle_right_answers_only.csv", "moodle", exam["variants"])
    assert [(r["student"], r["variant"]) for r in responses.records] == [("2026001", "V003")]
    assert responses.identity == "ID number"


@pytest.mark.parametrize("name, fmt", [("moodle_responses.csv", "moodle"), ("canvas_student_analysis.csv", "canvas")])
def test_responses_are_graded_exactly_as_the_same_answers_csv(tmp_path, exam, name, fmt, capsys):
    code, report, _ = grade_responses(tmp_path, exam, name, fmt, capsys)
    assert code == 0
    responses = read_responses(FIXTURES / name, fmt, exam["variants"])
    answers = tmp_path / "answers.csv"
    as_answers_csv(answers, responses.records, responses.questions)
    plain = tmp_path / "plain.csv"
    assert main(["grade", str(answers), "--manifest", str(exam["path"]), "-o", str(plain)]) == 0
    assert report.read_text(encoding="utf-8") == plain.read_text(encoding="utf-8")


def test_moodle_report_verdicts_agree_with_the_manifest_tolerances(tmp_path, exam, capsys):
    code, report, captured = grade_responses(tmp_path, exam, "moodle_responses.csv", "moodle", capsys)
    assert code == 0
    rows = {r["student"]: r for r in read_csv(report)}
    ana = next(v for v in exam["data"]["variants"] if v["id"] == "V002")
    with (FIXTURES / "moodle_responses.csv").open(encoding="utf-8", newline="") as stream:
        summary = next(csv.DictReader(stream))["Response 1"]  # Ana's cloze summary "part 1: ...; part 2: ..."
    cells = [part.split(": ", 1)[1] for part in summary.split("; ")]
    for (name, answer), cell in zip(ana["answers"].items(), cells):
        within = abs(float(cell) - answer["value"]) <= max(answer["abs_tol"], answer["rel_tol"] * abs(answer["value"]))
        assert within and rows["ana@example.org"][name] == "correct"
    assert rows["ana@example.org"]["points"] == "6" and rows["carla@example.org"]["points"] == "0"
    assert rows["davi@example.org"]["y1[0]"] == "invalid" and rows["davi@example.org"]["y1[1]"] == "correct"
    assert rows["bruno@example.org"]["dL/dW0[1][2]"] == "unanswered"
    grades = read_csv(report.with_name(report.stem + "-moodle.csv"))
    assert list(grades[0]) == ["Email address", "symbackprop points"]
    assert {g["Email address"]: g["symbackprop points"] for g in grades} == {s: r["points"] for s, r in rows.items()}
    assert "more than one attempt" in captured.err and "attempt in progress" in captured.err


def test_canvas_rows_grade_the_latest_attempt_and_write_the_gradebook_columns(tmp_path, exam, capsys):
    code, report, captured = grade_responses(tmp_path, exam, "canvas_student_analysis.csv", "canvas", capsys)
    assert code == 0
    rows = {r["student"]: r for r in read_csv(report)}
    assert set(rows) == {"501", "502", "503", "504"} and {r["variant"] for r in rows.values()} == {"V002"}
    assert rows["502"]["points"] == "3"  # attempt 2 (three right answers), not attempt 1
    assert rows["503"]["points"] == "0" and rows["504"]["y1[0]"] == "invalid"
    assert number_from_text("0,4927").value == 0.4927 and rows["504"]["y1[1]"] == "correct"  # a decimal comma
    grades = read_csv(report.with_name(report.stem + "-canvas.csv"))
    assert list(grades[0]) == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "symbackprop points"]
    assert [(g["Student"], g["ID"], g["symbackprop points"]) for g in grades] == [
        ("Ana Anon", "501", "6"), ("Carla Anon", "503", "0"), ("Davi Anon", "504", "1"), ("Bruno Anon", "502", "3")]
    assert "502: more than one attempt; graded row 6, left out row 3" in captured.err


@pytest.mark.parametrize("name, fmt, message", [
    ("moodle_other_exam.csv", "moodle", "the question text names variant V042, which the manifest does not have"),
    ("moodle_malformed.csv", "moodle", "cannot read the response '0.1874, 0.6346, 0.5315'"),
    ("canvas_other_exam.csv", "canvas", "the questions name variant V042, which the manifest does not have"),
    ("canvas_unmarked.csv", "canvas", "no question column reads '<id>: V001 \u2014 1. ...'"),
    ("moodle_responses.csv", "canvas", "no question column reads"),
    ("canvas_student_analysis.csv", "moodle", "expected exactly one 'Response 1' column"),
])
def test_a_responses_file_from_elsewhere_is_one_error_line(tmp_path, exam, name, fmt, message, capsys):
    code, report, captured = grade_responses(tmp_path, exam, name, fmt, capsys)
    assert code == 2 and not report.exists()
    assert captured.err.startswith("symbackprop: error: ") and captured.err.count("\n") == 1
    assert message in captured.err


@pytest.mark.parametrize("extra, message", [
    (["--format", "blackboard"], "invalid choice: 'blackboard'"),
    ([], "expected ANSWERS.csv, or --responses FILE with --format moodle|canvas"),
])
def test_unknown_or_missing_format_is_one_error_line(tmp_path, exam, extra, message, capsys):
    code = main(["grade", "--responses", str(FIXTURES / "moodle_responses.csv"), "--manifest", str(exam["path"]),
                 "-o", str(tmp_path / "r.csv"), *extra])
    captured = capsys.readouterr()
    assert code == 2 and captured.err.count("\n") == 1 and message in captured.err


def test_the_reader_refuses_an_unknown_format(exam):
    with pytest.raises(ClaimsError, match="expected one of moodle, canvas"):
        read_responses(FIXTURES / "moodle_responses.csv", "sakai", exam["variants"])
