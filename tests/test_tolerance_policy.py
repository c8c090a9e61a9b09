"""The tolerance policy: decimals or significant figures from the question's scale, the step of an updated
parameter, the carried path, and the precision that refuses every known wrong answer."""
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from symbackprop.checking.grading import Grader, grade_all, load_manifest, parse_answers
from symbackprop.checking.tolerance import Policy, Precision, precision, separating
from symbackprop.checking.wrong_answers import WrongAnswers
from symbackprop.cli import main
from symbackprop.exams.config import parse_exam
from symbackprop.exams.variants import Drawer
from symbackprop.model.points import point_values
from symbackprop.model.spec import Training, load_spec, parse_spec, spec_from_dict
from symbackprop.numeric.values import quantity_values
from tests.specs import SINGLE_NEURON


@pytest.mark.parametrize("value, decimals, tolerance, significant", [
    (0.5474, 4, 1e-4, None),  # an ordinary magnitude: 4 decimals, one unit of the last
    (-0.8412, 4, 1e-4, None),
    (12.5, 4, 1e-4, None),
    (0.0123, 4, 1e-4, None),  # 3 significant figures fit in 4 decimals
    (0.00123, 5, 1e-5, 3),  # a small gradient: 3 significant figures, 5 decimals
    (-0.000456, 6, 1e-6, 3),
    (0.0, 4, 1e-4, None),
])
def test_precision_from_the_magnitude(value, decimals, tolerance, significant):
    p = precision(value)
    assert (p.decimals, p.significant) == (decimals, significant)
    assert p.tolerance == pytest.approx(tolerance, rel=1e-12)


def test_an_updated_parameter_is_judged_on_its_step():
    w, change = 0.6, -0.5 * 0.0085  # w - η g with g = 0.0085
    p = precision(w + change, change=change)
    assert (p.decimals, p.significant) == (5, None) and p.tolerance == pytest.approx(1e-5)  # 3 figures of 0.00425
    assert not p.accepts(w, w + change)  # the un-updated weight is refused
    assert p.accepts(round(w + change, 5), w + change)
    # the old rule, max(1e-4, 1% of |w|), accepted the un-updated weight
    assert abs(w - (w + change)) <= max(1e-4, 0.01 * abs(w + change))


def test_the_carried_path_widens_the_tolerance():
    exact, carried = 0.123456, 0.12362
    p = precision(exact, carried=carried)
    assert p.tolerance == pytest.approx(abs(carried - exact) + 0.5e-4)
    assert p.accepts(round(carried, 4), exact) and p.accepts(exact, exact) and p.accepts(round(exact, 4), exact)
    assert not p.accepts(exact + 3e-4, exact)


def test_a_carried_path_by_decimals_is_asked_at_the_decimals_tried():
    exact = 0.5
    p = separating(exact, {"early": 0.50012}, carried=lambda d: exact + 10.0 ** -d)
    assert p.decimals == 5 and p.tolerance == pytest.approx(1.5e-5)


def test_separating_asks_more_digits_until_no_wrong_value_is_accepted():
    value = 0.54741
    p = separating(value, {"close": 0.54749, "zero": 0.0})
    assert p.decimals == 5 and p.tolerance == pytest.approx(1e-5)
    assert not p.accepts(0.54749, value) and p.accepts(round(value, 5), value)
    assert separating(value, {"zero": 0.0}) == precision(value)  # nothing to separate: the policy's precision


def test_separating_ignores_a_mistake_that_changes_nothing_and_gives_up_beyond_max_decimals():
    value = 0.25
    assert separating(value, {"same": value * (1 + 1e-14)}) == precision(value)
    assert separating(value, {"twin": value + 1e-12}, Policy(max_decimals=8)) is None


