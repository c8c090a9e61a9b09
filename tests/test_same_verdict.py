"""One mistake, one name: an entry checked alone and with every other entry gets the same verdict and mistake."""
import numpy as np
import pytest

from symbackprop.checking.claims import Claim, number_from_text, parse_claims
from symbackprop.checking.verdicts import Checker

from .test_mistakes import (NUMERIC, RATE, TRAINED_232, W0, W1, b0, b1, delta0, delta1, dL_dyhat, gW0, gW1, t, y0,
                            yhat)


def correct_entries() -> dict[str, float]:
    """Every forward, backward and update quantity a student writes down, worked out by hand with NumPy."""
    found = {f"y0[{j}]": y0[j] for j in range(3)}
    found |= {f"y1[{k}]": yhat[k] for k in range(2)}
    found["L"] = float(np.sum((t - yhat) ** 2) / 2)
    found |= {f"dL/dy1[{k}]": dL_dyhat[k] for k in range(2)}
    found |= {f"dL/dv1[{k}]": delta1[k] for k in range(2)}
    found |= {f"dL/dv0[{j}]": delta0[j] for j in range(3)}
    found |= {f"dL/dW1[{i}][{j}]": gW1[i, j] for i in range(3) for j in range(2)}
    found |= {f"dL/dW0[{i}][{j}]": gW0[i, j] for i in range(2) for j in range(3)}
    found |= {f"step1.W0[{i}][{j}]": W0[i, j] - RATE * gW0[i, j] for i in range(2) for j in range(3)}
    found |= {f"step1.W1[{i}][{j}]": W1[i, j] - RATE * gW1[i, j] for i in range(3) for j in range(2)}
    found |= {f"step1.b0[{j}]": b0[j] - RATE * delta0[j] for j in range(3)}
    found |= {f"step1.b1[{k}]": b1[k] - RATE * delta1[k] for k in range(2)}
    return found


SPEC = parse_claims(TRAINED_232 + '\n[claims]\nL = 0.1\n').spec
CORRECT = correct_entries()


def claim(name: str, value: float) -> Claim:
    return Claim(name, number_from_text(f"{value:.4f}"))


@pytest.mark.parametrize("mistake, name, value", NUMERIC, ids=[f"{m}-{n}" for m, n, _ in NUMERIC])
def test_alone_and_with_the_others(mistake, name, value):
    alone = Checker(SPEC).check([claim(name, value)])[0]
    others = [claim(other, correct) for other, correct in CORRECT.items() if other != name]
    together = {r.name: r for r in Checker(SPEC).check([*others, claim(name, value)])}
    assert (alone.verdict, alone.mistake) == ("wrong", mistake)
    assert (together[name].verdict, together[name].mistake) == ("wrong", mistake)
    assert {r.verdict for n, r in together.items() if n != name} == {"correct"}


def test_the_update_with_the_wrong_sign():
    """The case the page showed: w + η ∂L/∂w named sign_flipped alone but nothing with the other entries."""
    name = "step1.W0[1][2]"
    wrong = W0[1, 2] + RATE * gW0[1, 2]
    verdicts = [Checker(SPEC).check([claim(name, wrong)])[0]]
    verdicts += [r for r in Checker(SPEC).check([claim(n, v) for n, v in CORRECT.items() if n != name]
                                                + [claim(name, wrong)]) if r.name == name]
    assert [(r.verdict, r.mistake) for r in verdicts] == [("wrong", "update_sign")] * 2
