"""Plain-Python bookkeeping for the corpus recomputations: printed numbers, their rounding, and the verdicts."""
import math
import re
import sys
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

KINDS = ("arithmetic", "derivative", "update", "definition", "consistent")


def sigmoid(v: float) -> float:
    """The logistic function 1 / (1 + e^-v)."""
    return 1.0 / (1.0 + math.exp(-v))


def half_unit(written: str) -> float:
    """Half a unit of the last printed digit: 0.0005 for 0.743, 0.5 for 12, 0.00005 for 1.2e-3 written 0.0012."""
    text = written.replace("−", "-").replace(",", ".").lstrip("+-")
    mantissa, _, exponent = text.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 0.5 * 10.0 ** (-decimals + (int(exponent) if exponent else 0))


def to_float(written: str) -> float:
    """The value of a number as the document prints it (decimal comma and Unicode minus allowed)."""
    return float(written.replace("−", "-").replace(",", ".").replace(" ", ""))


def number_spans(line: str, written: str) -> list[int]:
    """0-based columns where `written` stands as a whole number on `line` (not inside a longer number, nor a
    subscript, a layer index or a name such as w_1, x1, w_{1}, a^{(1)})."""
    pattern = r"(?<![\d.,A-Za-z_])(?<!_\{)" + re.escape(written) + r"(?![\d]|[.,]\d)"
    spans = []
    for m in re.finditer(pattern, line):
        if written.isdigit() and line[max(0, m.start() - 2):m.start()] == "{(" and line[m.end():m.end() + 2] == ")}":
            continue  # the layer index of a^{(1)}
        spans.append(m.start())
    return spans


@dataclass
class Number:
    """A number printed in the document: what it says, how precisely, and what it should be."""
    line: int
    written: str
    true: float                 # the value the document's definitions give from its stated inputs
    printed_range: tuple        # (low, high) the printed number stands for
    status: str = "correct"     # correct, or one of KINDS
    correct_value: float = None
    note: str = ""
    occurrence: int = 1
    source: "Number" = None     # the earlier number this one restates, if any
    given: bool = False
    col: int = 0                # 1-based column of the number on its line
    roots: dict = field(default_factory=dict)   # first-order dependence on the rounding of printed numbers

    @property
    def value(self) -> float:
        return to_float(self.written)

    @property
    def tainted(self) -> bool:
        return self.status != "correct"


def _propagate(fn, operands):
    """fn at the operands' printed values, and its first-order dependence on their rounding roots."""
    values = [op.value for op in operands]
    centre = fn(*values)
    roots: dict = {}
    for i, op in enumerate(operands):
        if not op.roots:
            continue
        step = 1e-7 * max(1.0, abs(values[i]))
        up, down = list(values), list(values)
        up[i] += step
        down[i] -= step
        slope = (fn(*up) - fn(*down)) / (2 * step)
        for root, sensitivity in op.roots.items():
            roots[root] = roots.get(root, 0.0) + slope * sensitivity
    return centre, roots


