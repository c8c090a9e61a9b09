"""Randomized exam variants: reproducible draws from grids, rejected by one table of constraints."""
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from symbackprop.checking.tolerance import Precision, applies, precision
from symbackprop.checking.wrong_answers import WrongAnswers
from symbackprop.errors import SettingError, SpecError
from symbackprop.model import functions
from symbackprop.numeric.values import quantity_values
from symbackprop.exams.config import ExamConfig, exam_to_dict, parse_exam
from symbackprop.notation.number_format import number
from symbackprop.numeric.engine import NumericNetwork
from symbackprop.model.quantities import Names
from symbackprop.model.spec import Spec, Values, spec_to_dict

GRADIENT_KINDS = ("dL/dW", "dL/db", "dL/dy", "dL/dv")
MAX_TOTAL_DRAWS = 100_000  # draws of one run, whatever max_attempts says (minutes of work at most)
HOPELESS_DRAWS = 5_000  # a run whose first this many draws all fail stops: its constraints look impossible
EXHAUSTIVE_DRAWS = 4096  # grids with at most this many different draws are known to be exhausted


@dataclass(frozen=True)
class Variant:
    """One accepted draw: id V001.., its own seed, the drawn values and every quantity's number."""

    id: str
    index: int  # 1-based
    seed: int  # regenerates this draw alone: draw_values(spec, config, seed)
    attempt: int  # 0-based sub-counter of the accepted draw
    values: Values
    numbers: dict = field(repr=False)  # every named quantity -> float
    precisions: dict = field(default_factory=dict, repr=False)  # asked quantity -> Precision proven for this draw
    margins: dict = field(default_factory=dict, repr=False)  # asked quantity -> distance to its nearest known
    #                                                          wrong answer (only with Moodle partial credit)

    def answer(self, name: str) -> float:
        """The number of an asked quantity."""
        return self.numbers[name]

    def precision(self, name: str) -> Precision:
        """How an asked quantity is asked and judged in this variant (its proof, or the policy's precision)."""
        return self.precisions[name]


@dataclass(frozen=True)
class Context:
    """What a constraint looks at: the network, the settings, one draw's numbers, earlier fingerprints."""

    spec: Spec
    config: ExamConfig
    numbers: dict
    fingerprint: str
    earlier: frozenset
    prove: Callable[[], dict | None] | None = None  # the draw's precisions, None when a wrong answer passes


@dataclass(frozen=True)
class Constraint:
    """A reason to reject a draw; key is its [exam.constraints] setting (None: always on)."""

    name: str
    key: str | None
    description: str
    violated: Callable[[Context], bool]
    costly: bool = False  # checked only on draws that pass every other constraint


def _layer_values(ctx: Context, wanted: Callable, quantity: str):
    """(entry, number of v or y) over every unit of the layers whose activation entry is `wanted`."""
    net, names = ctx.spec.network, Names(ctx.spec.network)
    for layer, entry in enumerate(functions.activations_of(net)):
        if wanted(entry):
            for j in range(net.width(layer)):
                name = names.v(layer, j) if quantity == "v" else names.act(layer, j)
                yield entry, ctx.numbers[name]


def _relu_near_zero(ctx: Context) -> bool:
    margin = ctx.config.constraints.relu_margin
    return any(abs(v) < margin for _, v in _layer_values(ctx, lambda entry: entry.piecewise, "v"))


def _saturated(ctx: Context) -> bool:
    limit = ctx.config.constraints.saturation
    measured = _layer_values(ctx, lambda entry: entry.saturation is not None, "y")
    return any(entry.saturation(y) > limit for entry, y in measured)


def _gradient_too_small(ctx: Context) -> bool:
    names, smallest = Names(ctx.spec.network), ctx.config.constraints.min_gradient
    steps = ctx.config.training.steps
    return any(abs(ctx.numbers[q]) < smallest for q in ctx.config.questions
               if names.parse(q, steps).kind in GRADIENT_KINDS)