def test_old_abs_and_rel_tol_bound_the_asked_unit():
    assert precision(0.5, Policy(decimals=2, widest=1e-3)).decimals == 3
    assert precision(0.5, Policy(decimals=2, widest_relative=1e-3)).decimals == 4  # 1e-3 × 0.5 = 5e-4
    assert precision(0.5, Policy(decimals=4, widest=1e-2)).decimals == 4  # a looser bound never widens


def test_non_finite_answers_are_refused():
    p = Precision(4, 1e-4)
    assert not p.accepts(math.nan, 0.5) and not p.accepts(math.inf, 0.5) and not p.accepts(0.5, math.nan)


@settings(max_examples=300, deadline=None)
@given(st.floats(-50, 50, allow_nan=False).filter(lambda v: abs(v) > 1e-9),
       st.one_of(st.none(), st.floats(-1, 1).filter(lambda c: abs(c) > 1e-9)))
def test_the_exact_answer_and_the_answer_at_declared_precision_are_accepted(value, change):
    p = precision(value, change=change)
    assert p.accepts(value, value)
    assert p.accepts(round(value, p.decimals), value)
    assert p.tolerance <= 10.0 ** -p.decimals * (1 + 1e-12)
    if p.significant and p.decimals < Policy().max_decimals:  # one unit of the third figure: at most 1%
        assert p.tolerance <= 0.01 * abs(change if change is not None else value) * (1 + 1e-9)


# -- every example spec and a seeded grid of generated exams: the manifest refuses every known wrong answer ----
# The wrong values are recomputed here in plain NumPy from manifest.json alone: 0, ±1, the sign flip, for an
# updated weight the weight before its update and the update with the wrong sign, and the value a student gets
# rounding every intermediate (v, y, ∂L/∂ŷ, g'(v), δ, ∂L/∂y) to 1 or 2 decimals — when that differs from what
# a student carrying the asked decimals gets (then the early rounding changed nothing).
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SPECS = {
    "course_232": EXAMPLES / "course_232.toml",
    "exam_relu": EXAMPLES / "exam_relu.toml",
    "relu_3layer": EXAMPLES / "relu_3layer.toml",
    "single_neuron": EXAMPLES / "single_neuron.toml",
    "softmax_4663": EXAMPLES / "softmax_4663.toml",
    "default": None,
    "relu_221_bce": "[network]\nlayers = [2, 2, 1]\nactivations = [\"relu\", \"sigmoid\"]\nloss = \"bce\"\n",
    "sigmoid_31_mse_steps": ("[network]\nlayers = [3, 2, 1]\nactivations = \"sigmoid\"\nloss = \"mse\"\n"
                             "[training]\nlearning_rate = 0.3\n[exam]\nquestions = [\"y0[1]\", \"L\", \"dL/db0[0]\","
                             " \"dL/dW0[2][1]\", \"step1.W0[2][1]\", \"step1.b1[0]\", \"step1.W1[1][0]\"]\n"
                             "[exam.draw]\ninputs = {min = -1, max = 1, step = 0.5}\n"),
}
GRID = [(name, seed) for name in SPECS for seed in (1, 7)]

ACTIVATIONS = {"sigmoid": (lambda v: 1 / (1 + np.exp(-v)), lambda v, y: y * (1 - y)),
               "relu": (lambda v: np.maximum(v, 0.0), lambda v, y: (v > 0).astype(float)),
               "softmax": (lambda v: np.exp(v - v.max()) / np.exp(v - v.max()).sum(), None)}


def _network(spec: dict):
    layers = spec["network"]["layers"]
    acts = spec["network"]["activations"]
    acts = [acts] * (len(layers) - 1) if isinstance(acts, str) else acts
    return layers, acts, spec["network"]["loss"]


def _unpack(values: dict, layers):
    x = np.array([values[f"x[{i}]"] for i in range(layers[0])])
    t = np.array([values[f"y[{k}]"] for k in range(layers[-1])])
    weights = [np.array([[values[f"W{l}[{i}][{j}]"] for j in range(n_out)] for i in range(n_in)])
               for l, (n_in, n_out) in enumerate(zip(layers, layers[1:]))]
    biases = [np.array([values[f"b{l}[{j}]"] for j in range(n_out)]) for l, n_out in enumerate(layers[1:])]
    return x, t, weights, biases


