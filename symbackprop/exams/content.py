"""What every exam variant shows: its values, its questions with points and answers, and their worked solutions."""
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from symbackprop.documents import diagram
from symbackprop.model import symbols
from symbackprop.notation import catalogue
from symbackprop.notation.derivation_tex import TexDerivation as Derivation, derive
from symbackprop.notation.course import CourseNotation
from symbackprop.documents.context import function_blocks, value_matrices, value_pages
from symbackprop.exams.variants import Variant
from symbackprop.exams.config import ExamConfig
from symbackprop.notation.number_format import as_written
from symbackprop.notation.numbers_in_math import NumberFormat
from symbackprop.notation.printer import quantity_tex
from symbackprop.model.quantities import Names
from symbackprop.model.spec import Spec
from symbackprop.documents.worked_steps import Line, Step, Worker

TIMES = r" \times "


@dataclass(frozen=True)
class Question:
    """One question of a variant: its text, points, the exact answer (None when symbolic) and its solution."""

    number: int
    name: str
    tex: str  # the asked quantity in LaTeX math
    text: str  # the question sentence (LaTeX text, math in $...$)
    points: int
    answer: float | None
    tolerance: float | None
    steps: tuple[Step, ...]
    tolerance_tex: str = ""  # the tolerance at the question's decimals, for the key
    carried_tex: str = ""  # the worked solution's result carried forward, when it prints differently
    answer_tex: str = ""  # the exact answer at the question's decimals
    margin: float = float("inf")  # distance to the nearest known wrong answer (set with Moodle partial credit)


@dataclass(frozen=True)
class VariantContent:
    """One variant as the documents show it."""

    id: str
    seed: int
    value_lines: list  # lines of {name, rows} number matrices: x and y, then W^l and b^l per layer
    questions: tuple[Question, ...]

    @property
    def total_points(self) -> int:
        """Points of the variant."""
        return sum(q.points for q in self.questions)

    @property
    def hand_points(self) -> int:
        """Points of the symbolic question, graded by hand (not in the Moodle quiz)."""
        return sum(q.points for q in self.questions if q.answer is None)

    @property
    def numeric_points(self) -> int:
        """Points of the computed questions: the Moodle quiz's total."""
        return self.total_points - self.hand_points


