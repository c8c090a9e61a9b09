"""Verdicts on claims: correct within printed precision, consistent with the author's earlier numbers, or wrong and why."""
import math
import weakref
from dataclasses import dataclass, field
from typing import Callable

import sympy

from symbackprop.checking import equivalence
from symbackprop.checking.claims import MAX_CLAIM_CHARS, MAX_NAME_CHARS, Claim, Tolerance
from symbackprop.expressions.parser import parse_expression
from symbackprop.checking.float_evaluator import evaluate as evaluate_float
from symbackprop.checking.graph import Graph, Layered as _Layered
from symbackprop.checking.mistakes import MAX_SITES, MISTAKES, Candidates
from symbackprop.checking.probe_points import Point, random_points
from symbackprop.errors import ClaimsError, LatexParseError, QuantityError, SymbackpropError
from symbackprop.notation.derivation_tex import TexDerivation as Derivation, derive
from symbackprop.model.chain_graph import ChainGraph as Rules
from symbackprop.model.spec import Spec
from symbackprop.numeric.values import quantity_values

ROUNDING = 1e-12  # float noise allowed on top of every tolerance (relative, at least absolute)
DIAGNOSIS_REL = 3e-4  # naming a mistake also allows for intermediates the author rounded without claiming them
NUMERIC_DIAGNOSIS_BUDGET = 300  # node evaluations spent on naming the mistake behind one wrong number
CARRIED_BUDGET = 200  # node evaluations per answer for a mistake on top of a student's own wrong answers
TABLE_BUDGET = 20_000  # node evaluations tabulating every mistake's value once per quantity (grading a class)
SCREEN = 0.5  # a mistake is recomputed when its first-order value is this close (relative to its change)
SEED = 20_240_601  # the random probe points: the same for every claim, run and machine
ROUNDED_EARLY = next(m.id for m in MISTAKES.values() if m.rounding)  # the catalogue's mistake in the numbers
ROUNDING_DECIMALS = MISTAKES[ROUNDED_EARLY].rounding



