"""Class grading: each student's answers checked against their own exam variant, with points and a per-question summary."""
import csv
import io
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from symbackprop.checking.claims import (MAX_CLAIM_CHARS, MAX_NAME_CHARS, Claim, Number, number_from_text,
                                         read_regular, whole_numbers_at_printed_precision)
from symbackprop.checking.float_evaluator import to_float
from symbackprop.checking.graph import Graph
from symbackprop.checking.mistakes import Candidates
from symbackprop.checking.tolerance import Policy, Precision, precision
from symbackprop.checking.verdicts import Checker, parse_claim_expression
from symbackprop.checking.wrong_answers import carried_value, parameter_change
from symbackprop.errors import ClaimsError, LatexParseError, QuantityError, SettingError, SymbackpropError
from symbackprop.files.writing import write_atomic
from symbackprop.notation.derivation_tex import derive
from symbackprop.model.chain_graph import ChainGraph as Rules
from symbackprop.model.points import point_values
from symbackprop.model.quantities import Names
from symbackprop.model.spec import Spec, Values, spec_from_dict, values_to_dict

ID_COLUMNS = ("student", "variant")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # a cell starting so opens as a formula in a spreadsheet
VERDICTS = ("correct", "consistent", "wrong", "invalid", "unanswered")
QUANTITY_MARKS = re.compile(r"[\[\]/.{}^_\\]")  # a header with one of these is meant as a quantity name
DOUBLE_SIGN = re.compile(r"[+\-\u2212]\s*[+\-\u2212]")
SIDE_FILES = {"questions": "_questions.csv", "points": "_points.csv"}  # written beside report.csv
MOST_COMMON = 3  # mistakes listed per question


@dataclass(frozen=True)
class Answer:
    """An asked quantity of one variant: the key's value, its tolerance and its points."""

    value: float | str
    abs_tol: float
    rel_tol: float
    points: float
    precision: Precision | None = None  # the tolerance policy's precision, from a manifest that records decimals

    def tolerance(self, reference: float) -> float:
        """The policy's tolerance of the question (checking/tolerance.py); for a manifest without decimals,
        max(abs_tol, rel_tol |reference|) as that exam stated it."""
        if self.precision is not None:
            return self.precision.tolerance
        return max(self.abs_tol, self.rel_tol * abs(reference))


@dataclass(frozen=True)
class Variant:
    """One exam variant: id, the spec with its drawn values, and its asked answers."""

    id: str
    spec: Spec
    answers: dict


@dataclass
class Graded:
    """One student's verdicts and points."""

    student: str
    variant: str
    points: float = 0.0
    max_points: float = 0.0
    verdicts: dict = field(default_factory=dict)  # name -> "correct" | ... | "wrong:<mistake>" | "" (not asked)
    results: dict = field(default_factory=dict)  # name -> Result, for answered cells that parsed
    problems: dict = field(default_factory=dict)  # name -> why an answer is invalid
    scores: dict = field(default_factory=dict)  # name -> points for that answer (asked quantities only)
    possible: dict = field(default_factory=dict)  # name -> the question's points


# -- manifest --------------------------------------------------------------------------------------
def load_manifest(path: str | Path) -> dict[str, Variant]:
    """The variants of an exam manifest (manifest.json) by id, each with its spec rebuilt and validated."""
    path = Path(path)
    text = read_regular(path, "manifest", "the manifest.json that symbackprop exam writes")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ClaimsError(f"{path}: malformed JSON at line {err.lineno}, column {err.colno}: {err.msg}") from err
    except RecursionError as err:
        raise ClaimsError(f"{path}: the JSON is nested too deeply; expected the manifest.json that symbackprop "
                          f"exam writes") from err
    return manifest_variants(data, str(path))


