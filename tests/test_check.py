"""`symbackprop check` on numbers: printed-precision tolerance, overrides, error carried forward, CLI contract."""
import json
import math

import pytest

from symbackprop.checking.verdicts import Checker
from symbackprop.checking.claims import claim_literals, number_from_text, parse_claims
from symbackprop.cli import main
from symbackprop.errors import ClaimsError, QuantityError, SpecError

from .specs import SINGLE_NEURON

# The course's Example 1, computed here by hand: x = 0.7, w = 0.1, b = 0.25, target 1, sigmoid, mse.
X, W, B, T = 0.7, 0.1, 0.25, 1.0
V = X * W + B  # 0.32
YHAT = 1 / (1 + math.exp(-V))  # 0.5793
LOSS = (T - YHAT) ** 2  # 0.1770
DL_DY = -2 * (T - YHAT)  # -0.8414
LOCAL = YHAT * (1 - YHAT)  # 0.2437
DL_DW = DL_DY * LOCAL * X  # -0.1435
DL_DB = DL_DY * LOCAL  # -0.2050



def claims_text(body: str, head: str = SINGLE_NEURON) -> str:
    return head + "\n[claims]\n" + body


def verdicts(body: str, head: str = SINGLE_NEURON) -> dict:
    claims = parse_claims(claims_text(body, head))
    return {r.name: r for r in Checker(claims.spec, claims.tolerance).check(claims.claims)}


def test_the_course_example_is_correct_to_four_decimals():
    assert (round(V, 4), round(YHAT, 4), round(LOSS, 4), round(DL_DW, 4), round(DL_DB, 4)) == (
        0.32, 0.5793, 0.1770, -0.1435, -0.2050)
    got = verdicts('"v0[0]" = 0.32\n"y0[0]" = 0.5793\nL = 0.1770\n"dL/dy0[0]" = -0.8414\n'
                   '"dy0[0]/dv0[0]" = 0.2437\n"dv0[0]/dW0[0][0]" = 0.7\n"dL/dW0[0][0]" = -0.1435\n'
                   '"dL/db0[0]" = -0.2050\n')
    assert {r.verdict for r in got.values()} == {"correct"}
    assert got["L"].correct == pytest.approx(LOSS)
    assert got["dL/dW0[0][0]"].correct == pytest.approx(DL_DW)


def test_tolerance_is_half_a_unit_of_the_claims_last_decimal():
    got = verdicts('"v0[0]" = 0.3249\n"y0[0]" = 0.57932\n')
    assert got["v0[0]"].verdict == "wrong"  # 4 decimals: 0.3249 is 0.0049 away from 0.32
    assert got["v0[0]"].detail["tolerance"] == pytest.approx(5e-5)
    assert got["y0[0]"].verdict == "correct"  # 0.579324 rounds to 0.57932
    assert verdicts('"y0[0]" = 0.57935\n')["y0[0]"].verdict == "wrong"
    assert verdicts('"y0[0]" = 0.58\n')["y0[0]"].verdict == "correct"  # 2 decimals: ±0.005
    assert verdicts('"y0[0]" = 0.5800\n')["y0[0]"].verdict == "wrong"  # the trailing zeros count


def test_trailing_zeros_are_read_from_the_file_not_from_the_float():
    assert claim_literals('[claims]\nL = 0.1770\n"dL/db0[0]" = -0.2050 # note\n"x" = {value = 1.50, abs_tol = 1}\n'
                          '[other]\nL = 0.5\n') == {"L": "0.1770", "dL/db0[0]": "-0.2050", "x": "1.50"}
    claims = parse_claims(claims_text("L = 0.1770\n'y0[0]' = 5.793e-1\n\"v0[0]\" = \"0,32\"\n"))
    by_name = {c.name: c.number for c in claims.claims}
    assert by_name["L"].half_unit == pytest.approx(5e-5) and by_name["L"].text == "0.1770"
    assert by_name["y0[0]"].half_unit == pytest.approx(5e-5)
    assert by_name["v0[0]"].value == 0.32 and by_name["v0[0]"].half_unit == pytest.approx(5e-3)


