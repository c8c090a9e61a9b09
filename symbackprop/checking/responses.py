"""Online attempts as grading records: Moodle's quiz Responses report and Canvas's Student Analysis, both CSV.

Each attempt is mapped to its exam variant and turned into the records `grade` reads from ANSWERS.csv
({row, student, variant, answers: {quantity: cell}}), so the one Grader grades it, error carried forward."""
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from symbackprop.checking.claims import number_from_text, read_regular
from symbackprop.checking.grading import Graded, Variant, spreadsheet_safe
from symbackprop.errors import ClaimsError
from symbackprop.files.writing import write_atomic

FORMATS = ("moodle", "canvas")
# Moodle: qtype_multianswer's summarise_response() joins get_string('subqresponse') = "part {i}: {response}" with "; "
MOODLE_PART = re.compile(r"part (\d+): ?(.*)", re.DOTALL)
MOODLE_RESPONSE = re.compile(r"Response (\d+)")
MOODLE_QUESTION = re.compile(r"Question (\d+)")
MOODLE_RIGHT = re.compile(r"Right answer (\d+)")
MOODLE_IDENTITY = ("Email address", "ID number", "Username")  # the columns Moodle's CSV grade import can match
MOODLE_NAMES = (("First name", "Last name"), ("First name", "Surname"))
MOODLE_DONE = "Finished"
MOODLE_AVERAGE = "Overall average"
MOODLE_BLANK = ("", "-")
# Canvas: Quizzes::QuizStatistics::StudentAnalysis#to_csv heads each question "<question id>: <stripped text>",
# followed by a column headed by its points; the exporter starts every question text with "V003 — 2."
CANVAS_QUESTION = re.compile(r"\d+: (V\d{3,}) \u2014 (\d+)\.")
CANVAS_GRADEBOOK = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")  # Canvas's gradebook import columns


@dataclass
class Responses:
    """What a responses report holds: the quantity columns, the records, who each student is, and warnings."""

    format: str
    questions: list[str]
    records: list[dict]
    people: dict = field(default_factory=dict)  # Canvas: student id -> the gradebook import's identity columns
    identity: str = ""  # the column that identifies a student in the grade import file
    warnings: list[str] = field(default_factory=list)


def read_responses(path: str | Path, fmt: str, variants: dict[str, Variant]) -> Responses:
    """A Moodle or Canvas responses CSV as grading records against the manifest's variants."""
    if fmt not in FORMATS:
        raise ClaimsError(f"responses format {fmt!r}: expected one of {', '.join(FORMATS)}")
    text = read_regular(Path(path), "responses report", f"the CSV that {fmt.capitalize()} exports",
                        encoding="utf-8-sig")
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as err:
        raise ClaimsError(f"{path}: malformed CSV: {err}") from err
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise ClaimsError(f"{path}: empty file; expected the {fmt.capitalize()} responses report with its header row")
    reader = _moodle if fmt == "moodle" else _canvas
    responses = reader([cell.strip() for cell in rows[0]], rows[1:], variants, str(path))
    responses.records = _latest(responses)
    return responses


def _ordered(variant: Variant) -> list[str]:
    """A variant's asked numbers in question order: Moodle's gaps and the exporters' question numbers."""
    return [name for name, answer in variant.answers.items() if not isinstance(answer.value, str)]


def _cells(header: list[str], row: list[str], source: str, number: int) -> dict[str, str]:
    if len(row) > len(header):
        raise ClaimsError(f"{source}: row {number} has {len(row)} cells; the header has {len(header)}")
    return dict(zip(header, [cell.strip() for cell in row] + [""] * (len(header) - len(row))))


