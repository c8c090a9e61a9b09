"""The one central-difference routine: ∂f/∂a for every entry a of an array (steps fixed or per entry)."""
from typing import Callable

import numpy as np


def central_difference(function: Callable[[np.ndarray], float], at, h=1e-6) -> np.ndarray:
    """(f(a + h) - f(a - h)) / 2h for every entry a of `at`, shaped like `at`; h is a number or an array like `at`."""
    at = np.array(at, dtype=float)
    steps = np.broadcast_to(np.asarray(h, dtype=float), at.shape)
    result = np.zeros_like(at)
    for index in np.ndindex(at.shape):
        up, down = at.copy(), at.copy()
        up[index] += steps[index]
        down[index] -= steps[index]
        result[index] = (function(up) - function(down)) / (2 * steps[index])
    return result


def relative_steps(at, scale: float = 1e-6) -> np.ndarray:
    """scale · max(1, |a|) per entry (scale where a is not a number)."""
    size = np.abs(np.asarray(at, dtype=float))
    return scale * np.where(size > 1.0, size, 1.0)
