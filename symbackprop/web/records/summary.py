"""What the lecturer reads from the records: per-question counts, per-student progress, grade's CSV and report."""
import dataclasses
import tempfile
import threading
from pathlib import Path

from symbackprop.checking import grading
from symbackprop.checking.claims import number_from_text
from symbackprop.web.records.store import VERDICTS, Row

LINE_BREAKS = str.maketrans("\t\r\n\v\f", "     ")  # a text cell stays on one line of one column


def summary(rows: list[Row], counts: tuple[int, int], questions: list[str]) -> dict:
    """{"submissions", "students", "questions": {name: {correct, consistent, wrong, mistakes}}} from latest rows."""
    table = {name: {**{verdict: 0 for verdict in VERDICTS}, "mistakes": {}} for name in questions}
    for row in rows:
        entry = table.setdefault(row.quantity, {**{verdict: 0 for verdict in VERDICTS}, "mistakes": {}})
        entry[row.verdict] += 1
        if row.mistake:
            entry["mistakes"][row.mistake] = entry["mistakes"].get(row.mistake, 0) + 1
    for entry in table.values():
        entry["mistakes"] = dict(sorted(entry["mistakes"].items(), key=lambda item: (-item[1], item[0])))
    return {"submissions": counts[0], "students": counts[1], "questions": table}


def progress(rows: list[Row], asked: int) -> list[dict]:
    """Per student: variant, how many questions answered and the verdicts of their latest entries."""
    students: dict[str, dict] = {}
    for row in rows:
        entry = students.setdefault(row.student, {"student": row.student, "variant": row.variant, "answered": 0,
                                                  **{verdict: 0 for verdict in VERDICTS}, "last": ""})
        entry["answered"] += 1
        entry[row.verdict] += 1
        entry["last"] = max(entry["last"], row.created)
        entry["variant"] = row.variant
    return [{**entry, "asked": asked} for _, entry in sorted(students.items())]


def answer_table(rows: list[Row], questions: list[str]) -> tuple[list[str], list[dict]]:
    """grade's ANSWERS rows: student, variant and the latest entry per question."""
    records: dict[tuple[str, str], dict] = {}
    for row in rows:
        key = (row.student, row.variant)
        records.setdefault(key, {"student": row.student, "variant": row.variant, "answers": {}})
        records[key]["answers"][row.quantity] = row.entry
    ordered = [records[key] for key in sorted(records)]
    for number, record in enumerate(ordered, start=2):
        record["row"] = number
        record["answers"] = {name: record["answers"].get(name, "") for name in questions}
    return questions, ordered


def answers_csv(rows: list[Row], questions: list[str]) -> str:
    """The ANSWERS.csv that `symbackprop grade` reads."""
    import csv
    import io
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["student", "variant", *questions])
    for record in answer_table(rows, questions)[1]:
        writer.writerow([text_cell(record["student"]), text_cell(record["variant"]),
                         *(entry_cell(record["answers"][q]) for q in questions)])
    return out.getvalue()


def text_cell(text: str) -> str:
    """A text cell a spreadsheet shows as text: tabs and line breaks made spaces, a leading = + - @ quoted."""
    return grading.spreadsheet_safe(text.strip().translate(LINE_BREAKS))


def entry_cell(entry: str) -> str:
    """An entry's cell: a number as typed (-0.1435 stays a number); an expression starting with a sign in
    parentheses, (-(y[0]-y1[0])*...), which grade reads as the same expression; any other text a text cell."""
    entry = entry.strip()
    if number_from_text(entry) is not None:
        return entry
    if entry.startswith(("-", "+")):
        return text_cell(f"({entry})")
    return text_cell(entry)


class Regrader:
    """grade's verdicts on each student's latest entries (what report.csv says), so that the dashboard and the
    report agree entry by entry even after a student corrects an entry that later ones were carried from.
    One grader for the server's life; a student is graded again only when their entries change."""

    def __init__(self, exercises, size: int = 20_000):
        self.exercises = exercises
        self.size = size
        self._grader: grading.Grader | None = None
        self._graded: dict = {}
        self._lock = threading.Lock()

    def graded(self, rows: list[Row]) -> tuple[list[str], list[grading.Graded]]:
        """(questions, one Graded per student and variant) for the latest rows."""
        questions, records = answer_table(rows, self.exercises.question_names)
        with self._lock:
            if self._grader is None:
                variants = {key: grading.Variant(key, e.spec, e.answers) for key, e in self.exercises.exercises.items()}
                self._grader = grading.Grader(variants)
            out = []
            for record in records:
                if record["variant"] not in self._grader.variants:
                    continue
                key = (record["student"], record["variant"], tuple(record["answers"].items()))
                found = self._graded.get(key)
                if found is None:
                    found = self._grader.grade(record)
                    if len(self._graded) >= self.size:
                        self._graded.pop(next(iter(self._graded)))
                    self._graded[key] = found
                out.append(found)
        return questions, out

    def rows(self, rows: list[Row]) -> list[Row]:
        """The latest rows with report.csv's verdict for every entry the exam grades (the rest as recorded); an
        entry grade cannot read is left out, as an unreadable entry is."""
        graded = {(g.student, g.variant): g for g in self.graded(rows)[1]}
        out = []
        for row in rows:
            found = graded.get((row.student, row.variant))
            verdict = found.verdicts.get(row.quantity, "") if found else ""
            if verdict in ("", "unanswered"):
                out.append(row)
                continue
            kind, _, mistake = verdict.partition(":")
            if kind in VERDICTS:
                out.append(dataclasses.replace(row, verdict=kind, mistake=mistake or None))
        return out

    def report_csv(self, rows: list[Row]) -> str:
        """grade's report.csv for the latest entries (what `symbackprop grade` writes from answers_csv), graded
        with the exam's tolerances and points."""
        questions, graded = self.graded(rows)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "report.csv"
            grading.write_report(path, questions, graded)
            return path.read_text(encoding="utf-8")
