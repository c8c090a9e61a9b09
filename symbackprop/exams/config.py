"""Parse and validate a spec's [exam] table into a frozen ExamConfig, with defaults when it is absent."""
from dataclasses import dataclass

import math

from symbackprop.checking.tolerance import Policy, Precision, precision
from symbackprop.model import functions
from symbackprop.errors import QuantityError, SpecError, shown
from symbackprop.model.quantities import Names
from symbackprop.model.spec import TABLE_CHECKS, Network, Spec, Training, number_value, text_value

DEFAULT_LEARNING_RATE = 0.5  # when the spec has no [training] table
EXAM_KEYS = {"title", "questions", "symbolic", "points", "draw", "answers", "constraints", "moodle", "working_space"}
WORKING_SPACE_CM = 4.5  # room under each computed question on paper, enough for a student's derivation
DRAW_KEYS = ("inputs", "targets", "weights", "biases")
GRID_KEYS = {"min", "max", "step", "nonzero", "one_hot"}
ANSWER_KEYS = {"decimals", "significant", "extra_decimals", "max_decimals", "abs_tol", "rel_tol"}
CONSTRAINT_KEYS = {"relu_margin", "saturation", "min_gradient", "distinct", "independent", "max_attempts"}
MOODLE_KEYS = {"category", "penalty", "partial_fraction", "partial_factor"}
GIVEN_KINDS = ("x", "y", "W", "b")  # drawn values: shown in the statement, never asked
MAX_GRID_POINTS = 100_000


@dataclass(frozen=True)
class Grid:
    """Numbers drawn uniformly from min, min + step, ..., max (0 left out when nonzero)."""

    min: float
    max: float
    step: float
    nonzero: bool = False
    one_hot: bool = False  # targets only: exactly one 1 per draw (categorical cross-entropy)

    def points(self) -> list[float]:
        """Every value of the grid, each rounded to the step's decimals."""
        decimals = step_decimals(self.step)
        count = int(round((self.max - self.min) / self.step))
        values = [round(self.min + i * self.step, decimals) + 0.0 for i in range(count + 1)]
        return [v for v in values if not (self.nonzero and v == 0)]


@dataclass(frozen=True)
class Answers:
    """How answers are asked and judged: the tolerance policy's settings (checking/tolerance.py).

    abs_tol and rel_tol, read from older specs, bound the asked unit (more decimals are asked when one unit
    would exceed them); they never widen a tolerance."""

    decimals: int = 4
    significant: int = 3
    extra_decimals: int = 1  # decimals a draw may add to refuse a known wrong answer (more: the draw is redrawn)
    max_decimals: int = 10
    widest: float | None = None  # exam.answers.abs_tol when the spec gives it
    widest_relative: float | None = None  # exam.answers.rel_tol when the spec gives it

    @property
    def policy(self) -> Policy:
        """The tolerance policy of these settings."""
        return Policy(decimals=self.decimals, significant=self.significant, max_decimals=self.max_decimals,
                      extra_decimals=self.extra_decimals, widest=self.widest, widest_relative=self.widest_relative)

    @property
    def abs_tol(self) -> float:
        """One unit of the ordinary decimals (or the spec's abs_tol): the tolerance of an ordinary number."""
        return self.widest if self.widest else 10.0 ** -self.decimals

    @property
    def rel_tol(self) -> float:
        """0: tolerances are absolute, set per question by the policy."""
        return 0.0

    def precision(self, value: float, change: float | None = None) -> Precision:
        """How a number of this value (an update of this change) is asked and judged."""
        return precision(value, self.policy, change=change)

    def tolerance(self, value: float, change: float | None = None) -> float:
        """The absolute tolerance of a number of this value under the policy (before any proof of the draw)."""
        return self.precision(value, change).tolerance


@dataclass(frozen=True)
class Constraints:
    """Thresholds that reject a draw (see draw.CONSTRAINTS)."""

    relu_margin: float = 0.05
    saturation: float = 0.95
    min_gradient: float = 2e-4
    distinct: bool = True
    independent: bool = True  # two asked answers equal or opposite (one determines the other) reject a draw
    max_attempts: int = 1000


@dataclass(frozen=True)
class Moodle:
    """Moodle XML settings: category path, penalty, optional partial credit for a wider tolerance."""

    category: str = ""
    penalty: float = 0.3333333
    partial_fraction: int = 0
    partial_factor: float = 10.0