def _not_finite(ctx: Context) -> bool:
    return not all(np.isfinite(ctx.numbers[q]) for q in ctx.config.questions)


def _duplicate(ctx: Context) -> bool:
    return ctx.config.constraints.distinct and ctx.fingerprint in ctx.earlier


def _determined(ctx: Context) -> bool:
    """Two asked answers equal or opposite at their asked precision (Q5 = -Q6 when inputs are ±1)."""
    if not ctx.config.constraints.independent:
        return False
    policy = ctx.config.answers.policy
    asked = [abs(ctx.numbers[q]) for q in ctx.config.questions]
    for position, a in enumerate(asked):
        for b in asked[position + 1:]:
            decimals = max(precision(a, policy).decimals, precision(b, policy).decimals)
            if round(a, decimals) == round(b, decimals) != 0:
                return True
    return False


def _wrong_answer_accepted(ctx: Context) -> bool:
    return ctx.prove is not None and ctx.prove() is None


CONSTRAINTS: tuple[Constraint, ...] = (
    Constraint("finite", None, "an asked answer is not a finite number", _not_finite),
    Constraint("relu_margin", "relu_margin", "a ReLU pre-activation within relu_margin of 0", _relu_near_zero),
    Constraint("saturation", "saturation", "a saturated unit: |2σ(v) - 1| or |tanh(v)| above saturation",
               _saturated),
    Constraint("min_gradient", "min_gradient", "an asked gradient smaller in magnitude than min_gradient",
               _gradient_too_small),
    Constraint("distinct", "distinct", "the asked answers equal those of an earlier variant", _duplicate),
    Constraint("independent", "independent", "two asked answers equal or opposite (one gives the other)",
               _determined),
    Constraint("wrong_answer", "answers.extra_decimals", "a known wrong answer within an answer's tolerance",
               _wrong_answer_accepted, costly=True),
)


def variant_id(index: int) -> str:
    """V001, V002, ... (1-based; V1000 after V999)."""
    return f"V{index:03d}"


DRAW_SETTINGS = ("questions", "draw", "answers", "constraints")  # the [exam] parts that shape the draws


def spec_fingerprint(spec: Spec, config: ExamConfig) -> int:
    """A stable 64-bit fingerprint of what shapes the draws: network, training, questions, grids, constraints.

    Titles, points, the symbolic question and Moodle settings are left out: editing them keeps the variants."""
    data, exam = spec_to_dict(spec), exam_to_dict(config)
    normalized = {"network": data["network"], "exam": {key: exam[key] for key in DRAW_SETTINGS},
                  "training": {"learning_rate": config.training.learning_rate,
                               "momentum": config.training.momentum, "steps": config.training.steps}}
    if "functions" in data:  # the spec's own formulas shape the numbers the constraints judge (names do not)
        normalized["functions"] = {name: {key: text for key, text in table.items() if key != "name"}
                                   for name, table in data["functions"].items()}
    text = json.dumps(normalized, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:16], 16)


def draw_seed(seed: int, index: int, fingerprint: int, attempt: int) -> int:
    """The seed of one draw, below 2**53 so that any JSON reader keeps it exact."""
    state = np.random.SeedSequence([seed, index, fingerprint, attempt]).generate_state(1, dtype=np.uint64)[0]
    return int(state >> np.uint64(11))


