"""The whole `check` path on hostile claims: a verdict or one clear error line, never a crash (times: bench_check.py)."""
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symbackprop.checking.verdicts import Checker
from symbackprop.checking.claims import Claim, parse_claims
from symbackprop.cli import main
from symbackprop import derive
from symbackprop.errors import SymbackpropError
from symbackprop.model.spec import load_spec

from .specs import COURSE_232

SPEC = load_spec()  # the course's 2-3-2 network, with values
CHECKER = Checker(SPEC)
PRINTED = list(derive(SPEC).latex().items())
HEAD = COURSE_232 + "[claims]\n"
PIECES = ["{", "}", "\\", "^", "_", "(", ")", "[", "]", "\\frac", "\\left(", "\\right)", "0", "1", "12", "x",
          "y", "-", "+", "*", "/", "\\cdot", "\\times", " ", "\\hat{y}", "e^", "\\sigma", "\\exp", ",", "w^{0}",
          "_{1,2}", "\\delta", "1e-3", ".", "**", "&", "\\\\", "\\begin{cases}", "\\end{cases}", "v", "L"]


def outcome(run) -> str:
    """Run one check; return its verdicts or its error line, failing on a crash or a messy error."""
    try:
        results = run()
    except SymbackpropError as err:
        message = str(err)
        assert message and "\n" not in message and len(message) < 1000, repr(message)
        verdict = "error"
    else:
        assert all(r.verdict in ("correct", "wrong", "consistent") for r in results)
        json.dumps([r.as_dict() for r in results], allow_nan=True)
        verdict = ",".join(r.verdict for r in results)
    return verdict


def check_text(name: str, text: str) -> str:
    return outcome(lambda: CHECKER.check([Claim(name, text=text)]))


FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.text(max_size=300))
def test_random_strings_as_claims(text):
    if text.strip():
        check_text("dL/dW0[0][0]", text)


@FUZZ
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_random_latex_token_soup(text):
    if text.strip():
        check_text("dL/db1[0]", text)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutations_of_valid_expressions(data):
    name, text = data.draw(st.sampled_from(PRINTED))
    for _ in range(data.draw(st.integers(1, 3))):
        operation = data.draw(st.sampled_from(["delete", "insert", "duplicate", "swap"]))
        i = data.draw(st.integers(0, len(text)))
        j = data.draw(st.integers(i, min(len(text), i + 12)))
        if operation == "delete":
            text = text[:i] + text[j:]
        elif operation == "insert":
            text = text[:i] + data.draw(st.sampled_from(PIECES)) + text[i:]
        elif operation == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        else:
            text = text[:i] + text[j:] + text[i:j]
    if text.strip():
        check_text(name, text)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=80), st.text(max_size=40))
def test_random_toml_claims_files(value, name):
    text = HEAD + json.dumps(name or "L", ensure_ascii=False) + " = " + json.dumps(value, ensure_ascii=False) + "\n"

    def run():
        claims = parse_claims(text)
        return Checker(claims.spec, claims.tolerance).check(claims.claims)

    outcome(run)


HOSTILE = {
    "100 kB": "x_0 + " * 17_000,
    "deep braces": "{" * 4_000 + "x_0" + "}" * 4_000,
    "deep parentheses": "\\left(" * 60 + "x_0" + "\\right)" * 60,
    "unbalanced": "(((x_0 + 1)",
    "tower": "2^{2^{2^{2^{2^{2^{2}}}}}}",
    "huge power": "(x_0 + y_0)^{100}",
    "exp of exp": "\\exp(\\exp(\\exp(\\exp(30))))",
    "division by zero": "\\frac{1}{0}",
    "1/(v-v)": "\\frac{1}{v^0_0 - v^0_0}",
    "log of negative": "\\log(-1 - \\hat{y}^1_0^2)",
    "long number": "1" * 5000,
    "unknown command": "\\operatorname{foo}(x)",
    "null byte": "x_0\x00",
    "many terms": " + ".join(f"w^{{1}}_{{{i % 3},{i % 2}}}" for i in range(2000)),
    "cases": r"\begin{cases} 1 & v^0_0 > 0 \\ 0 & \text{otherwise} \end{cases}",
}


@pytest.mark.parametrize("label", list(HOSTILE))
def test_hostile_claims(label):
    check_text("dL/dW1[0][0]", HOSTILE[label])


def test_hostile_claims_give_clear_messages():
    assert check_text("L", HOSTILE["100 kB"]) == "error"
    with pytest.raises(SymbackpropError, match="characters long; the limit is"):
        CHECKER.check([Claim("L", text=HOSTILE["100 kB"])])
    with pytest.raises(SymbackpropError, match="position"):
        CHECKER.check([Claim("L", text=HOSTILE["deep braces"])])
    with pytest.raises(SymbackpropError, match="position"):
        CHECKER.check([Claim("L", text=HOSTILE["unbalanced"])])


def test_hostile_claims_through_the_command_line(tmp_path, capsys):
    path = tmp_path / "claims.toml"
    for text in (HOSTILE["100 kB"], HOSTILE["deep braces"], "\\frac{1}{", "x_0 +* 2"):
        path.write_text(HEAD + '"dL/dW1[0][0]" = ' + json.dumps(text) + "\n", encoding="utf-8")
        assert main(["check", str(path)]) == 2
        err = capsys.readouterr().err
        assert err.startswith("symbackprop: error: ") and err.count("\n") == 1