def _rounded(value: float, printed: int, decimals: int) -> float:
    """A value printed with `printed` decimals, rounded as on paper (half up) to `decimals`: 0.02235 -> 0.0224."""
    text = Decimal(f"{value:.{printed}f}")
    return float(text.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def _paren(expr, text: str) -> str:
    return rf"\left({text}\right)" if expr.is_Add or text.startswith("-") else text


class ExamContent:
    """Builds the statement, the questions and the worked solutions of exam variants."""

    def __init__(self, spec: Spec, config: ExamConfig, lang: str = catalogue.DEFAULT_LANGUAGE,
                 decimal_comma: bool = False):
        self.spec, self.config, self.lang = spec, config, lang
        self.messages = catalogue.catalogue(lang)
        self.exam_messages = self.messages["exam"]
        self.fmt = NumberFormat(config.answers.decimals, decimal_comma)
        self.derivation: Derivation = derive(spec)
        self.names = Names(spec.network)
        self.note = CourseNotation(self.derivation.network, if_word=self.messages["if"])
        self._symbolic_steps = self._symbolic() if config.symbolic else ()

    # -- shared by every variant -------------------------------------------------------------------
    def asked_tex(self, name: str) -> str:
        """LaTeX of an asked quantity (training steps included)."""
        return quantity_tex(self.names.parse(name, self.config.training.steps), self.spec.network)

    def _symbolic(self) -> tuple[Step, ...]:
        """∂L/∂w = named factors = their closed forms: the same for every variant."""
        d, name = self.derivation, self.config.symbolic
        chain = d.chain(name)
        closed = TIMES.join(_paren(d.expression(f), self.note.tex(d.expression(f))) for f in chain)
        steps = [Step(name, d.name_tex(name), (Line("=", TIMES.join(d.name_tex(f) for f in chain)),
                                               Line("=", closed)))]
        return tuple(steps + self._deltas([d.expression(f) for f in chain]))

    def _deltas(self, exprs) -> list[Step]:
        """Each δ the closed forms use, written out in its own closed form (and the δ those use), so every
        factor of the answer is expanded as the question asks."""
        d, seen, steps = self.derivation, set(), []
        pending = sorted({s for e in exprs for s in e.free_symbols if symbols.parse_symbol(s) is not None
                          and symbols.parse_symbol(s).kind == "delta"}, key=str)
        while pending:
            delta = pending.pop(0)
            if delta in seen:
                continue
            seen.add(delta)
            layer, unit = symbols.parse_symbol(delta).indices
            name = self.names.d_v(layer, unit)
            expr = d.expression(name)
            steps.append(Step(name, rf"{d.tex(delta)} = {d.name_tex(name)}", (Line("=", self.note.tex(expr)),)))
            pending += sorted({s for s in expr.free_symbols if symbols.parse_symbol(s) is not None
                               and symbols.parse_symbol(s).kind == "delta"} - seen, key=str)
        return steps

    def statement(self) -> dict:
        """The parts of the statement every variant repeats: network, functions, instructions, update note."""
        m, em, net, c = self.messages, self.exam_messages, self.spec.network, self.config
        comma = self.fmt.decimal_comma
        training = c.training
        asks_steps = any(q.startswith("step") for q in c.questions)
        momentum = (catalogue.fill(em["momentum_clause"], alpha=as_written(training.momentum, comma, math=True))
                    if training.momentum else "")
        return {
            "summary": catalogue.fill(m["network_summary"], layers="--".join(str(n) for n in net.layers),
                                 activations=", ".join(catalogue.function_name(m, "activation", a, net)
                                                       for a in net.activations),
                                 loss=catalogue.function_name(m, "loss", net.loss, net)),
            "functions": self._functions(),
            "instructions": m["tolerance"]["instructions"],
            "update_note": (catalogue.fill(em["update_note"], eta=as_written(training.learning_rate, comma, math=True),
                                      momentum=momentum) if asks_steps else ""),
        }

    def _functions(self) -> list[dict]:
        """The activations and the loss as the statement writes them: g^l(v) with the layers that use each."""
        net, blocks = self.spec.network, function_blocks(self.derivation, self.note, self.messages)
        out = []
        for name, block in zip(dict.fromkeys(net.activations), blocks):
            layers = [layer for layer, used in enumerate(net.activations) if used == name]
            lhs = " = ".join(rf"{self.note.layer('g', layer)}(v)" for layer in layers)
            steps = [replace(step, lhs=lhs) if step.lhs == "g(v)" else step for step in block["steps"]]
            out.append({"title": block["title"], "steps": steps, "note": block["note"]})
        loss = blocks[-1]
        return out + [{"title": loss["title"], "steps": loss["steps"], "note": loss["note"]}]

    def diagram(self):
        """The network diagram's layout (symbols on the edges; the same for every variant)."""
        return diagram.layout(self.spec.network, self.messages["diagram"])

    # -- one variant -------------------------------------------------------------------------------
    def value_lines(self, variant: Variant) -> list:
        """Lines of named number matrices: x, y, then W^l and b^l per layer, wide ones on lines of their own."""
        items = value_matrices(replace(self.spec, values=variant.values), self.note)
        return [line for page in value_pages(items, budget=float("inf")) for line in page]

    def _solution(self, worker: Worker, name: str, shown: set) -> tuple[Step, ...]:
        """The steps answering `name`, leaving out steps an earlier question of the variant already showed."""
        steps = worker.solution(name)
        fresh = [s for s in steps[:-1] if (s.name, s.lhs) not in shown] + steps[-1:]
        shown.update((s.name, s.lhs) for s in steps)
        return tuple(fresh)

    def _compute(self, tex: str, asked) -> str:
        """The question sentence with the precision it asks for (tolerance policy)."""
        words = self.messages["tolerance"]
        wanted = catalogue.fill(words["significant" if asked.significant else "decimals"], decimals=asked.decimals,
                                significant=asked.significant)
        return catalogue.fill(words["compute"], quantity=tex, precision=wanted)

    def variant(self, variant: Variant) -> VariantContent:
        """Every question of one variant with its answer and worked solution."""
        c, em = self.config, self.exam_messages
        decimals = max([variant.precision(name).decimals for name in c.questions] + [self.fmt.decimals])
        worker = Worker(self.derivation, variant.numbers, replace(self.fmt, decimals=decimals), training=c.training,
                        if_word=self.messages["if"], words=self.messages["worked"])  # solutions at the finest asked decimals
        solved: set = set()
        questions = []
        for number, name in enumerate(c.questions, start=1):
            tex = self.asked_tex(name)
            value = variant.numbers[name]
            asked = variant.precision(name)
            tolerance = asked.tolerance
            shown = NumberFormat(asked.decimals, self.fmt.decimal_comma)
            carried = shown.tex(_rounded(worker.shown(name), worker.fmt.decimals, asked.decimals))
            questions.append(Question(number, name, tex, self._compute(tex, asked), c.points_of(name),
                                      value, tolerance, self._solution(worker, name, solved),
                                      shown.tex(tolerance), carried if carried != shown.tex(value) else "",
                                      shown.tex(value), variant.margins.get(name, float("inf"))))
        if c.symbolic:
            tex = self.derivation.name_tex(c.symbolic)
            questions.append(Question(len(questions) + 1, c.symbolic, tex, catalogue.fill(em["symbolic"], quantity=tex),
                                      c.points_of("symbolic"), None, None, self._symbolic_steps))
        return VariantContent(variant.id, variant.seed, self.value_lines(variant), tuple(questions))


def exam_context(content: ExamContent, seed: int, variants: list[VariantContent], moodle: bool = False) -> dict:
    """Everything exam.tex.j2 and key.tex.j2 use; `moodle`: a Moodle quiz is written beside them."""
    spec, messages = content.spec, content.messages
    title = (content.config.title_in(content.lang) if "title" in spec.exam else spec.text("title", content.lang)) or \
        messages["exam"]["title"]
    return {
        "t": messages,
        "lang": content.lang,
        "babel": messages["meta"]["babel"],
        "fmt": content.fmt,
        "meta": {"title": title, "author": spec.author,
                 "course": spec.course, "institution": spec.institution, "date": spec.date},
        "exam": {"title": title, "seed": seed, "moodle": moodle},
        "working_space": f"{content.config.working_space:g}cm",
        "needspace": f"{content.config.working_space + 2.5:g}cm",  # a question, its answer line and its room stay together
        "statement": content.statement(),
        "diagram": content.diagram(),
        "variants": variants,
    }