LOSS_TERMS = {"mse": lambda t, p: (t - p) ** 2 / len(t), "bce": lambda t, p: -(t * np.log(p) + (1 - t) * np.log(1 - p))
              / len(t), "cce": lambda t, p: -t * np.log(p)}
LOSS_SLOPES = {"mse": lambda t, p: -2 * (t - p) / len(t), "bce": lambda t, p: -(t / p - (1 - t) / (1 - p)) / len(t),
               "cce": lambda t, p: -t / p}


def _rounded_early(name: str, values: dict, spec: dict, places: int) -> float | None:
    """The asked quantity computed from intermediates each rounded to `places` decimals, the chain rule taken
    factor by factor (∂L/∂ŷ, g'(v), δ, ∂L/∂y); the asked value itself is not rounded. None: not recomputed here."""
    layers, acts, loss = _network(spec)
    r = lambda a: np.round(a, places)  # noqa: E731
    x, t, weights, biases = _unpack(values, layers)
    ys, vs, exact_vs, exact_ys = [x], [], [], []
    for W, b, act in zip(weights, biases, acts):
        exact_vs.append(ys[-1] @ W + b)
        vs.append(r(exact_vs[-1]))
        exact_ys.append(ACTIVATIONS[act][0](vs[-1]))
        ys.append(r(exact_ys[-1]))
    forward = re.fullmatch(r"([vy])(\d+)\[(\d+)\]", name)
    if forward:
        layer, unit = int(forward.group(2)), int(forward.group(3))
        return float((exact_vs if forward.group(1) == "v" else exact_ys)[layer][unit])
    out = ys[-1]
    with np.errstate(all="ignore"):
        if name == "L":
            return float(np.sum(r(LOSS_TERMS[loss](t, out))))
        upstream = r(LOSS_SLOPES[loss](t, out))
    grads = {}
    for l in reversed(range(len(weights))):
        y = ys[l + 1]
        if acts[l] == "softmax":
            jacobian = r(np.diag(y) - np.outer(y, y))  # ∂y_k/∂v_j
            delta = r(upstream @ jacobian)
        else:
            delta = r(upstream * r(ACTIVATIONS[acts[l]][1](vs[l], y)))
        grads[f"W{l}"], grads[f"b{l}"] = np.outer(ys[l], delta), delta
        upstream = r(delta @ weights[l].T)
    match = re.fullmatch(r"(step1\.)?(dL/d)?([Wb])(\d+)((?:\[\d+\])+)", name)
    if match is None:
        return None
    step, gradient, letter, layer, index = match.groups()
    index = tuple(int(i) for i in re.findall(r"\d+", index))
    g = float(grads[f"{letter}{layer}"][index])
    if gradient:
        return g
    return values[name[len("step1."):]] - spec["training"]["learning_rate"] * float(np.round(g, places))


def _known_wrong(name: str, answer: dict, values: dict, spec: dict) -> dict[str, float]:
    value = answer["value"]
    wrong = {"zero": 0.0, "one": 1.0, "minus_one": -1.0, "sign": -value}
    if name.startswith("step1.") and name != "step1.L":
        before = values[name[len("step1."):]]
        wrong.update(not_updated=before, update_sign=2 * before - value)
    carried = _rounded_early(name, values, spec, answer["decimals"])  # a student carrying the asked decimals
    for places in (1, 2):
        early = _rounded_early(name, values, spec, places)
        if early is not None and abs(early - carried) > 1e-12:  # else rounding early changed nothing
            wrong[f"rounded_early_{places}"] = early
    return wrong


