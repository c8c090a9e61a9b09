"""Verdicts on claims: correct within printed precision, consistent with the author's earlier numbers, or wrong and why."""
import math
import zlib
from dataclasses import dataclass, field
from typing import Callable

import sympy

from symbackprop.checking import equivalence
from symbackprop.checking.claims import MAX_CLAIM_CHARS, Claim, Tolerance
from symbackprop.notation.derivation_tex import TexDerivation as Derivation, derive
from symbackprop.errors import ClaimsError, LatexParseError, SymbackpropError
from symbackprop.numeric.values import quantity_values
from symbackprop.checking.expression_parser import parse_expression
from symbackprop.checking.mistakes import candidates
from symbackprop.model.chain_graph import ChainGraph as Rules
from symbackprop.model.spec import Spec

ROUNDING = 1e-12  # float noise allowed on top of every tolerance (relative, at least absolute)
DIAGNOSIS_REL = 3e-4  # naming a mistake also allows for intermediates the author rounded without claiming them


@dataclass(frozen=True)
class Result:
    """The verdict on one claim (for a symbolic claim, claimed and correct are LaTeX)."""

    name: str
    claimed: float | str
    correct: float | str | None
    verdict: str  # "correct" | "wrong" | "consistent"
    mistake: str | None = None
    detail: dict = field(default_factory=dict)
    shown: str = ""  # the claim as written

    def as_dict(self) -> dict:
        """The JSON form: name, claimed, correct, verdict, mistake, detail."""
        return {"name": self.name, "claimed": self.claimed, "correct": self.correct, "verdict": self.verdict,
                "mistake": self.mistake, "detail": self.detail}


def parse_claim_expression(text: str, network, name: str = ""):
    """A claim's LaTeX or ASCII text as a SymPy expression, errors naming the claim."""
    try:
        return parse_expression(text, network)
    except LatexParseError as err:
        raise LatexParseError(f"{name}: {err}" if name else str(err)) from err
    except SymbackpropError:
        raise
    except RecursionError as err:
        raise LatexParseError(f"{name}: the expression is nested too deeply to parse") from err


