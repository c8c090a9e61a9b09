"""Without --reveal no response gives away a correct value the student has not been given: a scripted session of
numbers and expressions, right and wrong, is scanned for every unrevealed value at 4 significant figures and at 3,
4 and 5 decimals (and with --reveal the same scan finds them: it can fail)."""
import re

from tests.web.conftest import sigmoid
from tests.web.independent import numbers_and_wrong

NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
V0 = [0.5 * 0.1 + 0.1 * 0.4 + 0.1, 0.5 * 0.2 + 0.1 * 0.5 + 0.1, 0.5 * 0.3 + 0.1 * 0.6 + 0.1]
CLOSED_FORM = "dL/dW0[0][0]"
EXPRESSIONS = [
    (CLOSED_FORM, "y1[0]+y1[1]+v1[1]"),                       # reads the forward pass: the reported leak
    (CLOSED_FORM, "0.5*2"),                                    # a constant
    (CLOSED_FORM, r"\delta^1_0 w^1_{0,0} \, y^0_0 (1 - y^0_0) \, x_0"),   # the sum over k dropped
    (CLOSED_FORM, r"(\delta^1_0 w^1_{0,0} + \delta^1_1 w^1_{0,1}) y^0_0 (1 - y^0_0) x_0"),   # correct
    ("dL/dy1[0]", "y1[0]"),
    ("dL/dy1[0]", "-(y[0]-y1[0])"),                            # correct
    ("y1[0]", "v1[0]"),
    ("L", "(y[0]-y1[0])^2 + (y[1]-y1[1])^2"),                 # twice the loss
    ("dL/dW1[0][0]", "dL/dy1[0]*y0[0]"),                       # the activation's derivative left out
    ("v0[0]", "x[0]*W0[0][0]+x[1]*W0[1][0]"),                  # the bias left out
]


def numbers_typed(exact: dict) -> list[tuple[str, str]]:
    y1 = exact["y1[0]"][0]
    return [("v0[0]", f"{V0[0]:.4f}"), ("v0[1]", "0.3"), ("y0[1]", f"{sigmoid(0.3):.4f}"),
            ("y1[0]", f"{exact['v1[0]'][0]:.4f}"), ("dL/dy1[0]", f"{1 - y1:.4f}"), ("L", "0.5"),
            ("dL/dW1[0][0]", "0"), ("step1.W0[1][2]", "0.6"), ("y0[2]", "0,58")]


def session(client) -> tuple[list[str], dict]:
    """Every response text of a student's session, and the independent values of the exercise."""
    texts = [client.get(path).text for path in ("/?lang=en", "/?lang=pt-BR", "/api/exercise",
                                                "/api/exercise?lang=pt-BR")]
    exercise = client.get("/api/exercise").json()
    exact = numbers_and_wrong(exercise, 0.5)
    entries = {}
    for name, text in numbers_typed(exact):
        entries[name] = text
        texts.append(client.post("/api/check", json={"claims": dict(entries), "entry": name}).text)
    for name, text in EXPRESSIONS:
        texts.append(client.post("/api/preview", json={"text": text}).text)
        texts.append(client.post("/api/check", json={"claims": {name: text}, "entry": name}).text)
    mixed = {"v0[0]": "0.25", "y0[0]": "y0[0]*1.0", CLOSED_FORM: EXPRESSIONS[0][1]}
    texts.append(client.post("/api/check", json={"claims": mixed}).text)
    return texts, exact


def digits(token: str) -> tuple[int, int]:
    """(significant digits, decimals) a number is written with."""
    mantissa = re.split("[eE]", token.lstrip("-"))[0]
    whole, _, fraction = mantissa.partition(".")
    return len((whole + fraction).lstrip("0")), len(fraction)


def leaks(texts: list[str], exact: dict, given: dict) -> list[tuple[str, str]]:
    """(quantity, token) for every number in the texts that shows an unrevealed value."""
    known = set(given.values()) | {0.0, 1.0, -1.0}
    typed = {float(t.replace(",", ".")) for _, t in numbers_typed(exact)}
    hidden = {}
    for name, (value, _) in exact.items():
        if not any(abs(value - k) < 5e-6 for k in known | typed):  # given, typed, or trivially known
            hidden[name] = value
    found = []
    for token in {t for text in texts for t in NUMBER.findall(text)}:
        number = float(token)
        if any(abs(number - k) < 1e-12 for k in known | typed):
            continue
        figures, decimals = digits(token)
        for name, value in hidden.items():
            same = figures >= 4 and f"{number:.4g}" == f"{value:.4g}"
            same = same or any(decimals >= d and abs(value) >= 10.0 ** (2 - d)
                               and f"{number:.{d}f}" == f"{value:.{d}f}" for d in (3, 4, 5))
            if same:
                found.append((name, token))
    return found


def test_no_response_shows_a_value_the_student_was_not_given(course_client):
    texts, exact = session(course_client)
    given = course_client.get("/api/exercise").json()["values"]
    assert len(texts) == 4 + 9 + 2 * len(EXPRESSIONS) + 1
    assert leaks(texts, exact, given) == []
    # the counterexamples are shown, at a point other than the exercise's
    answers = [t for t in texts if '"point"' in t]
    assert len(answers) >= 6 and all('"at":"random"' in t.replace(" ", "") for t in answers)


def test_the_scan_finds_the_values_that_reveal_shows(reveal_client):
    texts, exact = session(reveal_client)
    given = reveal_client.get("/api/exercise").json()["values"]
    shown = {name for name, _ in leaks(texts, exact, given)}
    assert {"y1[0]", "y1[1]", "v1[1]", "L", "dL/dW1[0][0]"} <= shown