def test_numbers_written_as_text():
    assert number_from_text("0,1770").value == 0.177 and number_from_text("0,1770").half_unit == pytest.approx(5e-5)
    assert number_from_text("\u22120.5").value == -0.5
    assert number_from_text("1e-3").half_unit == pytest.approx(5e-4)
    assert number_from_text("x_0") is None and number_from_text("1/2") is None


def test_rounding_of_claimed_inputs_widens_the_tolerance():
    # computed from the rounded factors -0.8414 × 0.2437 × 0.7 = -0.14353..., and from rounded ŷ: L = 0.17699
    got = verdicts('"y0[0]" = 0.5793\nL = 0.17699\n"dL/dy0[0]" = -0.8414\n"dy0[0]/dv0[0]" = 0.2437\n'
                   '"dL/dW0[0][0]" = -0.14353\n')
    assert got["L"].verdict == "correct"
    assert abs(0.17699 - LOSS) > 5e-6  # outside its own half unit: the rounded ŷ explains it
    assert got["dL/dW0[0][0]"].verdict == "correct"


def test_error_carried_forward_is_consistent():
    v_wrong = 0.33
    y_cf = 1 / (1 + math.exp(-v_wrong))  # 0.5818, from the author's own wrong v
    loss_cf = (T - round(y_cf, 4)) ** 2
    d_cf = -2 * (T - 0.5818)
    got = verdicts(f'"v0[0]" = 0.33\n"y0[0]" = {y_cf:.4f}\nL = {loss_cf:.4f}\n"dL/dy0[0]" = {d_cf:.4f}\n'
                   f'"dy0[0]/dv0[0]" = 0.2437\n"dL/dW0[0][0]" = {d_cf * 0.2437 * 0.7:.4f}\n')
    assert got["v0[0]"].verdict == "wrong"
    for name in ("y0[0]", "L", "dL/dy0[0]", "dL/dW0[0][0]"):
        assert got[name].verdict == "consistent", name
    assert got["y0[0]"].detail["from"] == ["v0[0]"]
    assert got["y0[0]"].detail["carried_forward"] == pytest.approx(y_cf)
    assert got["dy0[0]/dv0[0]"].verdict == "correct"


def test_a_product_of_claimed_factors_is_carried_forward():
    got = verdicts('"dL/dy0[0]" = -0.9000\n"dy0[0]/dv0[0]" = 0.2437\n"dL/dW0[0][0]" = -0.1535\n')
    assert got["dL/dy0[0]"].verdict == "wrong"
    assert got["dL/dW0[0][0]"].verdict == "consistent"  # -0.9 × 0.2437 × 0.7 = -0.15353
    assert got["dL/dW0[0][0]"].detail["from"] == ["dL/dy0[0]"]


def test_per_claim_and_global_overrides():
    body = 'L = {value = 0.18, abs_tol = 0.005}\n"y0[0]" = {value = 0.5, rel_tol = 0.2}\n"v0[0]" = 0.3\n'
    got = verdicts(body)
    assert got["L"].verdict == "correct" and got["L"].detail["tolerance"] == pytest.approx(0.005)
    assert got["y0[0]"].verdict == "correct"  # 0.2 × 0.579
    assert got["v0[0]"].verdict == "correct"  # 1 decimal: ±0.05
    got = verdicts(body, SINGLE_NEURON + "\n[tolerance]\nabs = 0.001\n")
    assert got["v0[0]"].verdict == "wrong"  # the global override replaces the printed precision
    assert got["L"].verdict == "correct"  # the claim's own override wins


def test_spec_path_is_relative_to_the_claims_file(tmp_path):
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "neuron.toml").write_text(SINGLE_NEURON, encoding="utf-8")
    path = tmp_path / "claims.toml"
    path.write_text('spec = "specs/neuron.toml"\n[claims]\nL = 0.1770\n', encoding="utf-8")
    assert main(["check", str(path)]) == 0