def manifest_variants(data, source: str = "manifest") -> dict[str, Variant]:
    """Validate manifest data into variants."""
    if not isinstance(data, dict) or not isinstance(data.get("spec"), dict) or not isinstance(
            data.get("variants"), list):
        raise ClaimsError(f"{source}: expected an object with \"spec\" (an object) and \"variants\" (a list)")
    base = {key: value for key, value in data["spec"].items() if key != "values"}
    base_spec = spec_from_dict(base, f"{source}: spec")
    network = base_spec.network
    names = Names(network)
    steps = base_spec.training.steps if base_spec.training else 0
    variants = {}
    for position, entry in enumerate(data["variants"]):
        where = f"{source}: variants[{position}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("values"), dict) or not isinstance(
                entry.get("answers"), dict) or "id" not in entry:
            raise ClaimsError(f"{where}: expected an object with \"id\", \"values\" and \"answers\"")
        variant_id = str(entry["id"])
        if variant_key(variant_id) in {variant_key(known) for known in variants}:
            raise ClaimsError(f"{where}: duplicate variant id {variant_id!r} (ids are compared ignoring case)")
        values = _values(entry["values"], names, where)
        spec = spec_from_dict({**base, "values": values_to_dict(network, values)}, where)
        answers = {_answer_name(name, names, steps, f"{where}.answers"): _answer(name, raw, f"{where}.answers")
                   for name, raw in entry["answers"].items()}
        variants[variant_id] = Variant(variant_id, spec, answers)
    if not variants:
        raise ClaimsError(f"{source}: the manifest has no variants")
    return variants


def variant_key(variant_id: str) -> str:
    """A variant id as compared: without surrounding spaces, ignoring case (v001 is V001)."""
    return variant_id.strip().casefold()


def _values(table: dict, names: Names, where: str) -> Values:
    """A variant's named inputs, targets and parameters as Values (weights in the row orientation)."""
    def get(name):
        value = table.get(name)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ClaimsError(f"{where}.values: {name!r} is missing or not a finite number")
        return float(value)

    return point_values(names.network, get)


def _answer_name(name: str, names: Names, steps: int, where: str) -> str:
    """An asked quantity's name, checked against the network and the number of training steps."""
    if len(name) > MAX_NAME_CHARS:
        raise ClaimsError(f"{where}: a quantity name is {len(name)} characters long; names have at most "
                          f"{MAX_NAME_CHARS}")
    try:
        names.parse(name, steps)
    except QuantityError as err:
        raise ClaimsError(f"{where}: {err}") from err
    except (ValueError, OverflowError) as err:
        raise ClaimsError(f"{where}: unknown quantity {name[:40]!r}: an index is out of range") from err
    return name


def _answer(name: str, raw, where: str) -> Answer:
    if not isinstance(raw, dict) or "value" not in raw:
        raise ClaimsError(f"{where}.{name}: expected {{\"value\", \"abs_tol\", \"rel_tol\", \"points\"}}")
    numbers = {}
    for key, default in (("abs_tol", 0.0), ("rel_tol", 0.0), ("points", 1.0)):
        value = raw.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise ClaimsError(f"{where}.{name}.{key}: expected a number >= 0, got {value!r}")
        numbers[key] = float(value)
    value = raw["value"]
    if not isinstance(value, (int, float, str)) or isinstance(value, bool):
        raise ClaimsError(f"{where}.{name}.value: expected a number or an expression, got {value!r}")
    return Answer(value, **numbers, precision=_precision(raw, numbers["abs_tol"], f"{where}.{name}"))


def _precision(raw: dict, tolerance: float, where: str) -> Precision | None:
    """The question's precision when the manifest records its decimals (and significant figures, or null)."""
    if "decimals" not in raw:
        return None
    decimals, significant = raw["decimals"], raw.get("significant")
    for key, number in (("decimals", decimals), ("significant", significant)):
        if number is not None and (isinstance(number, bool) or not isinstance(number, int) or not 0 <= number <= 20):
            raise ClaimsError(f"{where}.{key}: expected a whole number from 0 to 20, got {number!r}")
    if decimals is None:
        raise ClaimsError(f"{where}.decimals: expected a whole number from 0 to 20, got None")
    return Precision(decimals, tolerance, significant)


def policy_tolerance(checker: Checker, policy: Policy = Policy()):
    """tolerance_of(name, reference) for Checker.check that judges a student's answers by the tolerance policy:
    each quantity's tolerance fixed by its true value (an updated parameter's by its step), widened for the
    value carried from intermediates rounded at the asked decimals; never by the digits typed."""
    truths = _Truths(checker)
    found: dict[str, float] = {}

    def tolerance_of(name: str, reference: float) -> float:
        if name not in found:
            def carried(decimals: int):
                return carried_value(checker.graph, checker.point, name,
                                     lambda node, value: max(decimals, precision(value, policy).decimals))

            found[name] = precision(checker.truth(name), policy, change=parameter_change(name, truths),
                                    carried=carried).tolerance
        return found[name]
    return tolerance_of