def _manifest_accepts(answer: dict, candidate: float) -> bool:
    """The manifest's rule, as any grader reads it: |a - v| <= max(abs_tol, rel_tol |v|)."""
    return abs(candidate - answer["value"]) <= max(answer["abs_tol"], answer["rel_tol"] * abs(answer["value"]))


@pytest.fixture(scope="module")
def manifests(tmp_path_factory):
    folder = tmp_path_factory.mktemp("policy")
    found = {}
    for name, seed in GRID:
        args = ["exam", "--variants", "12", "--seed", str(seed), "-o", str(folder / f"{name}-{seed}")]
        source = SPECS[name]
        if isinstance(source, str):
            path = folder / f"{name}.toml"
            path.write_text(source, encoding="utf-8")
            source = path
        if source is not None:
            args.insert(1, str(source))
        assert main(args) == 0
        found[name, seed] = json.loads((folder / f"{name}-{seed}" / "manifest.json").read_text(encoding="utf-8"))
    return found


@pytest.mark.parametrize("name, seed", GRID)
def test_every_known_wrong_answer_is_refused_and_the_right_ones_accepted(manifests, name, seed):
    data = manifests[name, seed]
    checked = 0
    for variant in data["variants"]:
        for quantity, answer in variant["answers"].items():
            value = answer["value"]
            assert _manifest_accepts(answer, value), (variant["id"], quantity)
            assert _manifest_accepts(answer, round(value, answer["decimals"])), (variant["id"], quantity)
            for label, wrong in _known_wrong(quantity, answer, variant["values"], data["spec"]).items():
                if abs(wrong - value) > 1e-12 * max(1.0, abs(value)):
                    assert not _manifest_accepts(answer, wrong), (variant["id"], quantity, label, wrong, answer)
                    checked += 1
    assert checked > 12 * 4  # every variant had wrong answers to refuse


def test_the_rounded_early_values_here_agree_with_the_module(manifests):
    """The plain-NumPy rounding above and wrong_answers.py's graph walk give the same rounded-early values on
    the course network (their paths round the same intermediates)."""
    data = manifests["default", 1]
    spec = spec_from_dict(data["spec"])
    config = parse_exam(spec)
    wrong_answers = WrongAnswers(spec, config.training)
    compared = 0
    for variant in data["variants"]:
        values = point_values(spec.network, variant["values"].__getitem__)
        numbers = quantity_values(spec.network, values, config.training)
        point = wrong_answers.at(values, numbers)
        for quantity in variant["answers"]:
            mine = _rounded_early(quantity, variant["values"], data["spec"], 2)
            theirs = point.carried(quantity, 2)
            if mine is not None and theirs is not None:
                assert theirs == pytest.approx(mine, abs=1e-12), (variant["id"], quantity)
                compared += 1
    assert compared >= 12 * 4


# -- the known wrong answers of one quantity, on the course's single neuron, against hand computation ----------
def _single_neuron_point(learning_rate=0.5):
    spec = parse_spec(SINGLE_NEURON)
    training = Training(learning_rate=learning_rate)
    numbers = quantity_values(spec.network, spec.values, training)
    return WrongAnswers(spec, training).at(spec.values, numbers), numbers


def _neuron(x=0.7, w=0.1, b=0.25, t=1.0, places=None):
    """v, ŷ, ∂L/∂ŷ, σ'(v), δ and ∂L/∂w of the single neuron with MSE, each rounded to `places` when given."""
    r = (lambda a: round(a, places)) if places is not None else (lambda a: a)
    v = r(w * x + b)
    y = r(1 / (1 + math.exp(-v)))
    slope, local = r(-2 * (t - y)), r(y * (1 - y))
    delta = r(slope * local)
    return v, y, slope, local, delta, delta * x


