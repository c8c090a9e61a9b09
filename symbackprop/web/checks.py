"""A check request's claims read and checked as `check --json` does; with invalid entries reported one by one."""
import math
from dataclasses import dataclass
from typing import Callable

from symbackprop.checking import equivalence
from symbackprop.checking.claims import Claim, number_from_literal, number_from_text
from symbackprop.checking.verdicts import Checker, finite
from symbackprop.errors import ClaimsError, LatexParseError, QuantityError

MAX_ENTRY_CHARS = 2_000
MAX_CLAIMS = 200
REDACTED_DETAIL = ("mistake_value", "carried_forward")  # values that would give answers away without --reveal
ELSEWHERE = "random"  # where a counterexample is shown without --reveal: a point unrelated to the exercise's


class RequestError(ValueError):
    """A request the server refuses: an HTTP status and a message for the person who sent it."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Entry:
    """One claimed entry as it travels to a worker: name, a JSON number or the text typed."""

    name: str
    value: float | str

    @property
    def symbolic(self) -> bool:
        """Text that is not a number: an expression."""
        return isinstance(self.value, str) and number_from_text(self.value) is None

    def claim(self) -> Claim:
        """The Claim `check` would read from the same [claims] entry."""
        if isinstance(self.value, str):
            number = number_from_text(self.value)
            return Claim(self.name, number) if number is not None else Claim(self.name, text=self.value)
        return Claim(self.name, number_from_literal(repr(self.value), self.value))


def read_entries(raw) -> list[Entry]:
    """The "claims" object of a request: {name: number or text}, sizes bounded."""
    if not isinstance(raw, dict) or not raw:
        raise RequestError(400, 'expected "claims": {name: number or expression}, with at least one entry')
    if len(raw) > MAX_CLAIMS:
        raise RequestError(400, f"too many claims ({len(raw)}); the limit is {MAX_CLAIMS}")
    entries = []
    for name, value in raw.items():
        if len(name) > 100:
            raise RequestError(400, "a quantity name is longer than 100 characters")
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise RequestError(400, f"{name}: expected a number or an expression (text), got {type(value).__name__}")
        if isinstance(value, str):
            if len(value) > MAX_ENTRY_CHARS:
                raise RequestError(413, f"{name}: the entry is {len(value)} characters long; the limit is "
                                        f"{MAX_ENTRY_CHARS}")
            if not value.strip():
                raise RequestError(400, f"{name}: empty entry; type a number or an expression")
        elif not math.isfinite(value):
            raise RequestError(400, f"{name}: expected a finite number")
        entries.append(Entry(name, float(value) if isinstance(value, (int, float)) else value))
    return entries


def validate_names(checker: Checker, entries: list[Entry]) -> None:
    """Refuse unknown quantity names, with the closest valid ones."""
    for entry in entries:
        try:
            checker.validate(entry.name)
        except QuantityError as err:
            raise RequestError(400, str(err)) from err


def redact(result: dict) -> dict:
    """A result without the correct value (and what would give it away), for a server without --reveal."""
    detail = {key: value for key, value in result["detail"].items() if key not in REDACTED_DETAIL}
    if "point" in detail and detail.get("at") != ELSEWHERE:  # the exercise's values, or a point beside them
        detail = {"at": "values"}
    return {**result, "correct": None, "detail": detail}


def counterexample_elsewhere(checker: Checker, name: str, expressions: dict) -> dict:
    """Where a wrong expression differs from the truth at a random point, not at the exercise's values (whose
    quantities are the answers): that point's values, or {"at": "values"} when it differs only there."""
    elsewhere = [(point, memo) for point, memo in checker.shared_points() if point.at == ELSEWHERE]
    others = {other: expr for other, expr in expressions.items() if other != name}
    probe = equivalence.probe(expressions[name], name, checker.graph, elsewhere, others)
    differing = [s for s in probe.samples if s.at == ELSEWHERE and not equivalence.close(s.claimed, s.correct)]
    return equivalence.Probe(differing).counterexample if differing else {"at": "values"}


def tolerance_rule(judged: dict) -> Callable[[str, float], float]:
    """The checker's tolerance_of from {name: (absolute, relative)}: |a - v| <= max(absolute, relative |v|)."""
    def tolerance_of(name: str, reference: float) -> float:
        absolute, relative = judged[name]
        return max(absolute, relative * abs(reference))
    return tolerance_of


def run_check(checker: Checker, entries: list[Entry], reveal: bool, judged: dict) -> dict:
    """{"claims": [check --json results, in order], "invalid": [{"name", "error"}]} for a list of entries, each
    number judged with judged[name] = (absolute, relative) tolerance."""
    claims, expressions, invalid = [], {}, []
    for entry in entries:
        claim = entry.claim()
        if claim.symbolic:
            try:
                expressions[claim.name] = checker.expression(claim)
            except (LatexParseError, ClaimsError) as err:
                invalid.append({"name": entry.name, "reason": "unreadable", "error": str(err)})
                continue
        claims.append(claim)
    try:
        results = checker.check(claims, tolerance_rule(judged), expressions) if claims else []
    except (LatexParseError, ClaimsError, QuantityError) as err:
        raise RequestError(400, str(err)) from err
    shown = [finite(r.as_dict()) for r in results]
    if reveal:
        return {"claims": shown, "invalid": invalid}
    for result in shown:
        if result["name"] in expressions and "point" in result["detail"] and result["detail"]["at"] != ELSEWHERE:
            result["detail"] = finite(counterexample_elsewhere(checker, result["name"], expressions))
    return {"claims": [redact(r) for r in shown], "invalid": invalid}


class NumberVerdicts:
    """Verdicts on numbers, remembered between requests: a number's verdict depends only on it and on the claimed
    numbers it is computed from, so a student's earlier entries (and the class's common values) are checked once.

    Each number is judged as grade judges it: with its question's tolerance, and an answer the exam grades
    (graded) with the student's other graded answers only, as grade's report.csv carries errors forward."""

    def __init__(self, checker: Checker, judged: Callable[[str], tuple[float, float]], graded: frozenset,
                 size: int = 50_000):
        self.checker = checker
        self.judged = judged
        self.graded = graded
        self.size = size
        self._results: dict = {}
        self._ancestry: dict[str, frozenset] = {}

    def _sources(self, name: str) -> frozenset:
        if name not in self._ancestry:
            rules = self.checker.rules
            self._ancestry[name] = frozenset(rules.ancestry(name)) - {name} if name in rules.symbol else frozenset()
        return self._ancestry[name]

    def check(self, entries: list[Entry], reveal: bool) -> dict:
        """What run_check answers for numbers only, reusing every verdict whose inputs are unchanged."""
        claims = [entry.claim() for entry in entries]
        everything = {c.name: (c.number.value, c.number.half_unit) for c in claims}
        graded = {name: value for name, value in everything.items() if name in self.graded}
        tolerance_of = tolerance_rule({c.name: self.judged(c.name) for c in claims})
        results = []
        for claim in claims:
            claimed = graded if claim.name in self.graded else everything
            sources = self._sources(claim.name)
            key = (claim.name, claimed[claim.name], claim.number.text,
                   tuple(sorted((n, claimed[n]) for n in sources if n in claimed)))
            result = self._results.get(key)
            if result is None:
                if self.checker.point is None:
                    raise RequestError(400, "numeric claims need the exercise's values")
                result = finite(self.checker.check_numeric(claim, claimed, tolerance_of).as_dict())
                if len(self._results) >= self.size:
                    self._results.pop(next(iter(self._results)))
                self._results[key] = result
            results.append(result if reveal else redact(result))
        return {"claims": results, "invalid": []}