# -- Moodle ----------------------------------------------------------------------------------------
def _moodle(header, rows, variants, source) -> Responses:
    responses = [h for h in header if MOODLE_RESPONSE.fullmatch(h)]
    if len(responses) != 1:
        raise ClaimsError(f"{source}: expected exactly one 'Response 1' column (the quiz's one cloze question), got "
                          f"{len(responses)}; download the Responses report of the quiz made from moodle.xml")
    slot = MOODLE_RESPONSE.fullmatch(responses[0]).group(1)
    asked = f"Question {slot}" if f"Question {slot}" in header else None
    right = f"Right answer {slot}" if f"Right answer {slot}" in header else None
    if asked is None and right is None:
        raise ClaimsError(f"{source}: no 'Question {slot}' or 'Right answer {slot}' column tells each attempt's "
                          f"variant; download the Responses report with the question text or the right answers shown")
    identity = next((h for h in MOODLE_IDENTITY if h in header), "")
    names = next((pair for pair in MOODLE_NAMES if all(h in header for h in pair)), None)
    if not identity and not names:
        raise ClaimsError(f"{source}: no column names the student (expected 'Email address', 'ID number', "
                          f"'Username' or 'First name' and 'Last name')")
    result = Responses("moodle", _all_questions(variants), [], identity=identity or "student")
    for number, row in enumerate(rows, start=2):
        cells = _cells(header, row, source, number)
        first = next(iter(cells.values()), "")
        if first == MOODLE_AVERAGE:
            continue
        student = cells[identity] if identity else " ".join(cells[h] for h in names).strip()
        if not student:
            raise ClaimsError(f"{source}: row {number} names no student")
        state = cells.get("State", MOODLE_DONE)
        if state != MOODLE_DONE:
            result.warnings.append(f"row {number} ({student}): attempt {state.lower() or 'without a state'}, "
                                   f"not graded")
            continue
        variant = _moodle_variant(cells.get(asked, "") if asked else "", cells.get(right, "") if right else "",
                                  variants, source, number)
        parts = _moodle_parts(cells[responses[0]], len(_ordered(variant)), source, number)
        answers = dict(zip(_ordered(variant), parts))
        result.records.append({"row": number, "student": student, "variant": variant.id, "answers": answers})
    return result


def _moodle_variant(question: str, right: str, variants, source: str, number: int) -> Variant:
    """The variant an attempt was given: its id in the question text, else the right answers that match a variant."""
    if question:
        found = [v for v in variants if re.search(rf"(?<![\w]){re.escape(v)}(?![\w])", question)]
        if len(found) == 1:
            return variants[found[0]]
        named = re.findall(r"\bV\d{3,}\b", question)
        problem = (f"names variant {named[0]}, which the manifest does not have" if named and not found
                   else "names no variant of this manifest")
        raise ClaimsError(f"{source}: row {number}: the question text {problem}; expected the responses of the "
                          f"quiz made from this exam's moodle.xml ({_known(variants)})")
    values = [number_from_text(part.split(":", 1)[1].strip()) if ":" in part else None
              for part in right.split("; ")] if right else []
    for variant in variants.values():
        key = [variant.answers[name].value for name in _ordered(variant)]
        if len(key) == len(values) and all(v is not None and abs(v.value - k) <= 1e-9 * max(1.0, abs(k))
                                           for v, k in zip(values, key)):
            return variant
    raise ClaimsError(f"{source}: row {number}: the right answers {right[:60]!r} match no variant of the manifest; "
                      f"expected the responses of the quiz made from this exam's moodle.xml ({_known(variants)})")


def _moodle_parts(cell: str, count: int, source: str, number: int) -> list[str]:
    """The cells of a cloze response summary "part 1: 0.5; part 2: ; ..." in part order ("" unanswered)."""
    if cell in MOODLE_BLANK:
        return [""] * count
    parts = [""] * count
    for piece in cell.split("; "):
        match = MOODLE_PART.fullmatch(piece.strip())
        if not match or not 1 <= int(match.group(1)) <= count:
            raise ClaimsError(f"{source}: row {number}: cannot read the response {piece[:40]!r}; expected "
                              f"'part 1: <number>; part 2: ...' with parts 1 to {count}")
        parts[int(match.group(1)) - 1] = match.group(2).strip()
    return parts