def test_the_wrong_answers_of_an_updated_weight():
    point, numbers = _single_neuron_point()
    *_, delta, gradient = _neuron()
    value = 0.1 - 0.5 * gradient
    assert numbers["step1.W0[0][0]"] == pytest.approx(value, rel=1e-12)
    wrong = point.wrong("step1.W0[0][0]")
    assert wrong["update_not_applied"] == 0.1 and wrong["update_sign"] == pytest.approx(0.1 + 0.5 * gradient)
    assert (wrong["zero"], wrong["one"], wrong["minus_one"]) == (0.0, 1.0, -1.0)
    assert wrong["sign_flipped"] == pytest.approx(-value)
    assert point.change("step1.W0[0][0]") == pytest.approx(-0.5 * gradient)
    _, y, slope, *_ = _neuron()
    # g'(v) missing: ∂L/∂w = ∂L/∂ŷ · x, so the step is 0.1 - η (-2 (1 - ŷ)) x
    assert wrong["mistake:missing_activation_derivative"] == pytest.approx(0.1 - 0.5 * slope * 0.7, rel=1e-12)
    # g(v) for g'(v): ∂L/∂w = ∂L/∂ŷ · ŷ · x
    assert wrong["mistake:activation_instead_of_derivative"] == pytest.approx(0.1 - 0.5 * slope * y * 0.7, rel=1e-12)
    early = _neuron(places=2)[-1]
    assert wrong["rounded_early_2"] == pytest.approx(0.1 - 0.5 * round(early, 2), abs=1e-12)


def test_the_carried_value_rounds_every_intermediate_and_carries_it():
    point, numbers = _single_neuron_point()
    gradient = _neuron(places=4)[-1]  # v, ŷ, ∂L/∂ŷ, σ', δ at 4 decimals; the answer itself not rounded
    assert point.carried("dL/dW0[0][0]", 4) == pytest.approx(gradient, abs=1e-15)
    assert point.carried("step1.W0[0][0]", 4) == pytest.approx(0.1 - 0.5 * round(gradient, 4), abs=1e-15)
    assert point.carried("x[0]", 4) is None  # a given value has no rule
    assert point.carried("L", 4) == round((1 - _neuron(places=4)[1]) ** 2, 4)  # L = l₀, itself rounded


def test_a_proven_variant_refuses_each_wrong_answer_its_tolerance_was_set_against():
    spec = load_spec()
    drawer = Drawer(spec, 3)
    for variant in drawer.draw(6):
        point = drawer.prover.wrong_answers.at(variant.values, variant.numbers)
        for name in drawer.config.questions:
            asked, value = variant.precision(name), variant.numbers[name]
            for label, wrong in point.wrong(name).items():
                if abs(wrong - value) > 1e-12 * max(abs(wrong), abs(value)) and not label.startswith("rounded"):
                    assert not asked.accepts(wrong, value), (variant.id, name, label)
    assert parse_exam(spec).answers.extra_decimals == 1


def test_grade_refuses_the_weight_before_its_update_and_accepts_the_answers_at_their_decimals(manifests, tmp_path):
    data = manifests["default", 1]
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    variants = load_manifest(path)
    questions = list(data["variants"][0]["answers"])
    step = next(q for q in questions if q.startswith("step1."))
    lines = ["student,variant," + ",".join(questions)]
    for variant in data["variants"]:
        cells = []
        for name, answer in variant["answers"].items():
            assert variants[variant["id"]].answers[name].tolerance(answer["value"]) == answer["abs_tol"]
            shown = variant["values"][step[len("step1."):]] if name == step else answer["value"]
            cells.append(f"{shown:.{answer['decimals']}f}")
        lines.append(f"s{variant['id']},{variant['id']}," + ",".join(cells))
    header, records = parse_answers("\n".join(lines) + "\n")
    graded = grade_all(Grader(variants), records)
    assert len(graded) == len(data["variants"])
    for g in graded:
        assert all(g.verdicts[q] == "correct" for q in questions if q != step), g.verdicts
        assert g.verdicts[step].startswith("wrong"), g.verdicts
