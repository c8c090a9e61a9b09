"""One judged number of a document: what was written, what is right, the verdict and the fix."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Fix:
    """Replace the document's characters [start, end) by `text`."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Finding:
    """A verdict on one number: by arithmetic (its equation's left side) or as a quantity (the spec's truth)."""

    offset: int  # where the finding points in the document
    kind: str  # "arithmetic" | "quantity" | "definition" | "operand"
    name: str | None  # the quantity name, for kind "quantity"
    subject: str  # what the number is claimed to equal: the left side as written, or the quantity name
    written: str  # the number (or right side) as written
    written_value: float
    expected: str  # the right value printed at the written precision
    expected_value: float
    verdict: str  # "correct" | "consistent" | "wrong"
    mistake: str | None = None
    fix: Fix | None = None
    target: int | None = None  # where the judged number starts (the right side, for arithmetic)

    @property
    def bad(self) -> bool:
        """True when the number is not correct (wrong, or consistent with an earlier error)."""
        return self.verdict != "correct"


@dataclass(frozen=True)
class Note:
    """A finding --fix leaves alone, and why: the key of its message in the [lint.finding] table."""

    finding: Finding
    reason: str  # "ambiguous" (the definitions confirm the result) | "supported" (later steps compute with it)