def draw_values(spec: Spec, config: ExamConfig, seed: int) -> Values:
    """x, y, weights (row orientation) and biases drawn from the grids with default_rng(seed)."""
    net = spec.network
    rng = np.random.default_rng(seed)
    grids = {kind: config.grid(kind).points() for kind in ("inputs", "targets", "weights", "biases")}

    def pick(kind, size):
        points = grids[kind]
        return [points[i] for i in rng.integers(len(points), size=size)]

    x = tuple(pick("inputs", net.layers[0]))
    if config.grid("targets").one_hot:
        hot = int(rng.integers(net.layers[-1]))
        y = tuple(1.0 if k == hot else 0.0 for k in range(net.layers[-1]))
    else:
        y = tuple(pick("targets", net.layers[-1]))
    weights, biases = [], []
    for layer in range(net.depth):
        n_in, n_out = net.fan_in(layer), net.width(layer)
        flat = pick("weights", n_in * n_out)
        weights.append(tuple(tuple(flat[i * n_out:(i + 1) * n_out]) for i in range(n_in)))
        biases.append(tuple(pick("biases", n_out)))
    return Values(x, y, tuple(weights), tuple(biases))


def answers_fingerprint(config: ExamConfig, numbers: dict) -> str:
    """The asked answers as printed at the answer's decimals: equal fingerprints mean equal variants."""
    decimals = config.answers.decimals
    return "|".join(number(numbers[q], decimals) if np.isfinite(numbers[q]) else "nan" for q in config.questions)


def violations(ctx: Context) -> list[str]:
    """Names of every constraint this draw violates (the costly ones only when the others pass)."""
    found = [c.name for c in CONSTRAINTS if not c.costly and c.violated(ctx)]
    return found or [c.name for c in CONSTRAINTS if c.costly and c.violated(ctx)]


class Prover:
    """The proof of a draw: per asked answer the coarsest precision, at least the policy's, that refuses every
    known wrong answer (checking/wrong_answers.py); None when one cannot be refused."""

    def __init__(self, spec: Spec, config: ExamConfig):
        self.config = config
        self.policy = config.answers.policy
        self.wrong_answers = WrongAnswers(spec, config.training)

    def prove(self, values: Values, numbers: dict) -> dict[str, Precision] | None:
        """{question: Precision} of one draw, or None."""
        point = self.wrong_answers.at(values, numbers)
        found = {}
        for name in self.config.questions:
            found[name] = point.proven(name, self.policy)
            if found[name] is None:
                return None
        return found

    def margins(self, values: Values, numbers: dict) -> dict[str, float]:
        """{question: distance from the answer to its nearest known wrong answer} (inf when none applies)."""
        point = self.wrong_answers.at(values, numbers)
        found = {}
        for name in self.config.questions:
            value = numbers[name]
            wrong = [w for w in point.wrong(name).values() if applies(value, w)]
            found[name] = min((abs(w - value) for w in wrong), default=float("inf"))
        return found

    def of(self, values: Values, numbers: dict) -> Callable[[], dict | None]:
        """prove() of one draw, computed at most once."""
        memo = []

        def proof():
            if not memo:
                memo.append(self.prove(values, numbers))
            return memo[0]
        return proof