# -- Canvas ----------------------------------------------------------------------------------------
def _canvas(header, rows, variants, source) -> Responses:
    columns = {}
    for position, title in enumerate(header):
        match = CANVAS_QUESTION.match(title)
        if match:
            columns[position] = (match.group(1), int(match.group(2)))
    if not columns:
        raise ClaimsError(f"{source}: no question column reads '<id>: V001 \u2014 1. ...'; expected the Student "
                          f"Analysis report of a quiz imported from this exam's canvas.zip")
    unknown = sorted({v for v, _ in columns.values() if v not in variants})
    if unknown:
        raise ClaimsError(f"{source}: the questions name variant {unknown[0]}, which the manifest does not have; "
                          f"expected the Student Analysis of a quiz from this exam's canvas.zip ({_known(variants)})")
    if "id" not in header:
        raise ClaimsError(f"{source}: no 'id' column; download the Student Analysis report without anonymising it")
    result = Responses("canvas", _all_questions(variants), [], identity="ID")
    quizzes = {v for v, _ in columns.values()}
    for number, row in enumerate(rows, start=2):
        cells = _cells(header, row, source, number)
        values = [cell.strip() for cell in row] + [""] * (len(header) - len(row))
        student = cells["id"]
        if not student:
            raise ClaimsError(f"{source}: row {number} has no student id")
        seen = {columns[p][0] for p in columns if values[p]}
        if len(seen) > 1:
            raise ClaimsError(f"{source}: row {number} ({student}) answers variants {', '.join(sorted(seen))}; "
                              f"expected one quiz (one variant) per row")
        if not seen and len(quizzes) > 1:
            raise ClaimsError(f"{source}: row {number} ({student}) answers nothing, so its variant is unknown; "
                              f"remove the row or grade each quiz's report on its own")
        variant = variants[next(iter(seen or quizzes))]
        ordered = _ordered(variant)
        answers = {name: "" for name in ordered}
        for position, (vid, question) in columns.items():
            if vid == variant.id and question <= len(ordered):
                answers[ordered[question - 1]] = values[position]
        result.records.append({"row": number, "student": student, "variant": variant.id, "answers": answers,
                               "attempt": cells.get("attempt", "")})
        result.people[student] = {"Student": cells.get("name", ""), "ID": student,
                                  "SIS User ID": cells.get("sis_id", ""), "SIS Login ID": "",
                                  "Section": cells.get("section", "")}
    return result


# -- both ------------------------------------------------------------------------------------------
def _all_questions(variants) -> list[str]:
    return list(dict.fromkeys(name for v in variants.values() for name in _ordered(v)))


def _known(variants) -> str:
    ids = list(variants)
    return f"{ids[0]} to {ids[-1]}" if len(ids) > 1 else ids[0]


def _latest(responses: Responses) -> list[dict]:
    """One attempt per student: the highest attempt number (Canvas), else the last row; a warning names the rest."""
    chosen: dict[str, dict] = {}
    for record in responses.records:
        earlier = chosen.get(record["student"])
        if earlier is not None:
            keep = record
            if record.get("attempt", "").isdigit() and earlier.get("attempt", "").isdigit():
                keep = record if int(record["attempt"]) >= int(earlier["attempt"]) else earlier
            other = earlier if keep is record else record
            responses.warnings.append(f"{record['student']}: more than one attempt; graded row {keep['row']}, "
                                      f"left out row {other['row']}")
            record = keep
        chosen[record["student"]] = record
    return sorted(chosen.values(), key=lambda r: r["row"])


def grade_import_csv(responses: Responses, graded: list[Graded], column: str) -> str:
    """A CSV the platform's grade import reads: Moodle's (identity column, points) or Canvas's gradebook columns."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if responses.format == "canvas":
        writer.writerow([*CANVAS_GRADEBOOK, column])
        for g in graded:
            person = responses.people[g.student]
            writer.writerow([*(spreadsheet_safe(person[h]) for h in CANVAS_GRADEBOOK), f"{round(g.points, 6):g}"])
    else:
        writer.writerow([responses.identity, column])
        for g in graded:
            writer.writerow([spreadsheet_safe(g.student), f"{round(g.points, 6):g}"])
    return buffer.getvalue()


def import_path(report: str | Path, fmt: str) -> Path:
    """Where the grade import file goes: beside the report, report-moodle.csv or report-canvas.csv."""
    report = Path(report)
    return report.with_name(f"{report.stem}-{fmt}.csv")


def write_grade_import(report: str | Path, responses: Responses, graded: list[Graded], column: str) -> Path:
    """Write the grade import file atomically; returns its path."""
    path = import_path(report, responses.format)
    write_atomic(path, grade_import_csv(responses, graded, column))
    return path