class Checker:
    """Checks claims about one spec (network, values, training) against the truth and against each other."""

    def __init__(self, spec: Spec, tolerance: Tolerance = Tolerance(), rules: Rules | None = None,
                 derivation: Derivation | None = None):
        self.spec = spec
        self.tolerance = tolerance
        self.derivation = derivation or (rules.derivation if rules else derive(spec))
        self.rules = rules or Rules(self.derivation, spec.training)
        self.point = self.rules.point(spec.values) if spec.values is not None else None
        self._truth: dict[str, float] = {}
        self._opaque: dict[str, float] | None = None

    # -- names and parsing -------------------------------------------------------------------------
    def validate(self, name: str) -> None:
        """Fail on an unknown quantity name, suggesting the closest valid ones."""
        steps = self.spec.training.steps if self.spec.training else 0
        self.derivation.names.parse(name, steps)

    def expression(self, claim: Claim):
        """The parsed expression of a symbolic claim, its symbols checked against this network."""
        if len(claim.text) > MAX_CLAIM_CHARS:
            raise ClaimsError(f"{claim.name}: the expression is {len(claim.text)} characters long; the limit is "
                              f"{MAX_CLAIM_CHARS}")
        expr = parse_claim_expression(claim.text, self.spec.network, claim.name)
        unknown = [s for s in getattr(expr, "free_symbols", ()) if s not in self.rules.name_of]
        if unknown:
            raise ClaimsError(f"{claim.name}: unknown symbol {sorted(map(str, unknown))[0]!r} in {claim.text!r}")
        if claim.name not in self.rules.symbol or claim.name.startswith("step"):
            raise ClaimsError(f"{claim.name}: symbolic claims about training steps are not supported; "
                              f"claim the number instead")
        return expr

    # -- truth -------------------------------------------------------------------------------------
    def truth(self, name: str) -> float:
        """The correct value of a quantity at the spec's values."""
        if name in self.rules.symbol:
            return self.rules.evaluate(name, self.point, memo=self._truth)
        if self._opaque is None:
            self._opaque = quantity_values(self.spec.network, self.spec.values, self.spec.training)
        return self._opaque[name]

    # -- the whole check ---------------------------------------------------------------------------
    def check(self, claims, tolerance_of: Callable | None = None, expressions: dict | None = None) -> list[Result]:
        """Verdicts for every claim, in order; invalid names or expressions raise before any verdict.

        tolerance_of(name, reference) replaces every tolerance rule (a grader's); expressions holds claims
        already parsed by the caller.
        """
        for claim in claims:
            self.validate(claim.name)
        expressions = dict(expressions or {})
        for claim in claims:
            if claim.symbolic and claim.name not in expressions:
                expressions[claim.name] = self.expression(claim)
        numeric = [claim for claim in claims if not claim.symbolic]
        if numeric and self.point is None:
            raise ClaimsError(f"numeric claims ({numeric[0].name}, ...) need the spec's [values] table "
                              f"with x, y, W.. and b..")
        claimed = self._claimed_at_spec(claims, expressions)
        results = []
        for claim in claims:
            if claim.symbolic:
                results.append(self.check_symbolic(claim, expressions))
            else:
                results.append(self.check_numeric(claim, claimed, tolerance_of))
        return results

    def _claimed_at_spec(self, claims, expressions) -> dict[str, tuple[float, float]]:
        """(value, half unit) of every claim at the spec's values; symbolic ones evaluated there."""
        claimed = {}
        if self.point is None:
            return claimed
        for claim in claims:
            if claim.symbolic:
                value = equivalence.value_at(expressions[claim.name], self.rules, self.point, self._truth)
                if math.isfinite(value):
                    claimed[claim.name] = (value, 0.0)
            else:
                claimed[claim.name] = (claim.number.value, claim.number.half_unit)
        return claimed

    # -- numbers -----------------------------------------------------------------------------------
    def _bound(self, claim: Claim) -> Tolerance | None:
        """The override in force for a claim: its own, else the global one, else None (printed precision)."""
        if claim.abs_tol is not None or claim.rel_tol is not None:
            return Tolerance(claim.abs_tol, claim.rel_tol)
        return self.tolerance if self.tolerance.given else None

    def propagated(self, name: str, claimed: dict) -> float:
        """How far rounding of the author's claimed inputs moves `name`: Σ |∂rule/∂input| × deviation, recursively.

        A claimed input deviates by |claimed - true|, at most half a unit of its last printed decimal.
        """
        deviation: dict[str, float] = {}

        def dev(node: str) -> float:
            if node in deviation:
                return deviation[node]
            if node in claimed and node != name:
                value, half_unit = claimed[node]
                result = min(abs(value - self.truth(node)), half_unit)
            elif self.rules.is_leaf(node):
                result = 0.0
            else:
                self.truth(node)
                partials = self.rules.partials(node, self._truth)
                result = sum(p * dev(source) for source, p in partials.items() if p)
            deviation[node] = 0.0 if not math.isfinite(result) else result
            return deviation[node]

        if name not in self.rules.symbol or self.rules.is_leaf(name):
            return 0.0
        self.truth(name)
        partials = self.rules.partials(name, self._truth)
        total = sum(p * dev(source) for source, p in partials.items() if p)
        return total if math.isfinite(total) else 0.0

    def check_numeric(self, claim: Claim, claimed: dict, tolerance_of: Callable | None = None) -> Result:
        """Correct, consistent (error carried forward) or wrong (with a diagnosed mistake when one matches)."""
        name, value = claim.name, claim.number.value
        truth = self.truth(name)
        bound = self._bound(claim)
        printed = claim.number.half_unit + self.propagated(name, claimed)

        def noise(reference):
            return ROUNDING * max(1.0, abs(reference))

        def tol(reference):
            if tolerance_of is not None:
                return tolerance_of(name, reference) + noise(reference)
            if bound is not None:
                return max(bound.abs or 0.0, (bound.rel or 0.0) * abs(reference)) + noise(reference)
            return printed + noise(reference)

        def sharp(reference):  # naming a mistake takes a match as close as the claim is printed
            return min(tol(reference), printed + DIAGNOSIS_REL * abs(reference) + noise(reference))

        detail = {"tolerance": tol(truth)}
        if abs(value - truth) <= tol(truth):
            return Result(name, value, truth, "correct", None, detail, claim.shown)
        if name not in self.rules.symbol:  # a later training step: no local rule to carry errors through
            return Result(name, value, truth, "wrong", None, detail, claim.shown)
        others = {node: v for node, (v, _) in claimed.items() if node != name}
        cf_memo: dict[str, float] = {}
        carried = self.rules.evaluate(name, self.point, others, memo=cf_memo)
        if math.isfinite(carried) and abs(carried - truth) > tol(truth) and abs(value - carried) <= tol(carried):
            detail.update({"carried_forward": carried, "from": self._wrong_inputs(name, claimed)})
            return Result(name, value, truth, "consistent", None, detail, claim.shown)
        mistake, mistaken = self._diagnose_number(name, value, truth, others, cf_memo, tol, sharp)
        if mistake:
            detail["mistake_value"] = mistaken
        return Result(name, value, truth, "wrong", mistake, detail, claim.shown)

    def claimed_inputs(self, name: str, claimed) -> list[str]:
        """The claimed quantities `name` is computed from directly, not hidden behind another claim."""
        found, seen, stack = [], set(), list(self.rules.inputs(name))
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            if node in claimed:
                found.append(node)
            else:
                stack.extend(self.rules.inputs(node))
        order = self.rules.ancestry(name)
        return sorted(found, key=order.index)

    def _wrong_inputs(self, name: str, claimed: dict) -> list[str]:
        """Those claimed inputs that are off by more than their printed precision."""
        def off(node):
            value, half_unit = claimed[node]
            return abs(value - self.truth(node)) > half_unit + ROUNDING * max(1.0, abs(value))

        return [node for node in self.claimed_inputs(name, claimed) if off(node)]

    def _diagnose_number(self, name, value, truth, others, cf_memo, tol, sharp):
        """The first catalogued mistake whose value (from the truth, else from the author's own inputs) the claim
        matches within `sharp`, and that value."""
        self.truth(name)
        contexts = [({}, self._truth)]
        if any(node in others for node in self.rules.ancestry(name)):
            contexts.append((others, cf_memo))
        for candidate in candidates(self.rules, name, frozenset(others)):
            for overrides, base in contexts:
                memo = self.rules.reusable(base, candidate.mutation)
                wrong = self.rules.evaluate(name, self.point, overrides, candidate.mutation, memo)
                if math.isfinite(wrong) and abs(wrong - truth) > tol(truth) and abs(value - wrong) <= sharp(wrong):
                    return candidate.mistake, wrong
        return None, None

    # -- expressions -------------------------------------------------------------------------------
    def check_symbolic(self, claim: Claim, expressions: dict) -> Result:
        """Equivalent to the correct closed form (correct), to one built on the author's other claimed
        expressions (consistent), or wrong, with a point where they differ and a diagnosed mistake."""
        name, expr = claim.name, expressions[claim.name]
        correct_expr = self.derivation.expression(name)
        if name == "L":  # Σ l_k shown with each term's closed form
            terms = [self.derivation.names.loss_term(k) for k in range(self.spec.network.layers[-1])]
            correct_expr = sum((self.derivation.expression(term) for term in terms), sympy.Integer(0))
        correct_tex = self.derivation.tex(correct_expr)
        seed = zlib.crc32(name.encode())
        others = {other: expressions[other] for other in expressions if other != name}
        probe = equivalence.probe(expr, name, self.rules, self.point, seed, others)
        if probe.error:
            detail = {"error": probe.error}
            return Result(name, claim.text, correct_tex, "wrong", None, detail, claim.shown)
        if probe.equivalent:
            method = equivalence.prove(expr, correct_expr)
            detail = {"method": method, "points": probe.points}
            return Result(name, claim.text, correct_tex, "correct", None, detail, claim.shown)
        if probe.consistent:
            detail = {"from": self.claimed_inputs(name, others), "points": probe.points}
            return Result(name, claim.text, correct_tex, "consistent", None, detail, claim.shown)
        detail = probe.counterexample
        mistake = equivalence.diagnose(probe, name, self.rules)
        return Result(name, claim.text, correct_tex, "wrong", mistake, detail, claim.shown)


def check_claims(claims) -> list[Result]:
    """Check a parsed Claims file."""
    return Checker(claims.spec, claims.tolerance).check(claims.claims)
