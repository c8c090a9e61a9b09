"""The precision each number on the page is asked and judged at, fixed by the question when the exercise is built:
the manifest's tolerance for an exam's asked answers, else the tolerance policy with every known wrong answer
kept outside (more digits asked until none falls inside)."""
import math
import threading
from dataclasses import dataclass

from symbackprop.checking.tolerance import Policy, Precision, precision
from symbackprop.checking.wrong_answers import WrongAnswers
from symbackprop.model.spec import Spec
from symbackprop.numeric.values import quantity_values


@dataclass(frozen=True)
class Asked:
    """How one number is asked (decimals, or significant figures) and the tolerance it is judged with."""

    decimals: int
    tolerance: float
    significant: int | None = None

    def as_dict(self) -> dict:
        """The JSON form of GET /api/exercise: {"decimals", "significant", "tolerance"}."""
        return {"decimals": self.decimals, "significant": self.significant, "tolerance": self.tolerance}


def from_policy(found: Precision) -> Asked:
    """What the policy's precision asks."""
    return Asked(found.decimals, found.tolerance, found.significant)


def from_tolerance(tolerance: float) -> Asked:
    """An older manifest's stated tolerance, asked in the decimals whose rounding stays inside it."""
    decimals = max(0, math.ceil(round(-math.log10(tolerance), 9))) if tolerance > 0 else 10
    return Asked(decimals, tolerance)


def numbers_of(spec: Spec) -> dict[str, float]:
    """Every named number of the exercise (inputs, parameters, forward, loss, factors, gradients, steps)."""
    return quantity_values(spec.network, spec.values, spec.training)


class PagePrecisions:
    """The policy's precision of every number of one exercise, each computed once, on first use."""

    _lock = threading.Lock()  # one computation at a time: the wrong answers of every variant share one graph

    def __init__(self, spec: Spec, policy: Policy, wrong: WrongAnswers | None = None):
        self.spec, self.policy = spec, policy
        self._wrong = wrong
        self._point = None
        self._found: dict[str, Asked] = {}

    def __getitem__(self, name: str) -> Asked:
        if name not in self._found:
            with self._lock:
                if name not in self._found:
                    self._found[name] = self._separating(name)
        return self._found[name]

    def _separating(self, name: str) -> Asked:
        """The coarsest precision of the policy that accepts none of the known wrong answers (0, ±1, the sign flip,
        the un-updated parameter, each catalogued mistake, intermediates rounded too early) and accepts the answer
        carried from intermediates rounded at their own precision."""
        if self._point is None:
            wrong = self._wrong or WrongAnswers(self.spec, self.spec.training)
            self._point = wrong.at(self.spec.values, numbers_of(self.spec))
        point, policy = self._point, self.policy
        value, change = point.numbers[name], point.change(name)
        proven = point.proven(name, policy)
        if proven is None:  # no precision within policy.extra_decimals refuses them all: the policy's own
            proven = precision(value, policy, change=change, carried=point.carried_at(name, policy))
        found = from_policy(proven)
        # an updated parameter's figures count in its step, not in the number typed: asked in decimals
        return Asked(found.decimals, found.tolerance) if change is not None else found