class _Truths:
    """A checker's true values read by name (what parameter_change reads)."""

    def __init__(self, checker: Checker):
        self.checker = checker

    def __getitem__(self, name: str) -> float:
        return self.checker.truth(name)


# -- answers ---------------------------------------------------------------------------------------
def read_answers(path: str | Path) -> tuple[list[str], list[dict]]:
    """(question columns, rows) of an answers CSV; the delimiter (, ; or tab) is detected."""
    text = read_regular(Path(path), "answers", "a UTF-8 CSV file", encoding="utf-8-sig")
    return parse_answers(text, str(path))


def parse_answers(text: str, source: str = "answers") -> tuple[list[str], list[dict]]:
    """Parse answers CSV text: student, variant, then one column per asked quantity (other columns are kept for
    Grader.validate to sort out). Every row is one line: a row that runs over several lines (an unclosed quote)
    is an error naming the line where the quote opened."""
    first = text.splitlines()[0] if text.strip() else ""
    if not first.strip():
        raise ClaimsError(f"{source}: empty file; expected a header row student,variant,<quantity>,...")
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [cell.strip() for cell in next(reader)]
        rows, line = [], reader.line_num
        for row in reader:
            rows.append((line + 1, reader.line_num, row))
            line = reader.line_num
    except csv.Error as err:
        raise ClaimsError(f"{source}: malformed CSV at line {reader.line_num}: {err}") from err
    if [h.lower() for h in header[:2]] != list(ID_COLUMNS):
        raise ClaimsError(f"{source}: the first columns must be student,variant; got {','.join(header[:2])}")
    questions = header[2:]
    duplicated = [name for name, count in Counter(questions).items() if count > 1]
    if duplicated:
        raise ClaimsError(f"{source}: column{'s' * (len(duplicated) > 1)} {_listed(duplicated)} "
                          f"appear{'s' * (len(duplicated) == 1)} more than once; keep one column per quantity")
    records = []
    for start, end, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        if end > start and not _multiline_note(header, row, delimiter):
            raise ClaimsError(f"{source}: line {start}: a quote opened on this line runs to line {end}, so "
                              f"{end - start + 1} lines read as one row; close the quote (or remove it)")
        if len(row) > len(header):
            raise ClaimsError(f"{source}: line {start} has {len(row)} cells; the header has {len(header)}")
        cells = [cell.strip() for cell in row] + [""] * (len(header) - len(row))
        records.append({"row": start, "student": cells[0], "variant": cells[1],
                        "answers": dict(zip(questions, cells[2:]))})
    return questions, records


def is_question(column: str) -> bool:
    """Whether a column header is meant as a quantity name (brackets, a slash, a dot, TeX marks) or is one
    (L); a header without them (comment, email, Q1) is an export's own column."""
    return bool(QUANTITY_MARKS.search(column)) or column == "L"


def _multiline_note(header: list[str], row: list[str], delimiter: str) -> bool:
    """Whether a row over several lines is a note written over lines (a cell of a column that is no question,
    none of whose lines holds a whole row), not rows merged by a quote left open."""
    for position, cell in enumerate(row):
        if "\n" not in cell and "\r" not in cell:
            continue
        column = header[position] if position < len(header) else ""
        if position < len(ID_COLUMNS) or not column or is_question(column):
            return False
        if any(line.count(delimiter) >= len(header) - 1 for line in cell.splitlines()):
            return False
    return True


def _listed(names, limit: int = 8) -> str:
    """'a', 'b' and 'c' (the first `limit` of them, then how many more)."""
    shown = [repr(name[:40]) for name in list(names)[:limit]]
    more = len(names) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