def finite(value):
    """JSON-safe data (check --json, the web API): non-finite floats become null."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(item) for item in value]
    return value

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


_SHARED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # chain graph -> its walkable Graph
_CANDIDATES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # Graph -> its mistakes


class Checker:
    """Checks claims about one spec (network, values, training) against the truth and against each other."""

    def __init__(self, spec: Spec, tolerance: Tolerance = Tolerance(), rules: Rules | None = None,
                 derivation: Derivation | None = None, graph: Graph | None = None,
                 candidates: Candidates | None = None):
        self.spec = spec
        self.tolerance = tolerance
        self.derivation = derivation or (rules.derivation if rules else derive(spec))
        self.rules = rules or Rules(self.derivation, spec.training)
        shared = _SHARED.get(self.rules)
        if shared is None and graph is None:
            shared = _SHARED[self.rules] = (Graph(self.rules), None)
        self.graph = graph or shared[0]
        if candidates is None:
            candidates = _CANDIDATES.get(self.graph) or Candidates(self.rules, self.graph)
            _CANDIDATES[self.graph] = candidates
        self.candidates = candidates
        self.point = self.rules.point(spec.values) if spec.values is not None else None
        self._truth: dict[str, float] = {}
        self._opaque: dict[str, float] | None = None
        self._partials: dict[str, dict] = {}
        self._deviation: dict[str, float] = {}
        self._deviation_of: dict | None = None
        self._shared: list | None = None
        self._valid: set[str] = set()
        self._tables: dict = {}
        self.tabulate = False  # a grader checks the same quantities again and again: tabulate mistakes once

    # -- names and parsing -------------------------------------------------------------------------
    def validate(self, name: str) -> None:
        """Fail on an unknown quantity name, suggesting the closest valid ones."""
        if name in self._valid:
            return
        if len(name) > MAX_NAME_CHARS:
            raise QuantityError(f"quantity name {name[:40]!r}... is {len(name)} characters long; names have at "
                                f"most {MAX_NAME_CHARS}")
        steps = self.spec.training.steps if self.spec.training else 0
        try:
            self.derivation.names.parse(name, steps)
        except (ValueError, OverflowError) as err:
            raise QuantityError(f"unknown quantity {name[:40]!r}: an index is out of range") from err
        self._valid.add(name)

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
            if name not in self._truth:
                self.graph.values([name], self.point, self._truth)
            return self._truth[name]
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
                expr = expressions[claim.name]
                self.graph.values([self.rules.name_of[s] for s in expr.free_symbols], self.point, self._truth)
                value = equivalence.value_in_floats(expr, self.graph, self._truth)
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

    def _partials_of(self, node: str) -> dict:
        if node not in self._partials:
            self.truth(node)
            self._partials[node] = {source: partial for source, partial in
                                    self.graph.partials(node, self._truth).items() if partial}
        return self._partials[node]

    def propagated(self, name: str, claimed: dict) -> float:
        """How far rounding of the author's claimed inputs moves `name`: Σ |∂rule/∂input| × deviation, through the
        graph. A claimed input deviates by |claimed - true|, at most half a unit of its last printed decimal."""
        if name not in self.rules.symbol or self.graph.is_leaf(name):
            return 0.0
        if self._deviation_of is not claimed:  # deviations hold for one set of claimed values
            self._deviation, self._deviation_of = {}, claimed
        deviation = self._deviation
        stack = [(source, False) for source in self.graph.sources(name)]
        while stack:  # depth first, without recursion: a node's inputs before the node
            node, ready = stack.pop()
            if node in deviation:
                continue
            if node in claimed:
                value, half_unit = claimed[node]
                result = min(abs(value - self.truth(node)), half_unit)
            elif self.graph.is_leaf(node):
                result = 0.0
            elif not ready:
                stack.append((node, True))
                stack.extend((source, False) for source in self.graph.sources(node) if source not in deviation)
                continue
            else:
                result = sum(abs(p) * deviation[source] for source, p in self._partials_of(node).items() if p)
            deviation[node] = result if math.isfinite(result) else 0.0
        total = sum(abs(p) * deviation[source] for source, p in self._partials_of(name).items() if p)
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
        inside = self.graph.ancestry_set(name)
        others = {node: v for node, (v, _) in claimed.items() if node != name and node in inside}
        wrong_inputs = frozenset(node for node in others if self._off(node, claimed))
        carried_values: dict[str, float] = {}
        carried = self.graph.what_if(name, self._truth, self.point, others, keep=carried_values)[0] \
            if wrong_inputs else truth
        if math.isfinite(carried) and abs(carried - truth) > tol(truth) and abs(value - carried) <= tol(carried):
            detail.update({"carried_forward": carried, "from": self._wrong_inputs(name, claimed)})
            return Result(name, value, truth, "consistent", None, detail, claim.shown)
        mistake, mistaken = self._diagnose_number(claim, truth, others, wrong_inputs, carried_values, tol, sharp,
                                                  printed)
        if mistake:
            detail["mistake_value"] = mistaken
        return Result(name, value, truth, "wrong", mistake, detail, claim.shown)

    def claimed_inputs(self, name: str, claimed) -> list[str]:
        """The claimed quantities `name` is computed from directly, not hidden behind another claim."""
        found, seen, stack = [], set(), list(self.graph.sources(name))
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            if node in claimed:
                found.append(node)
            else:
                stack.extend(self.graph.sources(node))
        return sorted(found, key=self.graph.position.__getitem__)

    def _off(self, node: str, claimed: dict) -> bool:
        """Whether a claimed value is off by more than its printed precision."""
        value, half_unit = claimed[node]
        return abs(value - self.truth(node)) > half_unit + ROUNDING * max(1.0, abs(value))

    def _wrong_inputs(self, name: str, claimed: dict) -> list[str]:
        """Those claimed inputs that are off by more than their printed precision."""
        return [node for node in self.claimed_inputs(name, claimed) if self._off(node, claimed)]

    def _diagnose_number(self, claim, truth, others, wrong_inputs, carried_values, tol, sharp, printed):
        """The first catalogued mistake whose value (from the truth, else from the author's own inputs) the claim
        matches within `sharp` and more closely than any early rounding does (two values within the claim's
        printed digits of it are alike; a claim equal to the mistake's nonzero value is named by it), and that
        value; else rounded_early when early rounding matches. A first-order estimate (∂name/∂node × the change a mistake
        makes at its nodes) screens each candidate; those it keeps are recomputed exactly. At most
        NUMERIC_DIAGNOSIS_BUDGET node evaluations.

        Only wrong inputs (`wrong_inputs`, off by more than their printed precision) rule out a mistake at or
        before them: a correct answer elsewhere never changes the name of a mistake, so an entry gets the same
        name checked alone or with the others."""
        name, value, fixed = claim.name, claim.number.value, wrong_inputs
        contexts = [({}, self._truth, truth)]
        if carried_values:
            carried = carried_values.get(name, truth)
            contexts.append((others, _Layered({**others, **carried_values}, self._truth), carried))
        slopes = self.graph.sensitivities(name, self._partials_of)
        rounding, rounded = self._early_rounding(name, value, contexts, slopes, sharp)

        half = claim.number.half_unit

        def explains(wrong):  # a mistake, told from the truth, that early rounding does not explain as well
            near = abs(value - wrong)
            if not (abs(wrong - truth) > tol(truth) and near <= sharp(wrong)):
                return False
            exact = near <= ROUNDING * max(1.0, abs(wrong)) < abs(wrong)  # the claim is the mistake's value (not 0)
            return exact or max(near, half) < max(rounding, half)  # within the printed digits both are alike

        if self.tabulate:
            for mistake, wrong, nodes in self._mistake_table(name):
                if abs(value - wrong) > printed + (DIAGNOSIS_REL + ROUNDING) * abs(wrong) + ROUNDING:
                    continue  # a bound sharp() never exceeds, before sharp() itself
                if explains(wrong) and not (nodes & fixed and name not in nodes):
                    return mistake, wrong
            contexts = contexts[1:]
        if contexts:
            spent, budget = 0, CARRIED_BUDGET if self.tabulate else NUMERIC_DIAGNOSIS_BUDGET
            near = self.candidates.near_list(name, fixed) if self.tabulate else self.candidates.near(name, fixed)
            for candidate in near:
                if len(candidate.mutation) > budget - spent:
                    continue  # a systematic mistake larger than what is left of the budget
                for overrides, base, reference in contexts:
                    estimate, cost = self._estimate(name, candidate.mutation, base, reference, slopes)
                    spent += cost
                    if not (math.isfinite(estimate) and abs(value - estimate) <= SCREEN * abs(estimate - reference)
                            + sharp(estimate)):
                        continue
                    wrong, cost = self.graph.what_if(name, base, self.point, mutation=candidate.mutation,
                                                     fixed=overrides)
                    spent += cost
                    if math.isfinite(wrong) and explains(wrong):
                        return candidate.mistake, wrong
                if spent > budget:
                    break
        if rounded is not None and abs(rounded - truth) > tol(truth):
            return ROUNDED_EARLY, rounded
        return None, None

    def _early_rounding(self, name, value, contexts, slopes, sharp) -> tuple[float, float | None]:
        """(distance, value) of the early rounding closest to the claim among those within `sharp`, or (inf,
        None): the nearest intermediates (MAX_SITES of them; the claim itself is no intermediate) each rounded
        alone, and every intermediate rounded, to each of the catalogue's decimals, from the truth and from the
        author's own inputs. A lone rounding is screened to first order, then recomputed exactly."""
        best, found = math.inf, None

        def consider(wrong):
            nonlocal best, found
            near = abs(value - wrong)
            if math.isfinite(wrong) and near <= sharp(wrong) and near < best:
                best, found = near, wrong

        nodes = [node for node in self.graph.nearest_first(name, MAX_SITES)[1:] if not self.graph.is_leaf(node)]
        for decimals in ROUNDING_DECIMALS:
            for overrides, base, reference in contexts:
                consider(self._rounded_throughout(name, decimals, overrides))
                for node in nodes:
                    if node in overrides:
                        continue  # the author's own number: its rounding is what they claimed
                    exact = base[node]
                    change = round(exact, decimals) - exact
                    if not (change and math.isfinite(change)):
                        continue
                    estimate = reference + slopes.get(node, 0.0) * change
                    if abs(value - estimate) > SCREEN * abs(estimate - reference) + sharp(estimate):
                        continue
                    wrong, _ = self.graph.what_if(name, base, self.point, {node: exact + change}, fixed=overrides)
                    consider(wrong)
        return best, found

    def _rounded_throughout(self, name: str, decimals: int, overrides: dict) -> float:
        """`name` computed with every intermediate rounded to `decimals` and carried forward (the author's own
        numbers, `overrides`, kept as claimed)."""
        local: dict = {}
        for node in self.graph.ancestry(name):
            if node in overrides:
                local[node] = overrides[node]
            elif self.graph.is_leaf(node):
                local[node] = self.point.get(node, math.nan)
            else:
                value = evaluate_float(self.graph.function(node), local)
                local[node] = round(value, decimals) if node != name and math.isfinite(value) else value
        return local[name]

    def _mistake_table(self, name: str) -> list:
        """(mistake, value, nodes it changes) of every candidate from the true values, computed once per quantity
        (within TABLE_BUDGET node evaluations)."""
        table = self._tables.get(name)
        if table is None:
            table, spent = [], 0
            for candidate in self.candidates.near(name):
                wrong, cost = self.graph.what_if(name, self._truth, self.point, mutation=candidate.mutation)
                spent += cost
                if math.isfinite(wrong):
                    table.append((candidate.mistake, wrong, frozenset(candidate.mutation)))
                if spent > TABLE_BUDGET:
                    break
            self._tables[name] = table
        return table

    def _estimate(self, name, mutation, base, reference, slopes) -> tuple[float, int]:
        """(name's value to first order under a mutation, nodes evaluated)."""
        estimate, cost = reference, 0
        for node, expr in mutation.items():
            slope = slopes.get(node)
            if not slope:
                continue
            sources = self.graph.sources(node, expr)
            if node in self.rules.rule:
                reads = self.graph.values([s for s in sources if s not in base], self.point, base)
            else:  # a swapped leaf reads the given leaves
                reads = {source: self.point.get(source, math.nan) for source in sources}
            changed = evaluate_float(self.graph.function(node, expr), reads)
            estimate += slope * (changed - base[node])
            cost += 1
        return estimate, cost

    # -- expressions -------------------------------------------------------------------------------
    def shared_points(self) -> list:
        """(point, 80-digit values there) for the spec's values and the seeded random points, shared by claims."""
        if self._shared is None:
            points = [Point(self.point, "values")] if self.point is not None else []
            points += random_points(self.rules, SEED)
            self._shared = [(point, {}) for point in points]
        return self._shared

    def check_symbolic(self, claim: Claim, expressions: dict) -> Result:
        """Equivalent to the correct closed form (correct), to one built on the author's other claimed
        expressions (consistent), or wrong, with a point where they differ and a diagnosed mistake."""
        name, expr = claim.name, expressions[claim.name]
        correct_expr = self.derivation.expression(name)
        if name == "L":  # Σ l_k shown with each term's closed form
            terms = [self.derivation.names.loss_term(k) for k in range(self.spec.network.layers[-1])]
            correct_expr = sum((self.derivation.expression(term) for term in terms), sympy.Integer(0))
        correct_tex = self.derivation.tex(correct_expr)
        others = {other: expressions[other] for other in expressions if other != name}
        probe = equivalence.probe(expr, name, self.graph, self.shared_points(), others)
        if probe.error:
            detail = {"error": probe.error}
            return Result(name, claim.text, correct_tex, "wrong", None, detail, claim.shown)
        method = equivalence.prove(expr, correct_expr, self.graph)
        if method == "simplify" or (probe.equivalent and method != "differs"):
            detail = {"method": method, "points": probe.points}
            return Result(name, claim.text, correct_tex, "correct", None, detail, claim.shown)
        if probe.consistent:
            detail = {"from": self.claimed_inputs(name, others), "points": probe.points}
            return Result(name, claim.text, correct_tex, "consistent", None, detail, claim.shown)
        detail = probe.counterexample
        mistake = equivalence.diagnose(probe, name, self.graph, self.candidates.near(name))
        return Result(name, claim.text, correct_tex, "wrong", mistake, detail, claim.shown)


def check_claims(claims) -> list[Result]:
    """Check a parsed Claims file."""
    return Checker(claims.spec, claims.tolerance).check(claims.claims)