def test_unknown_names_suggest_the_closest(capsys):
    with pytest.raises(QuantityError, match=r"did you mean 'dL/dW0\[0\]\[0\]'"):
        verdicts('"dL/dw0[0][0]" = 0.1\n')
    path_text = claims_text('"dL/dW0[0][0]" = 0.1\n"dL/dW9[0][0]" = 0.2\n')
    claims = parse_claims(path_text)
    with pytest.raises(QuantityError, match="unknown quantity 'dL/dW9"):
        Checker(claims.spec).check(claims.claims)


@pytest.mark.parametrize("body, message", [
    ("", "missing table"),
    ('[claims]\nL = "   "\n', "empty claim"),
    ('[claims]\nL = {value = 0.1, tol = 1}\n', "expected {value"),
    ('[claims]\nL = true\n', "expected a finite number"),
    ('[claims]\nL = nan\n', "expected a finite number"),
    ('[tolerance]\nabsolute = 1\n[claims]\nL = 0.1\n', "unknown key tolerance.absolute"),
    ('[tolerance]\nabs = -1\n[claims]\nL = 0.1\n', "expected a number >= 0"),
])
def test_malformed_claims(body, message):
    with pytest.raises(ClaimsError, match=message):
        parse_claims(SINGLE_NEURON + body if not body.startswith("[claims]") else SINGLE_NEURON + body)


def test_spec_errors_name_the_file(tmp_path):
    with pytest.raises(SpecError, match="malformed TOML"):
        parse_claims("[claims\n")
    with pytest.raises(ClaimsError, match="cannot read"):
        parse_claims('spec = "nope.toml"\n[claims]\nL = 1\n', base=tmp_path)
    with pytest.raises(ClaimsError, match=r"need the spec's \[values\]"):
        claims = parse_claims('[network]\nlayers = [1, 1]\nactivations = "sigmoid"\nloss = "mse"\n[claims]\nL = 1\n')
        Checker(claims.spec).check(claims.claims)


def write(tmp_path, body, head=SINGLE_NEURON):
    path = tmp_path / "claims.toml"
    path.write_text(claims_text(body, head), encoding="utf-8")
    return str(path)


