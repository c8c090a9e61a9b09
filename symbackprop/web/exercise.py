"""The exercises a server shows: one spec, or an exam manifest's variants, each with questions in algorithm order."""
import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from symbackprop.checking import grading
from symbackprop.checking.tolerance import Policy
from symbackprop.checking.wrong_answers import WrongAnswers
from symbackprop.errors import ClaimsError, SpecError
from symbackprop.exams.config import parse_exam
from symbackprop.notation.derivation_tex import TexDerivation as Derivation, derive
from symbackprop.model.spec import Spec, spec_to_dict
from symbackprop.notation.printer import quantity_tex
from symbackprop.web.precisions import Asked, PagePrecisions, from_policy, from_tolerance, numbers_of

SPEC_VARIANT = "spec"  # the variant id of the single exercise a SPEC gives (records and exports use it)
SECTIONS = ("forward", "loss", "backward", "update")
FORWARD_KINDS = ("v", "act")
LOSS_KINDS = ("l", "L")
MAX_FORWARD_UNITS = 6  # wider layers ask only the units the questions need


@dataclass(frozen=True)
class Question:
    """One input of the page: a quantity, its LaTeX, its section and whether a number or an expression is expected."""

    name: str
    tex: str
    section: str  # forward | loss | backward | update | closed_form
    expects: str  # number | expression


@dataclass(frozen=True)
class Exercise:
    """One variant as a student works it: the spec with its values, the questions, the exam's answer key (what
    grade's report.csv grades) and the precision every other number is asked at."""

    id: str
    spec: Spec
    questions: tuple[Question, ...]
    answers: dict  # name -> grading.Answer, for grade's report
    precisions: PagePrecisions = field(compare=False, repr=False)
    keyed: frozenset = frozenset()  # numbers whose tolerance an exam's manifest states

    def question(self, name: str) -> Question | None:
        """The question asking `name`, if any."""
        return next((q for q in self.questions if q.name == name), None)

    def asked(self, name: str) -> Asked:
        """How a number is asked: as the manifest records it (or in the decimals of its tolerance, for a manifest
        without decimals), else at the policy's precision."""
        if name in self.keyed:
            answer = self.answers[name]
            if answer.precision is not None:
                return from_policy(answer.precision)
            return from_tolerance(answer.tolerance(answer.value))
        return self.precisions[name]

    def judged(self, name: str) -> tuple[float, float]:
        """(absolute, relative) tolerance a number claimed for `name` is judged with, as grade judges it."""
        if name in self.keyed:
            answer = self.answers[name]
            return (answer.precision.tolerance, 0.0) if answer.precision is not None else (answer.abs_tol,
                                                                                           answer.rel_tol)
        return self.precisions[name].tolerance, 0.0


class UnknownVariant(LookupError):
    """A variant id the server was not started with."""


class ExerciseSet:
    """Every exercise a server serves; no other spec, path or template is ever read after start."""

    def __init__(self, exercises: dict[str, Exercise], needs_variant: bool, derivation: Derivation):
        self.exercises = exercises
        self.needs_variant = needs_variant
        self.derivation = derivation

    def get(self, variant: str | None) -> Exercise:
        """The exercise of a variant id (None or "" for a SPEC's single exercise)."""
        key = variant if self.needs_variant or variant else SPEC_VARIANT
        if key is None or key not in self.exercises:
            raise UnknownVariant(str(variant))
        return self.exercises[key]

    @property
    def fingerprint(self) -> str:
        """A digest of the specs and questions, recorded with a class database so it is never mixed up."""
        data = {key: {"spec": spec_to_dict(e.spec), "questions": [q.name for q in e.questions]}
                for key, e in sorted(self.exercises.items())}
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]

    @property
    def question_names(self) -> list[str]:
        """Every asked quantity over all variants, in algorithm order, without repeats."""
        names: dict[str, None] = {}
        for exercise in self.exercises.values():
            names.update(dict.fromkeys(q.name for q in exercise.questions))
        return list(names)


def _order_key(derivation: Derivation, name: str) -> tuple:
    """Forward by layer, then the loss, then backward from the output layer, then the updates."""
    q = derivation.names.parse(name, 10**6)
    if q.step is not None:
        return (3, q.step, 0, 0, name)
    if q.kind in FORWARD_KINDS:
        return (0, q.layer, q.indices[0], FORWARD_KINDS.index(q.kind), name)
    if q.kind in LOSS_KINDS:
        return (1, 0, LOSS_KINDS.index(q.kind), 0, name)
    return (2, -(q.layer or 0), 0, 0, name)


def _section(derivation: Derivation, name: str) -> str:
    return SECTIONS[_order_key(derivation, name)[0]]