@dataclass(frozen=True)
class ExamConfig:
    """What an exam asks, how its numbers are drawn and which draws are rejected."""

    title: str
    questions: tuple[str, ...]
    symbolic: str  # a gradient whose chain-rule factorisation is asked, or "" for none
    points: tuple[tuple[str, int], ...]  # (question or "symbolic", points) in question order
    draw: tuple[tuple[str, Grid], ...]  # (kind, grid) for inputs, targets, weights, biases
    answers: Answers
    constraints: Constraints
    moodle: Moodle
    training: Training
    working_space: float = WORKING_SPACE_CM  # centimetres under each computed question on paper
    titles: tuple[tuple[str, str], ...] = ()  # (language code, title) when the title is given by language
    default_points: int = 1  # exam.points.default: the points of a question the table does not name

    def title_in(self, lang: str) -> str:
        """The exam's title in a language: its own entry, else the English one, else the only title."""
        by_language = dict(self.titles)
        return by_language.get(lang) or by_language.get("en") or self.title

    def grid(self, kind: str) -> Grid:
        """The grid of one kind of drawn value."""
        return dict(self.draw)[kind]

    def points_of(self, question: str) -> int:
        """Points of a question name (or "symbolic")."""
        return dict(self.points)[question]

    @property
    def total_points(self) -> int:
        """Points of the whole exercise."""
        return sum(points for _, points in self.points)


def step_decimals(step: float) -> int:
    """Decimals needed to write multiples of a grid step exactly (0.1 -> 1, 0.25 -> 2)."""
    for decimals in range(10):
        if abs(step * 10**decimals - round(step * 10**decimals)) < 1e-9:
            return decimals
    return 10


def default_questions(network: Network) -> tuple[tuple[str, ...], str]:
    """Output-layer activations, L, one weight gradient per layer, one updated weight; symbolic: a hidden weight."""
    names = Names(network)
    out = network.output_layer
    questions = [names.act(out, k) for k in range(network.width(out))] + ["L"]
    hidden = None
    for layer in reversed(range(network.depth)):
        if layer == out:
            questions.append(names.d_weight(layer, 0, 0))
        else:
            hidden = (layer, network.fan_in(layer) - 1, network.width(layer) - 1)
            questions.append(names.d_weight(*hidden))
    updated = hidden or (out, 0, 0)
    questions.append(names.step(1, names.weight(*updated)))
    symbolic = names.d_weight(0, 0, 0)
    return tuple(questions), symbolic


def default_draw(network: Network) -> dict[str, Grid]:
    """Inputs in [0, 1], targets in {0, 1} (one-hot for cce), weights in [-1, 1] never 0, biases in [-1, 1]."""
    return {
        "inputs": Grid(0.0, 1.0, 0.1),
        "targets": Grid(0.0, 1.0, 1.0, one_hot=functions.target_kind(network) == "distribution"),
        "weights": Grid(-1.0, 1.0, 0.1, nonzero=True),
        "biases": Grid(-1.0, 1.0, 0.1),
    }


def parse_exam(spec: Spec, source: str = "spec") -> ExamConfig:
    """Validate spec.exam (a raw dict) into an ExamConfig; every default applied."""
    table = spec.exam or {}
    _reject_unknown(table, EXAM_KEYS, "exam.", source)
    network = spec.network
    training = spec.training or Training(learning_rate=DEFAULT_LEARNING_RATE)
    questions, symbolic = default_questions(network)
    if "questions" in table:
        questions = _questions(table["questions"], network, training, source)
    if "symbolic" in table:
        symbolic = _symbolic(table["symbolic"], network, source)
    title, titles = _title(table.get("title", ""), source)
    title = title or spec.title
    points, default_points = _points(table.get("points", {}), questions, symbolic, source)
    draw = _draw(_subtable(table, "draw", source), network, source)
    answers = _answers(_subtable(table, "answers", source), source)
    constraints = _constraints(_subtable(table, "constraints", source), answers, source)
    moodle = _moodle(_subtable(table, "moodle", source), source)
    working_space = number_value(table.get("working_space", WORKING_SPACE_CM), "exam.working_space", source,
                                 low=0, high=20)
    return ExamConfig(title, questions, symbolic, points, tuple(draw.items()), answers, constraints, moodle,
                      training, working_space, titles, default_points)


def exam_to_dict(config: ExamConfig) -> dict:
    """The normalized [exam] table (every default written out); parse_exam reads it back unchanged."""
    def grid(g: Grid) -> dict:
        data = {"min": g.min, "max": g.max, "step": g.step, "nonzero": g.nonzero}
        if g.one_hot:
            data["one_hot"] = True
        return data

    points = {"default": config.default_points, **dict(config.points)}
    a, c, m = config.answers, config.constraints, config.moodle
    data = {
        "title": dict(config.titles) if config.titles else config.title,
        "working_space": config.working_space,
        "questions": list(config.questions),
        "symbolic": config.symbolic,
        "points": points,
        "draw": {kind: grid(g) for kind, g in config.draw},
        "answers": {"decimals": a.decimals, "significant": a.significant, "extra_decimals": a.extra_decimals,
                    "max_decimals": a.max_decimals},
        "constraints": {"relu_margin": c.relu_margin, "saturation": c.saturation, "min_gradient": c.min_gradient,
                        "distinct": c.distinct, "independent": c.independent, "max_attempts": c.max_attempts},
        "moodle": {"category": m.category, "penalty": m.penalty, "partial_fraction": m.partial_fraction,
                   "partial_factor": m.partial_factor},
    }
    if a.widest is not None:
        data["answers"]["abs_tol"] = a.widest
    if a.widest_relative is not None:
        data["answers"]["rel_tol"] = a.widest_relative
    return data