def test_exit_codes_and_table(tmp_path, capsys):
    assert main(["check", write(tmp_path, 'L = 0.1770\n"dL/db0[0]" = -0.2050\n')]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["quantity", "claimed", "correct", "verdict", "mistake"]
    assert "0.176968" in out and "2 claims: 2 correct" in out
    assert main(["check", write(tmp_path, '"v0[0]" = 0.33\n"y0[0]" = 0.5818\n"dL/db0[0]" = 0.2050\n')]) == 1
    out = capsys.readouterr().out
    assert "consistent" in out and "follows from your claimed v0[0]" in out and "sign_flipped" in out
    assert main(["check", write(tmp_path, '"nope" = 1\n')]) == 2
    err = capsys.readouterr().err
    assert err.startswith("symbackprop: error: ") and len(err.strip().splitlines()) == 1
    assert main(["check", str(tmp_path / "missing.toml")]) == 2


def test_json_shape(tmp_path, capsys):
    path = write(tmp_path, '"v0[0]" = 0.33\n"y0[0]" = 0.5818\n"dL/db0[0]" = 0.2050\nL = 0.1770\n')
    assert main(["check", path, "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert list(doc) == ["claims"]
    rows = {row["name"]: row for row in doc["claims"]}
    for row in doc["claims"]:
        assert list(row) == ["name", "claimed", "correct", "verdict", "mistake", "detail"]
    assert rows["v0[0]"]["verdict"] == "wrong" and rows["v0[0]"]["correct"] == pytest.approx(V)
    assert rows["y0[0]"]["verdict"] == "consistent" and rows["y0[0]"]["mistake"] is None
    assert rows["dL/db0[0]"]["mistake"] == "sign_flipped" and rows["dL/db0[0]"]["claimed"] == 0.205
    assert rows["L"]["verdict"] == "correct" and rows["L"]["detail"]["tolerance"] > 0


def test_command_line_tolerance(tmp_path, capsys):
    path = write(tmp_path, "L = 0.18\n")
    assert main(["check", path]) == 0
    assert main(["check", path, "--abs-tol", "1e-4"]) == 1


def test_training_steps(tmp_path, capsys):
    head = SINGLE_NEURON + "\n[training]\nlearning_rate = 0.5\nsteps = 2\n"
    w1 = W - 0.5 * DL_DW
    got = verdicts(f'"step1.W0[0][0]" = {w1:.4f}\n"step1.b0[0]" = {B - 0.5 * DL_DB + 0.01:.4f}\n'
                   f'"dL/db0[0]" = {DL_DB - 0.02:.4f}\n"step2.W0[0][0]" = 0.5\n', head)
    assert got["step1.W0[0][0]"].verdict == "correct"
    assert got["step1.b0[0]"].verdict == "consistent"  # b - 0.5 × the claimed (wrong) gradient
    assert got["step2.W0[0][0]"].verdict == "wrong"


EXAMPLES = __import__("pathlib").Path(__file__).resolve().parent.parent / "examples"


def test_the_single_neuron_example(capsys):
    assert main(["check", str(EXAMPLES / "claims_single_neuron.toml"), "--json"]) == 1
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)["claims"]}
    assert {name: (row["verdict"], row["mistake"]) for name, row in rows.items()} == {
        "v0[0]": ("correct", None), "y0[0]": ("correct", None), "L": ("correct", None),
        "dL/dy0[0]": ("correct", None),
        "dy0[0]/dv0[0]": ("wrong", "activation_instead_of_derivative"),
        "dL/dW0[0][0]": ("consistent", None),
        "dL/db0[0]": ("wrong", "sign_flipped"),
        "step1.W0[0][0]": ("consistent", None),
    }
    assert rows["dL/db0[0]"]["claimed"].startswith("2(y_0") and rows["dL/db0[0]"]["correct"].startswith("- 2")
    assert rows["dL/db0[0]"]["detail"]["point"] == {"y0[0]": pytest.approx(YHAT), "y[0]": 1.0}
    assert rows["dL/dW0[0][0]"]["detail"]["from"] == ["dy0[0]/dv0[0]"]


@pytest.mark.skipif(not (EXAMPLES / "course_232.toml").exists(), reason="the course spec example is absent")
def test_the_course_232_example(capsys):
    assert main(["check", str(EXAMPLES / "claims_course_232.toml"), "--json"]) == 1
    rows = json.loads(capsys.readouterr().out)["claims"]
    wrong = {row["name"]: row["mistake"] for row in rows if row["verdict"] != "correct"}
    assert wrong == {"dL/dy0[0]": "index_transposed", "dL/dW0[0][0]": "missing_sum"}


# -- whole numbers and --answers ----------------------------------------------------------------------
ONE_AND_A_HALF = "[network]\nlayers = [1, 1]\nactivations = \"sigmoid\"\nloss = \"mse\"\n" \
                 "[values]\nx = [1.0]\ny = [1.0]\nW0 = [[1.0]]\nb0 = [0.5]\n"  # v = 1·1 + 0.5 = 1.5


def test_a_whole_number_is_exact_when_nothing_else_is_printed():
    assert verdicts('"v0[0]" = 1\n', ONE_AND_A_HALF)["v0[0]"].verdict == "wrong"  # not 1 ± 0.5
    assert verdicts('"v0[0]" = 2\n', ONE_AND_A_HALF)["v0[0]"].verdict == "wrong"
    assert verdicts('"dL/dW0[0][0]" = "0"\n')["dL/dW0[0][0]"].verdict == "wrong"  # -0.1435, not 0 ± 0.5
    exact = verdicts('"dv0[0]/db0[0]" = 1\n')["dv0[0]/db0[0]"]
    assert (exact.verdict, exact.detail["tolerance"]) == ("correct", pytest.approx(0, abs=1e-11))


def test_a_whole_number_has_the_precision_of_the_other_printed_numbers():
    sigma = 1 / (1 + math.exp(-1.5))
    got = verdicts(f'"v0[0]" = 1\n"y0[0]" = {sigma:.4f}\n', ONE_AND_A_HALF)
    assert got["v0[0]"].verdict == "wrong" and got["v0[0]"].detail["tolerance"] == pytest.approx(5e-5)
    claims = parse_claims(claims_text('"dv0[0]/db0[0]" = 1\n"v0[0]" = 0.32\n"y0[0]" = "0.579"\nL = 0\n'))
    half_units = {c.name: c.number.half_unit for c in claims.claims}
    assert half_units == {"dv0[0]/db0[0]": pytest.approx(5e-4), "v0[0]": pytest.approx(5e-3),
                          "y0[0]": pytest.approx(5e-4), "L": pytest.approx(5e-4)}


def page_cases(tmp_path, body: str, *flags: str, capsys) -> dict:
    path = tmp_path / "answers.toml"
    path.write_text(claims_text(body, SINGLE_NEURON + "[training]\nlearning_rate = 0.5\n"), encoding="utf-8")
    main(["check", str(path), "--json", *flags])
    return {r["name"]: r for r in json.loads(capsys.readouterr().out)["claims"]}


def test_answers_are_judged_by_the_tolerance_policy(tmp_path, capsys):
    """The student page's cases: "1" for ŷ, "-1" for ∂L/∂ŷ, "0" for ∂L/∂w, and 0.58 for ŷ = 0.5793."""
    body = '"y0[0]" = "1"\n"dL/dy0[0]" = "-1"\n"dL/dW0[0][0]" = "0"\n'
    assert {n: r["verdict"] for n, r in page_cases(tmp_path, body, "--answers", capsys=capsys).items()} == {
        "y0[0]": "wrong", "dL/dy0[0]": "wrong", "dL/dW0[0][0]": "consistent"}  # 0 follows from ŷ = 1
    body = '"dL/dW0[0][0]" = "0"\n"y0[0]" = "0.58"\n'
    printed = page_cases(tmp_path, body, capsys=capsys)
    policy = page_cases(tmp_path, body, "--answers", capsys=capsys)
    assert (printed["y0[0]"]["verdict"], policy["y0[0]"]["verdict"]) == ("correct", "wrong")  # ±0.005, ±0.0001
    assert policy["y0[0]"]["detail"]["tolerance"] == pytest.approx(1e-4)
    assert policy["dL/dW0[0][0]"]["verdict"] == "wrong"
    step = W - 0.5 * DL_DW
    body = f'"y0[0]" = "{YHAT:.4f}"\n"dL/dW0[0][0]" = "{DL_DW:.4f}"\n"step1.W0[0][0]" = "{step:.4f}"\n'
    assert {r["verdict"] for r in page_cases(tmp_path, body, "--answers", capsys=capsys).values()} == {"correct"}
    got = page_cases(tmp_path, '"step1.W0[0][0]" = "0.1"\n', "--answers", capsys=capsys)["step1.W0[0][0]"]
    assert (got["verdict"], got["mistake"]) == ("wrong", "update_not_applied")


def test_answers_leave_no_room_for_other_tolerances(tmp_path, capsys):
    path = tmp_path / "answers.toml"
    path.write_text(claims_text('L = "0.1770"\n'), encoding="utf-8")
    assert main(["check", str(path), "--answers", "--abs-tol", "0.1"]) == 2
    assert capsys.readouterr().err == ("symbackprop: error: --answers: the tolerance policy sets every tolerance; "
                                       "leave out --abs-tol and --rel-tol\n")