@dataclass
class Drawer:
    """Draws variants 1, 2, ... in order; each depends only on (seed, index, spec) and the earlier variants."""

    spec: Spec
    seed: int
    config: ExamConfig | None = None
    rejected: Counter = field(default_factory=Counter)  # constraint name -> rejected draws it caught
    draws: int = 0

    def __post_init__(self):
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise SettingError("seed", f"expected a whole number >= 0, got {self.seed!r}")
        self.config = self.config or parse_exam(self.spec)
        self.engine = NumericNetwork(self.spec.network)
        self.prover = Prover(self.spec, self.config)
        self.fingerprint = spec_fingerprint(self.spec, self.config)
        self.earlier: set[str] = set()
        self.variants: list[Variant] = []
        self.possible = self.possible_draws()

    def numbers(self, values: Values) -> dict:
        """Every named quantity of one draw, training steps included."""
        with np.errstate(all="ignore"):
            return quantity_values(self.spec.network, values, self.config.training, engine=self.engine)

    def next(self) -> Variant:
        """Draw the next variant, retrying with a sub-counter until every constraint passes."""
        index = len(self.variants) + 1
        caught = Counter()
        tried: set[Values] = set()
        possible = self.possible
        for attempt in range(self.config.constraints.max_attempts):
            if self.draws >= MAX_TOTAL_DRAWS:
                self._give_up(index, caught, f"this run drew {MAX_TOTAL_DRAWS} times, its limit")
            if not self.variants and self.draws >= HOPELESS_DRAWS:
                self._give_up(index, caught, f"none of the first {HOPELESS_DRAWS} draws passed")
            seed = draw_seed(self.seed, index, self.fingerprint, attempt)
            values = draw_values(self.spec, self.config, seed)
            numbers = self.numbers(values)
            fingerprint = answers_fingerprint(self.config, numbers)
            proof = self.prover.of(values, numbers)
            failed = violations(Context(self.spec, self.config, numbers, fingerprint, frozenset(self.earlier), proof))
            self.draws += 1
            if not failed:
                self.earlier.add(fingerprint)
                margins = self.prover.margins(values, numbers) if self.config.moodle.partial_fraction else {}
                variant = Variant(variant_id(index), index, seed, attempt, values, numbers, proof(), margins)
                self.variants.append(variant)
                return variant
            caught.update(failed)
            self.rejected.update(failed)
            if possible <= EXHAUSTIVE_DRAWS:
                tried.add(values)
                if len(tried) == possible:
                    self._give_up(index, caught, f"every one of the {possible} possible draws fails")
        self._give_up(index, caught, f"none of {self.config.constraints.max_attempts} draws passed")

    def _give_up(self, index: int, caught: Counter, reason: str):
        """Stop with one line naming the constraint that rejected the most draws."""
        worst = ", ".join(f"{name} {count}" for name, count in caught.most_common())
        top = caught.most_common(1)[0][0] if caught else None
        culprit = next((c for c in CONSTRAINTS if c.name == top), None)
        setting = culprit.key if culprit and "." in (culprit.key or "") else f"constraints.{culprit.key}" if culprit else ""
        blame = (f"; most were rejected by {culprit.name} ({culprit.description})"
                 + (f": relax exam.{setting}" if culprit.key else "") if culprit else "")
        raise SpecError(f"exam: variant {variant_id(index)}: {reason} (rejections: {worst or 'none'}){blame}; "
                        f"widen [exam.draw] or relax [exam.constraints]")

    def possible_draws(self) -> int:
        """How many different draws the grids allow (capped just above EXHAUSTIVE_DRAWS)."""
        net, config = self.spec.network, self.config
        sizes = {kind: len(config.grid(kind).points()) for kind in ("inputs", "targets", "weights", "biases")}
        counts = [(sizes["inputs"], net.layers[0]), (sizes["weights"], sum(
            net.fan_in(layer) * net.width(layer) for layer in range(net.depth))),
            (sizes["biases"], sum(net.width(layer) for layer in range(net.depth)))]
        counts.append((net.layers[-1], 1) if config.grid("targets").one_hot else (sizes["targets"], net.layers[-1]))
        total = 1
        for size, exponent in counts:
            for _ in range(exponent):
                total *= size
                if total > EXHAUSTIVE_DRAWS:
                    return EXHAUSTIVE_DRAWS + 1
        return total

    def draw(self, count: int, progress: Callable[[int], None] | None = None) -> list[Variant]:
        """Variants 1..count."""
        if self.config.constraints.distinct and count > self.possible:
            raise SpecError(f"exam: {count} variants asked, but the grids of [exam.draw] allow only "
                            f"{self.possible} different draws and exam.constraints.distinct is true; "
                            f"widen [exam.draw] or ask for fewer variants")
        while len(self.variants) < count:
            self.next()
            if progress:
                progress(len(self.variants))
        return self.variants[:count]


def draw_variants(spec: Spec, count: int, seed: int, config: ExamConfig | None = None) -> list[Variant]:
    """Variants 1..count of a spec for a seed."""
    return Drawer(spec, seed, config).draw(count)