# -- validation helpers ----------------------------------------------------------------------------
def _title(value, source: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The exam title: a string, or a table by language code ({en = "Exam 1", pt-BR = "Prova 1"})."""
    if not isinstance(value, dict):
        return text_value(value, "exam.title", source), ()
    if not value:
        raise SpecError(f"{source}: exam.title: expected a string or a table of strings by language, got {{}}")
    titles = tuple((lang, text_value(text, f"exam.title.{lang}", source)) for lang, text in value.items())
    return dict(titles).get("en", titles[0][1]), titles


def _reject_unknown(table: dict, allowed, prefix: str, source: str) -> None:
    for key in table:
        if key not in allowed:
            raise SpecError(f"{source}: unknown key '{prefix}{key}'; expected one of {', '.join(sorted(allowed))} "
                            f"(did you mean {functions.closest(key, allowed)!r}?)")


def _subtable(table: dict, key: str, source: str) -> dict:
    value = table.get(key, {})
    if not isinstance(value, dict):
        raise SpecError(f"{source}: exam.{key}: expected a table [exam.{key}], got {shown(value)}")
    return value


def _whole(value, key: str, source: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SpecError(f"{source}: {key}: expected a whole number from {low} to {high}, got {shown(value)}")
    return value


def _boolean(value, key: str, source: str) -> bool:
    if not isinstance(value, bool):
        raise SpecError(f"{source}: {key}: expected true or false, got {shown(value)}")
    return value


def _questions(value, network: Network, training: Training, source: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(q, str) for q in value):
        raise SpecError(f"{source}: exam.questions: expected a non-empty list of quantity names such as "
                        f"[\"L\", \"dL/dW0[0][0]\"], got {shown(value)}")
    names = Names(network)
    seen = set()
    for name in value:
        try:
            quantity = names.parse(name, steps=training.steps)
        except QuantityError as err:
            hint = f" (steps exist up to step{training.steps}; set [training] steps)" if name.startswith("step") else ""
            raise SpecError(f"{source}: exam.questions: {err}{hint}") from None
        if quantity.kind in GIVEN_KINDS and quantity.step is None:
            raise SpecError(f"{source}: exam.questions: {shown(name)} is a drawn value given in the statement, not a "
                            f"question; expected a computed quantity such as 'L' or 'step1.{name}'")
        if name in seen:
            raise SpecError(f"{source}: exam.questions: {shown(name)} is listed twice; expected each question once")
        seen.add(name)
    return tuple(value)


def _symbolic(value, network: Network, source: str) -> str:
    if value is False or value == "":
        return ""
    if not isinstance(value, str):
        raise SpecError(f"{source}: exam.symbolic: expected a gradient name such as 'dL/dW0[0][0]' or false, "
                        f"got {shown(value)}")
    try:
        quantity = Names(network).parse(value)
    except QuantityError as err:
        raise SpecError(f"{source}: exam.symbolic: {err}") from None
    if quantity.kind not in ("dL/dW", "dL/db"):
        raise SpecError(f"{source}: exam.symbolic: expected a weight or bias gradient (dL/dW.. or dL/db..), "
                        f"got {shown(value)}")
    return value


def _points(value, questions, symbolic: str, source: str) -> tuple[tuple[tuple[str, int], ...], int]:
    if not isinstance(value, dict):
        raise SpecError(f"{source}: exam.points: expected a table such as {{default = 1, \"L\" = 2}}, "
                        f"got {shown(value)}")
    allowed = {"default", *questions} | ({"symbolic"} if symbolic else set())
    for key in value:
        if key not in allowed:
            raise SpecError(f"{source}: exam.points: unknown key {shown(key)}; expected 'default', 'symbolic' or "
                            f"one of the questions (did you mean {functions.closest(key, allowed)!r}?)")
    whole = {key: _whole(points, f"exam.points.{key}", source, 1, 1000) for key, points in value.items()}
    default = whole.get("default", 1)
    keys = list(questions) + (["symbolic"] if symbolic else [])
    return tuple((key, whole.get(key, default)) for key in keys), default


def _grid(table, kind: str, default: Grid, source: str) -> Grid:
    prefix = f"exam.draw.{kind}"
    if not isinstance(table, dict):
        raise SpecError(f"{source}: {prefix}: expected a table such as {{min = -1, max = 1, step = 0.1}}, "
                        f"got {shown(table)}")
    _reject_unknown(table, GRID_KEYS, prefix + ".", source)
    low = number_value(table.get("min", default.min), prefix + ".min", source)
    high = number_value(table.get("max", default.max), prefix + ".max", source)
    step = number_value(table.get("step", default.step), prefix + ".step", source, low=0, low_open=True)
    nonzero = _boolean(table.get("nonzero", default.nonzero), prefix + ".nonzero", source)
    one_hot = _boolean(table.get("one_hot", default.one_hot), prefix + ".one_hot", source)
    if one_hot and kind != "targets":
        raise SpecError(f"{source}: {prefix}.one_hot: only targets can be one-hot, got it on {kind}")
    if high < low:
        raise SpecError(f"{source}: {prefix}: expected min <= max, got min = {low:g}, max = {high:g}")
    count = (high - low) / step
    if not math.isfinite(count) or count > MAX_GRID_POINTS:
        raise SpecError(f"{source}: {prefix}.step: (max - min) / step = {count:.3g} grid points exceed "
                        f"{MAX_GRID_POINTS}; use a larger step or a narrower range")
    if abs(count - round(count)) > 1e-6:
        raise SpecError(f"{source}: {prefix}.step: expected a step that divides max - min = {high - low:g}, "
                        f"got {step:g}")
    grid = Grid(low, high, step, nonzero, one_hot)
    if not grid.points():
        raise SpecError(f"{source}: {prefix}: the grid is empty (only 0, with nonzero = true); widen min/max")
    return grid


def _draw(table: dict, network: Network, source: str) -> dict[str, Grid]:
    _reject_unknown(table, set(DRAW_KEYS), "exam.draw.", source)
    defaults = default_draw(network)
    return {kind: _grid(table.get(kind, {}), kind, defaults[kind], source) for kind in DRAW_KEYS}


def _answers(table: dict, source: str) -> Answers:
    _reject_unknown(table, ANSWER_KEYS, "exam.answers.", source)
    key = "exam.answers."
    decimals = _whole(table.get("decimals", 4), key + "decimals", source, 0, 10)
    significant = _whole(table.get("significant", 3), key + "significant", source, 1, 10)
    extra = _whole(table.get("extra_decimals", 1), key + "extra_decimals", source, 0, 10)
    most = _whole(table.get("max_decimals", 10), key + "max_decimals", source, decimals, 12)
    abs_tol = number_value(table["abs_tol"], key + "abs_tol", source, low=0) if "abs_tol" in table else None
    rel_tol = number_value(table["rel_tol"], key + "rel_tol", source, low=0, high=1) if "rel_tol" in table else None
    if abs_tol == 0 and rel_tol in (0, None) or rel_tol == 0 and abs_tol is None:
        raise SpecError(f"{source}: exam.answers: a tolerance bound of 0 cannot be met; expected abs_tol or rel_tol "
                        f"> 0, or leave them out (each question's tolerance is one unit of its last decimal)")
    return Answers(decimals, significant, extra, most, abs_tol or None, rel_tol or None)


def _constraints(table: dict, answers: Answers, source: str) -> Constraints:
    _reject_unknown(table, CONSTRAINT_KEYS, "exam.constraints.", source)
    key = "exam.constraints."
    return Constraints(
        relu_margin=number_value(table.get("relu_margin", 0.05), key + "relu_margin", source, low=0),
        saturation=number_value(table.get("saturation", 0.95), key + "saturation", source, low=0, high=1),
        min_gradient=number_value(table.get("min_gradient", 2 * answers.abs_tol), key + "min_gradient", source, low=0),
        distinct=_boolean(table.get("distinct", True), key + "distinct", source),
        independent=_boolean(table.get("independent", True), key + "independent", source),
        max_attempts=_whole(table.get("max_attempts", 1000), key + "max_attempts", source, 1, 1_000_000),
    )


def _moodle(table: dict, source: str) -> Moodle:
    _reject_unknown(table, MOODLE_KEYS, "exam.moodle.", source)
    key = "exam.moodle."
    return Moodle(
        category=text_value(table.get("category", ""), key + "category", source),
        penalty=number_value(table.get("penalty", 0.3333333), key + "penalty", source, low=0, high=1),
        partial_fraction=_whole(table.get("partial_fraction", 0), key + "partial_fraction", source, 0, 99),
        partial_factor=number_value(table.get("partial_factor", 10.0), key + "partial_factor", source, low=1),
    )


TABLE_CHECKS["exam"] = parse_exam  # a spec's [exam] table is validated whenever the spec is loaded
