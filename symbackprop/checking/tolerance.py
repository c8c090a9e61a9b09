"""The one tolerance policy: how an asked number is asked (decimals or significant figures) and judged."""
import math
from dataclasses import dataclass
from typing import Callable, Mapping

NOISE = 1e-12  # float noise allowed on top of every tolerance, and the relative gap below which a wrong value is the value


@dataclass(frozen=True)
class Policy:
    """How numbers are asked: fixed decimals for ordinary magnitudes, significant figures for small ones."""

    decimals: int = 4  # fixed decimals for ordinary magnitudes
    significant: int = 3  # small magnitudes are asked in significant figures
    max_decimals: int = 10  # never more decimals than this
    extra_decimals: int = 10  # separating() asks at most this many decimals beyond precision()
    widest: float | None = None  # an absolute bound on the asked unit (the [exam.answers] abs_tol of old specs)
    widest_relative: float | None = None  # a bound on the asked unit relative to the scale (old rel_tol)


@dataclass(frozen=True)
class Precision:
    """How one asked number is asked and judged, fixed by the question only (never by what is typed)."""

    decimals: int  # decimals the question asks for (after the significant-figure rule)
    tolerance: float  # absolute; an answer a is accepted when |a - value| <= tolerance
    significant: int | None = None  # set when the number itself is asked in significant figures (never a step)

    @property
    def unit(self) -> float:
        """One unit of the last asked decimal."""
        return 10.0 ** -self.decimals

    def accepts(self, answer: float, value: float) -> bool:
        """Whether an answer is accepted for this value (within the tolerance, float noise aside)."""
        if not (math.isfinite(answer) and math.isfinite(value)):
            return False
        return abs(answer - value) <= self.tolerance + NOISE * max(1.0, abs(value))


Carried = float | Callable[[int], float] | None  # the carried path's value, or that value for a number of decimals


def scale(value: float, change: float | None = None) -> float:
    """The magnitude a tolerance is set from: |change| for an updated parameter, else |value|."""
    return abs(change) if change is not None else abs(value)


def _asked_decimals(magnitude: float, policy: Policy) -> tuple[int, bool]:
    """(decimals, asked in significant figures) for a magnitude."""
    decimals, significant = policy.decimals, False
    if magnitude > 0 and math.isfinite(magnitude):
        figures = policy.significant - 1 - math.floor(math.log10(magnitude))
        if figures > decimals:
            decimals, significant = figures, True
        bounds = [b for b in (policy.widest, policy.widest_relative and policy.widest_relative * magnitude) if b]
        while bounds and 10.0 ** -decimals > max(bounds) * (1 + NOISE) and decimals < policy.max_decimals:
            decimals += 1
    return min(decimals, policy.max_decimals), significant


def _figures(decimals: int, magnitude: float) -> int:
    """Significant figures that `decimals` decimals give a magnitude."""
    return max(1, decimals + 1 + math.floor(math.log10(magnitude)))


def at_decimals(value: float, decimals: int, *, magnitude: float | None = None, significant: bool = False,
                carried: Carried = None) -> Precision:
    """The precision of a question asked at `decimals`: one unit of the last decimal, widened to take the
    carried path (its distance from the value plus half a unit)."""
    unit = 10.0 ** -decimals
    tolerance = unit
    path = carried(decimals) if callable(carried) else carried
    if path is not None and math.isfinite(path):
        tolerance = max(tolerance, abs(path - value) + unit / 2)
    figures = _figures(decimals, magnitude) if significant and magnitude else None
    return Precision(decimals, tolerance, figures)


def precision(value: float, policy: Policy = Policy(), *, change: float | None = None,
              carried: Carried = None) -> Precision:
    """How a number is asked and judged: decimals from its scale, tolerance one unit of the last decimal.

    change: for an updated parameter, its step -η·∂L/∂w (+ momentum): the scale is |change|, never |w|.
    carried: the value a student gets carrying the printed numbers forward (or a function of the decimals
    giving it); the tolerance accepts both the exact and the carried path."""
    magnitude = scale(value, change)
    decimals, significant = _asked_decimals(magnitude, policy)
    return at_decimals(value, decimals, magnitude=magnitude, significant=significant and change is None,
                       carried=carried)


def applies(value: float, wrong: float) -> bool:
    """Whether a wrong value is a different number (equal within 1e-12 relative: the mistake changes nothing)."""
    return math.isfinite(wrong) and abs(wrong - value) > NOISE * max(abs(value), abs(wrong))


def separating(value: float, wrong: Mapping[str, float], policy: Policy = Policy(), *,
               change: float | None = None, carried: Carried = None) -> Precision | None:
    """The coarsest precision, at least precision(...), that accepts no known wrong value; None when even
    policy.max_decimals (or policy.extra_decimals more than precision(...)) cannot separate them."""
    base = precision(value, policy, change=change, carried=carried)
    magnitude = scale(value, change)
    wrongs = [w for w in wrong.values() if applies(value, w)]
    last = min(policy.max_decimals, base.decimals + policy.extra_decimals)
    for decimals in range(base.decimals, max(base.decimals, last) + 1):
        asked = base if decimals == base.decimals else at_decimals(
            value, decimals, magnitude=magnitude, significant=base.significant is not None, carried=carried)
        if not any(asked.accepts(w, value) for w in wrongs):
            return asked
    return None


def accepted(precision_: Precision, value: float, wrong: Mapping[str, float]) -> list[str]:
    """Labels of the wrong values a precision accepts (the mistakes it could not tell from the answer)."""
    return [label for label, w in wrong.items() if applies(value, w) and precision_.accepts(w, value)]