@dataclass
class Worksheet:
    """One corpus document's recomputation: every printed number, judged from the document's own earlier numbers."""
    folder: Path
    source_name: str
    numbers: list = field(default_factory=list)
    _spans: dict = field(default_factory=dict)   # root -> the offsets from its printed value it may stand for

    @classmethod
    def beside(cls, script: str) -> "Worksheet":
        folder = Path(script).resolve().parent
        source = next(p.name for p in sorted(folder.iterdir()) if p.stem == "source")
        return cls(folder, source)

    @property
    def lines(self) -> list[str]:
        if not hasattr(self, "_lines"):
            text = (self.folder / self.source_name).read_text(encoding="utf-8")
            self._lines = text.split("\n")
        return self._lines

    def _locate(self, line: int, written: str, occurrence: int) -> int:
        """1-based column of the occurrence-th `written` on `line` (0: the next one not yet claimed)."""
        if not hasattr(self, "_claimed"):
            self._claimed = {}
        if occurrence == 0:
            occurrence = self._claimed.get((line, written), 0) + 1
        self._claimed[(line, written)] = max(occurrence, self._claimed.get((line, written), 0))
        self._occurrence = occurrence
        spans = number_spans(self.lines[line - 1], written)
        if len(spans) < occurrence:
            raise AssertionError(f"{self.source_name}:{line}: {written!r} (occurrence {occurrence}) is not on this "
                                 f"line: {self.lines[line - 1]!r}")
        return spans[occurrence - 1] + 1

    def given(self, line: int, written: str, occurrence: int = 0) -> Number:
        """A stated input (weight, input, target, learning rate): exact as written."""
        col = self._locate(line, written, occurrence)
        value = to_float(written)
        number = Number(line, written, value, (value, value), occurrence=self._occurrence, given=True, col=col)
        self.numbers.append(number)
        return number

    def implied(self, value: float) -> Number:
        """A constant the document uses without printing it (say so in the recomputation's notes)."""
        return Number(0, repr(value), value, (value, value), given=True)

    def restate(self, line: int, written: str, earlier: Number, occurrence: int = 0, kind: str = "arithmetic",
                note: str = "") -> Number:
        """An earlier number written again (an operand substituted into a formula)."""
        return self.claim(line, written, lambda v: v, earlier, occurrence=occurrence, kind=kind, note=note,
                          _source=earlier)

    def restate_signed(self, line: int, written: str, earlier: Number, sign: int, **options) -> Number:
        """An earlier number written again as its magnitude after a minus sign (`- 0.1` for w = -0.1)."""
        return self.claim(line, written, lambda v: sign * v, earlier, **options)

    def claim(self, line: int, written: str, fn, *operands: Number, occurrence: int = 0, kind: str = "arithmetic",
              note: str = "", exact: bool = False, _source: Number = None) -> Number:
        """A number the document computes as fn(operands); judged against the operands as printed.

        The printed number is right when it lies within half a unit of its last digit of what its operands give:
        as printed, as the document's definitions give them unrounded, or with any earlier rounded number taken
        anywhere between its printed and its exact value (an author may carry more digits than they print).
        Every number the document rounded is a root of that freedom; a number computed exactly from printed
        operands (0.2891 = 1 - 0.7109) depends on the same roots, so correlated operands are not counted twice.
        When an operand restates an earlier number, the earlier number counts too (a slip in the restatement is
        the restatement's own finding, not its result's)."""
        col = self._locate(line, written, occurrence)
        value = to_float(written)
        noise = 1e-12 * _scale(written)               # float noise, never more than the printed precision
        half = (0.0 if exact else half_unit(written)) + noise
        true = fn(*[op.true for op in operands])
        centre, roots = _propagate(fn, operands)
        spans = [self._interval(centre, roots), (true, true)]
        if any(op.source is not None for op in operands):
            centre2, roots2 = _propagate(fn, [op.source or op for op in operands])
            spans.append(self._interval(centre2, roots2))
        number = Number(line, written, true, (value - half, value + half), occurrence=self._occurrence,
                        note=note, source=_source, col=col)
        if not any(low - half <= value <= high + half for low, high in spans):
            number.status = kind
            number.correct_value = centre
        elif abs(true - value) > half + self._drift(roots) and \
                any(op.tainted or (op.source and op.source.tainted) for op in operands):
            number.status = "consistent"
            number.correct_value = true
            if not note:
                wrong = next(op.source or op for op in operands if op.tainted or (op.source and op.source.tainted))
                number.note = (f"follows from {wrong.written} (line {wrong.line}), itself wrong; "
                               f"{true:.6g} from the right numbers")
        if abs(centre - value) <= noise:
            number.roots = roots                      # exactly its printed operands' result: their roundings
        else:                                         # rounded (or wrong): a root of its own
            number.roots = {id(number): 1.0}
            self._spans[id(number)] = ((-half, half) if number.tainted
                                       else (min(0.0, true - value), max(0.0, true - value)))
        self.numbers.append(number)
        return number

    def _interval(self, centre: float, roots: dict) -> tuple:
        """The values fn can take with each rounded root anywhere in its span (first order)."""
        low = high = centre
        for root, slope in roots.items():
            a, b = self._spans[root]
            low += min(slope * a, slope * b)
            high += max(slope * a, slope * b)
        return low, high

    def _drift(self, roots: dict) -> float:
        """How far legitimate rounding of the correct roots can move a number from its exact value."""
        return sum(abs(slope) * (b - a) for root, slope in roots.items()
                   for a, b in [self._spans[root]] if not (a < 0 < b and a == -b))

    # --- report and self-check -------------------------------------------------------------------------
    def table(self) -> str:
        rows = [f"{'line':>5}  {'written':>14}  {'recomputed':>16}  verdict"]
        for n in sorted(self.numbers, key=lambda n: (n.line, n.col)):
            shown = n.correct_value if n.tainted else n.true
            rows.append(f"{n.line:>5}  {n.written:>14}  {shown:>16.10g}  "
                        f"{'given' if n.given else n.status}{'  ' + n.note if n.tainted else ''}")
        errors = [n for n in self.numbers if n.tainted]
        rows.append(f"{len(self.numbers)} numbers, {len(errors)} true errors")
        return "\n".join(rows)

    def expected_toml(self, header: str) -> str:
        """The expected.toml text for this worksheet (errors, then correct numbers)."""
        out = [header.rstrip(), ""]
        for n in sorted((n for n in self.numbers if n.tainted), key=lambda n: (n.line, n.col)):
            out += ["[[errors]]", f"line = {n.line}", f"col = {n.col}", f'written = "{n.written}"',
                    f"correct = {_short(n.correct_value, n.written)}", f'kind = "{n.status}"']
            out += [f'note = "{n.note}"', ""]
        for n in sorted((n for n in self.numbers if not n.tainted), key=lambda n: (n.line, n.col)):
            entry = f'[[correct]]\nline = {n.line}\ncol = {n.col}\nwritten = "{n.written}"' + \
                ("\ngiven = true" if n.given else "")
            out += [entry, ""]
        return "\n".join(out)

    def check(self, expected_errors: list[tuple]) -> None:
        """Assert the recomputation finds exactly `expected_errors` (line, written, kind) and agrees with
        expected.toml: the same errors with their correct values, and every other number listed as correct."""
        found = sorted((n.line, n.written, n.status) for n in self.numbers if n.tainted)
        assert found == sorted(expected_errors), f"recomputed errors {found} != listed {sorted(expected_errors)}"
        for n in self.numbers:
            if n.tainted:
                assert n.note, f"line {n.line}: an error needs a note"
        expected = tomllib.loads((self.folder / "expected.toml").read_text(encoding="utf-8"))
        by_place = {(n.line, n.col, n.written): n for n in self.numbers}
        errors = {(e["line"], e["col"], e["written"]): e for e in expected.get("errors", [])}
        assert sorted(errors) == sorted(k for k, n in by_place.items() if n.tainted), \
            f"expected.toml errors {sorted(errors)} differ from the recomputation"
        for key, entry in errors.items():
            number = by_place[key]
            assert entry["kind"] == number.status, f"{key}: kind {entry['kind']} != {number.status}"
            assert abs(entry["correct"] - number.correct_value) <= 2 * half_unit(number.written) + 1e-12, \
                f"{key}: expected.toml correct {entry['correct']} != {number.correct_value}"
        listed_correct = sorted((c["line"], c["col"], c["written"]) for c in expected.get("correct", []))
        recomputed_correct = sorted(k for k, n in by_place.items() if not n.tainted)
        assert listed_correct == recomputed_correct, \
            f"expected.toml [[correct]] differs: only listed {sorted(set(listed_correct) - set(recomputed_correct))}, " \
            f"only recomputed {sorted(set(recomputed_correct) - set(listed_correct))}"

    def main(self, expected_errors: list[tuple], header: str) -> None:
        """Print the table; `--write` rewrites expected.toml from the recomputation; then self-check."""
        print(self.table())
        if "--write" in sys.argv:
            (self.folder / "expected.toml").write_text(self.expected_toml(header), encoding="utf-8")
        self.check(expected_errors)


def _scale(written: str) -> float:
    """The magnitude float noise is measured against: the number itself, or its last digit's order if larger, at most
    1 for numbers below 1 (so 1e-14 written 0.0000000000001 is not swallowed by an absolute tolerance)."""
    return max(abs(to_float(written)), min(1.0, 10 * half_unit(written)))


def _short(value: float, written: str) -> str:
    """The correct value, two digits past the written precision (enough to fix the number, short to read)."""
    decimals = max(0, -Decimal(str(half_unit(written) * 2)).normalize().as_tuple().exponent) + 2
    return repr(round(value, decimals))