# -- grading ---------------------------------------------------------------------------------------
class Grader:
    """Grades answer rows against a manifest's variants (one graph for all, one checker per variant)."""

    def __init__(self, variants: dict[str, Variant], consistent_credit: float = 1.0):
        if not 0 <= consistent_credit <= 1:
            raise SettingError("consistent_credit", f"expected a fraction from 0 to 1, got {consistent_credit!r}")
        self.variants = variants
        self.consistent_credit = consistent_credit
        first = next(iter(variants.values())).spec
        self.derivation = derive(first.network)
        self.rules = Rules(self.derivation, first.training)  # every variant shares network and training
        self.graph = Graph(self.rules)
        self.candidates = Candidates(self.rules, self.graph)
        self.warnings: list[str] = []
        self._checkers: dict[str, Checker] = {}
        self._expressions: dict = {}  # (name, cell, symbolic) -> what _claim() made of it
        self._by_key: dict | None = None  # variant_key(id) -> variant

    def checker(self, variant: Variant) -> Checker:
        """The variant's checker, built once (its true values are computed once)."""
        found = self._checkers.get(variant.id)
        if found is None:
            found = self._checkers[variant.id] = Checker(variant.spec, rules=self.rules, derivation=self.derivation,
                                                         graph=self.graph, candidates=self.candidates)
            found.tabulate = True
            self._compare_key(variant, found)
        return found

    def variant(self, variant_id: str) -> Variant | None:
        """The variant of an id as a student wrote it (ignoring case and surrounding spaces), or None."""
        if self._by_key is None:
            self._by_key = {variant_key(key): variant for key, variant in self.variants.items()}
        return self._by_key.get(variant_key(variant_id))

    def validate(self, questions: list[str], records: list[dict], source: str = "answers") -> list[str]:
        """The question columns to grade (a quantity the exam does not ask keeps its column, empty in the report).
        Fails, naming them all, on columns meant as quantities that are not quantities of the network, on asked
        quantities without a column, on unknown variant ids and on students with more than one row; other
        columns (comment, email, Q1) are ignored with a warning."""
        steps = next(iter(self.variants.values())).spec.training
        steps = steps.steps if steps else 0
        asked = list(dict.fromkeys(name for variant in self.variants.values() for name in variant.answers))
        ignored = [name for name in questions if not is_question(name) and name not in asked]
        graded = [name for name in questions if name not in ignored]
        unknown = []
        for name in graded:
            if len(name) > MAX_NAME_CHARS:
                unknown.append(f"a column name is {len(name)} characters long; quantity names have at most "
                               f"{MAX_NAME_CHARS}")
                continue
            try:
                self.derivation.names.parse(name, steps)
            except QuantityError as err:
                unknown.append(f"column {name!r}: {err}")
            except (ValueError, OverflowError):
                unknown.append(f"column {name[:40]!r}: an index is out of range")
        if unknown:
            raise QuantityError(f"{source}: {'; '.join(unknown[:5])}" + (f"; and {len(unknown) - 5} more"
                                                                         if len(unknown) > 5 else ""))
        missing = [name for name in asked if name not in graded]
        if missing:
            raise ClaimsError(f"{source}: no column for the asked {_listed(missing)}; add a column headed by each "
                              f"asked quantity (an empty cell is unanswered)")
        strangers = [f"line {r['row']} ({r['student'][:40] or 'no name'}): {r['variant'][:40]!r}"
                     for r in records if self.variant(r["variant"]) is None]
        if strangers:
            known = ", ".join(list(self.variants)[:5]) + (", ..." if len(self.variants) > 5 else "")
            raise ClaimsError(f"{source}: unknown variant id in {'; '.join(strangers[:5])}; the manifest has "
                              f"{known}")
        lines: dict[str, list[int]] = {}
        for record in records:
            lines.setdefault(record["student"], []).append(record["row"])
        twice = [f"{student[:40]!r} (lines {', '.join(map(str, rows))})" for student, rows in lines.items()
                 if len(rows) > 1]
        if twice:
            raise ClaimsError(f"{source}: more than one row for student {', '.join(twice[:5])}; keep one row per "
                              f"student")
        if ignored:
            several = len(ignored) > 1
            self.warnings.append(f"{source}: ignoring column{'s' * several} {_listed(ignored)} "
                                 f"({'not quantity names' if several else 'not a quantity name'})")
        return graded

    def grade(self, record: dict) -> Graded:
        """One student's row: verdict and points per asked quantity."""
        variant = self.variant(record["variant"])
        checker = self.checker(variant)
        graded = Graded(record["student"], variant.id)
        claims, invalid, expressions = [], {}, {}
        for name, cell in record["answers"].items():
            if name not in variant.answers or not cell:
                continue
            claim, expr, problem = self._claim(name, cell, variant.answers[name], checker)
            if problem:
                invalid[name] = problem
                continue
            claims.append(claim)
            if claim.symbolic:
                expressions[name] = expr
        claims = whole_numbers_at_printed_precision(claims)  # "0" is no 0 ± 0.5 among the student's inputs
        results = checker.check(claims, lambda name, ref: variant.answers[name].tolerance(ref), expressions)
        graded.results = {r.name: r for r in results}
        for name, answer in variant.answers.items():
            graded.max_points += answer.points
            result = graded.results.get(name)
            graded.scores[name], graded.possible[name] = 0.0, answer.points
            if name in invalid:
                graded.verdicts[name] = "invalid"
                graded.problems[name] = invalid[name]
            elif result is None:
                graded.verdicts[name] = "unanswered"
            else:
                graded.verdicts[name] = result.verdict + (f":{result.mistake}" if result.mistake else "")
                credit = {"correct": 1.0, "consistent": self.consistent_credit}.get(result.verdict, 0.0)
                graded.scores[name] = credit * answer.points
                graded.points += graded.scores[name]
        for name in record["answers"]:
            graded.verdicts.setdefault(name, "")
        return graded

    def _claim(self, name: str, cell: str, answer: Answer, checker: Checker):
        """(claim, parsed expression or None, problem) for one answer cell; a problem when it cannot be read.
        Remembered by cell: a class writes the same answers again and again."""
        key = (name, cell, isinstance(answer.value, str))
        found = self._expressions.get(key)
        if found is None:
            found = self._expressions[key] = self._read_claim(name, cell, answer, checker)
        return found

    def _read_claim(self, name: str, cell: str, answer: Answer, checker: Checker):
        """_claim() without the memory."""
        if len(cell) > MAX_CLAIM_CHARS:
            return None, None, f"answer longer than {MAX_CLAIM_CHARS} characters"
        number = number_from_text(cell)
        if number is not None:
            return Claim(name, number), None, ""
        if DOUBLE_SIGN.search(cell):
            return None, None, f"{cell[:40]!r} is not a number: two signs in a row; write one sign"
        claim = Claim(name, text=cell)
        try:
            if isinstance(answer.value, str):
                return claim, checker.expression(claim), ""
            expr = parse_claim_expression(cell, checker.spec.network, name)
        except (LatexParseError, ClaimsError) as err:
            return None, None, str(err)
        if expr.free_symbols:
            return None, None, "expected a number, got an expression with symbols"
        value = to_float(expr, {})  # a number written as arithmetic, e.g. 0.7*0.1 + 0.25: taken as exact
        if not math.isfinite(value):
            return None, None, f"{cell!r} is not a finite number"
        return Claim(name, Number(value, cell, 0.0)), None, ""

    def _compare_key(self, variant: Variant, checker: Checker) -> None:
        """Warn once per variant when the manifest's key disagrees with the recomputed value."""
        for name, answer in variant.answers.items():
            if isinstance(answer.value, str):
                continue
            truth = checker.truth(name)
            if not abs(truth - answer.value) <= answer.tolerance(truth) + 1e-12:
                self.warnings.append(f"variant {variant.id}: the manifest's {name} = {answer.value:g} but the "
                                     f"spec gives {truth:.6g}; grading against {truth:.6g}")