def ordered_questions(derivation: Derivation, asked: list[str], symbolic: str = "") -> list[str]:
    """The asked quantities with the steps that lead to them, in the order of the algorithm: the forward values,
    the loss, each asked gradient's chain factors just before it (output layer first), the updated parameters."""
    net, names = derivation.network, derivation.names
    parsed = {name: names.parse(name, 10**6) for name in [*asked, *([symbolic] if symbolic else [])]}
    beyond_forward = any(q.kind not in FORWARD_KINDS or q.step is not None for q in parsed.values())
    last = net.output_layer if beyond_forward else max((q.layer for q in parsed.values()), default=-1)
    forward = [name for layer in range(last + 1) if net.width(layer) <= MAX_FORWARD_UNITS
               for j in range(net.width(layer)) for name in (names.v(layer, j), names.act(layer, j))]
    by_section: dict[str, list[str]] = {section: [] for section in SECTIONS}
    for name in asked:
        by_section[_section(derivation, name)].append(name)
    forward = sorted(dict.fromkeys([*forward, *by_section["forward"]]), key=lambda n: _order_key(derivation, n))
    loss = sorted(dict.fromkeys([*(["L"] if beyond_forward else []), *by_section["loss"]]),
                  key=lambda n: _order_key(derivation, n))
    gradients = sorted((n for n in by_section["backward"] if parsed[n].kind in ("dL/dW", "dL/db")),
                       key=lambda n: _order_key(derivation, n))
    singles = sorted((n for n in by_section["backward"] if n not in gradients), key=lambda n: _order_key(derivation, n))
    backward = [*singles, *(name for gradient in gradients for name in [*derivation.chain(gradient), gradient])]
    ordered = dict.fromkeys([*forward, *loss, *backward, *by_section["update"]])
    return [name for name in ordered if name != symbolic]


def _questions(derivation: Derivation, asked: list[str], symbolic: str) -> tuple[Question, ...]:
    network = derivation.network
    numeric = ordered_questions(derivation, asked, "" if symbolic in asked else symbolic)
    out = [Question(name, quantity_tex(derivation.names.parse(name, 10**6), network), _section(derivation, name),
                    "number") for name in numeric]
    if symbolic and symbolic not in numeric:
        q = derivation.names.parse(symbolic)
        out.append(Question(symbolic, quantity_tex(q, network), "closed_form", "expression"))
    return tuple(out)


def from_spec(spec: Spec) -> ExerciseSet:
    """The single exercise of a spec: its [values], its [exam] questions or the default ones."""
    if spec.values is None:
        raise SpecError("the spec has no [values] table; add x, y, W.. and b.. (or serve an exam's manifest)")
    config = parse_exam(spec)
    if spec.training is None:
        spec = dataclasses.replace(spec, training=config.training)
    derivation = derive(spec.network)
    questions = _questions(derivation, list(config.questions), config.symbolic)
    precisions = PagePrecisions(spec, policy_of(config))
    truth = numbers_of(spec)
    # every number of the page is graded at the precision it is asked; those the exam asks carry its points
    answers = {q.name: grading.Answer(truth[q.name], precisions[q.name].tolerance, 0.0,
                                      float(config.points_of(q.name)) if q.name in config.questions else 0.0)
               for q in questions if q.expects == "number"}
    exercise = Exercise(SPEC_VARIANT, spec, questions, answers, precisions)
    return ExerciseSet({SPEC_VARIANT: exercise}, False, derivation)


SEPARATING_DECIMALS = 2  # a known wrong answer two more decimals cannot tell apart moves the answer by a mere trace


def policy_of(config) -> Policy:
    """The tolerance policy of an exam's [exam.answers]; the page cannot redraw, so it asks up to
    SEPARATING_DECIMALS more decimals to keep a known wrong answer out."""
    policy = config.answers.policy
    return dataclasses.replace(policy, extra_decimals=max(policy.extra_decimals, SEPARATING_DECIMALS))


def from_manifest(path: str | Path) -> ExerciseSet:
    """Every variant of an exam manifest, each with its drawn values and the exam's questions."""
    variants = grading.load_manifest(path)
    first = next(iter(variants.values())).spec
    try:
        config = parse_exam(first, str(path))
    except SpecError as err:
        raise ClaimsError(f"{path}: {err}") from err
    derivation = derive(first.network)
    policy, wrong = policy_of(config), WrongAnswers(first, first.training or config.training)
    exercises = {}
    for variant_id, variant in variants.items():
        asked = [name for name in variant.answers if not isinstance(variant.answers[name].value, str)]
        questions = _questions(derivation, asked, config.symbolic)
        keyed = frozenset(name for name, answer in variant.answers.items() if not isinstance(answer.value, str))
        exercises[variant_id] = Exercise(variant_id, variant.spec, questions, variant.answers,
                                         PagePrecisions(variant.spec, policy, wrong), keyed)
    return ExerciseSet(exercises, True, derivation)


