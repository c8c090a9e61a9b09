"""What the online exam formats share: the variants' content, the manifest, the diagram image, HTML per platform."""
from dataclasses import dataclass, field
from functools import cached_property

from symbackprop.checking.grading import Answer
from symbackprop.exams.moodle import Image, MathMarkup, TEX_MATH, VariantHtml, index_legend, variant_html
from symbackprop.exporters.diagram_image import diagram_svg

DIAGRAM_FILE = "diagram.svg"


@dataclass(frozen=True)
class ExamExport:
    """One exam run: title, seed, the variants as the documents show them, and the manifest that grades them."""

    title: str
    seed: int
    lang: str
    statement: dict
    contents: list  # VariantContent per variant, in manifest order
    messages: dict
    fmt: object
    config: object  # ExamConfig
    manifest: dict
    network: object
    layout: object  # the diagram layout (documents.diagram)
    derivation: object  # the spec's derivation (the symbolic question's closed form)
    numbers: dict  # variant id -> every named quantity's number
    folders: dict = field(default_factory=dict)  # format name -> the folder it writes (prairielearn)

    @cached_property
    def diagram(self) -> bytes:
        """The network diagram as SVG bytes (the same for every variant)."""
        return diagram_svg(self.network, self.messages["diagram"], self.alt)

    @property
    def alt(self) -> str:
        """The diagram's text alternative."""
        return f"{self.messages['architecture']}: " + "--".join(str(n) for n in self.network.layers)

    def image(self, src: str) -> Image:
        """The diagram as an Image whose src is what the platform resolves."""
        return Image(DIAGRAM_FILE, self.diagram, self.alt, src)

    def pages(self, markup: MathMarkup = TEX_MATH, src: str | None = None) -> list[VariantHtml]:
        """Every variant as HTML with the platform's math and, when src is given, the diagram."""
        image = self.image(src) if src is not None else None
        legend = index_legend(self.messages, self.layout)
        return [variant_html(self.title, self.statement, content, self.messages, self.fmt, markup, image, legend)
                for content in self.contents]

    def answers(self, variant_id: str) -> dict[str, Answer]:
        """The manifest's asked answers of one variant: value, abs_tol, rel_tol, points (never recomputed)."""
        entry = next(v for v in self.manifest["variants"] if v["id"] == variant_id)
        return {name: Answer(a["value"], a["abs_tol"], a["rel_tol"], a["points"]) for name, a in entry["answers"].items()}

    def accepted(self, answer: Answer) -> float:
        """The absolute half-width of the accepted interval around the answer's value (the manifest's rule)."""
        return answer.tolerance(answer.value)