def grade_all(grader: Grader, records: list[dict]) -> list[Graded]:
    """Every row graded, in order."""
    return [grader.grade(record) for record in records]


def _points(value: float) -> str:
    return f"{round(value, 6):g}"


def spreadsheet_safe(text: str) -> str:
    """Text for a CSV cell that a spreadsheet shows as text: a leading = + - @ tab or CR gets a quote before it."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def report_csv(questions: list[str], graded: list[Graded]) -> str:
    """The per-student CSV text: student, variant, points, max_points, then one verdict column per quantity.

    Cells holding text from the answers file are made spreadsheet-safe; the points stay numbers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["student", "variant", "points", "max_points", *map(spreadsheet_safe, questions)])
    for g in graded:
        writer.writerow([spreadsheet_safe(g.student), spreadsheet_safe(g.variant), _points(g.points),
                         _points(g.max_points), *(g.verdicts.get(q, "") for q in questions)])
    return buffer.getvalue()


def question_rows(questions: list[str], graded: list[Graded]) -> list[dict]:
    """Per question: how many were asked it and answered it, how many got each verdict, its points, the mean
    points, and the most common mistakes."""
    found = []
    for name in questions:
        asked = [g for g in graded if g.verdicts.get(name)]
        counts = Counter(g.verdicts[name].split(":")[0] for g in asked)
        mistakes = Counter(g.verdicts[name].split(":", 1)[1] for g in asked if ":" in g.verdicts[name])
        row = {"question": name, "asked": len(asked), "answered": len(asked) - counts["unanswered"]}
        row |= {verdict: counts[verdict] for verdict in VERDICTS}
        row["points"] = max((g.possible[name] for g in asked), default=0.0)
        row["mean_points"] = sum(g.scores[name] for g in asked) / len(asked) if asked else 0.0
        row["most_common_mistakes"] = "; ".join(f"{m} ({n})" for m, n in mistakes.most_common(MOST_COMMON))
        found.append(row)
    return found


def questions_csv(questions: list[str], graded: list[Graded]) -> str:
    """report_questions.csv: one row per question with question_rows()'s columns."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    columns = ["question", "asked", "answered", *VERDICTS, "points", "mean_points", "most_common_mistakes"]
    writer.writerow(columns)
    for row in question_rows(questions, graded):
        writer.writerow([spreadsheet_safe(row["question"]), *(row[c] for c in columns[1:-3]),
                         _points(row["points"]), _points(row["mean_points"]), row["most_common_mistakes"]])
    return buffer.getvalue()


def points_csv(questions: list[str], graded: list[Graded]) -> str:
    """report_points.csv: student, variant, then each asked question's points (empty where not asked)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["student", "variant", *map(spreadsheet_safe, questions)])
    for g in graded:
        writer.writerow([spreadsheet_safe(g.student), spreadsheet_safe(g.variant),
                         *(_points(g.scores[q]) if q in g.scores else "" for q in questions)])
    return buffer.getvalue()


def side_file(path: str | Path, kind: str) -> Path:
    """The file beside the report: report.csv -> report_questions.csv, report_points.csv."""
    path = Path(path)
    return path.with_name(path.stem + SIDE_FILES[kind])


def write_report(path: str | Path, questions: list[str], graded: list[Graded]) -> None:
    """The report CSV and the two files beside it (per-question statistics, per-question points), each written
    atomically (a reader never sees half of one)."""
    path = Path(path)
    texts = {path: report_csv(questions, graded), side_file(path, "questions"): questions_csv(questions, graded),
             side_file(path, "points"): points_csv(questions, graded)}
    for target, text in texts.items():
        try:
            write_atomic(target, text)
        except OSError as err:
            raise SymbackpropError(f"{target}: cannot write the report ({err.strerror or err})") from err


def summary(questions: list[str], graded: list[Graded]) -> list[str]:
    """Per question: how many got it right, consistent, wrong, invalid, unanswered; the most common mistake."""
    lines = []
    for name in questions:
        verdicts = [g.verdicts.get(name, "") for g in graded]
        asked = [v for v in verdicts if v]
        if not asked:
            lines.append(f"{name}: not asked in any graded variant")
            continue
        counts = Counter(v.split(":")[0] for v in asked)
        mistakes = Counter(v.split(":", 1)[1] for v in asked if ":" in v)
        parts = [f"{counts['correct']}/{len(asked)} correct"]
        parts += [f"{counts[v]} {v}" for v in VERDICTS[1:] if counts[v]]
        common = mistakes.most_common(1)
        tail = f"; most common mistake: {common[0][0]} ({common[0][1]})" if common else ""
        lines.append(f"{name}: {', '.join(parts)}{tail}")
    if graded:
        mean = sum(g.points for g in graded) / len(graded)
        top = max(g.max_points for g in graded)
        lines.append(f"{len(graded)} students: mean {_points(mean)} of {_points(top)} points")
    return lines
