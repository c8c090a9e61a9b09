"""One mistake, one name: an entry checked alone and with every other entry gets the same verdict and mistake."""
import csv
import json

import numpy as np
import pytest

from symbackprop.checking.claims import Claim, number_from_text, parse_claims
from symbackprop.checking.verdicts import Checker
from symbackprop.cli import main

from .test_mistakes import (NUMERIC, RATE, TRAINED_232, W0, W1, b0, b1, delta0, delta1, dL_dyhat, gW0, gW1, t, x, y0,
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


# -- the same names from grade and from check --json ---------------------------------------------------
def manifest_232(tmp_path) -> str:
    """The trained 2-3-2 as a one-variant exam asking every quantity of the mistake cases (key values by hand)."""
    from .test_grade import SPEC as NEURON_SPEC

    spec = {**NEURON_SPEC, "network": {**NEURON_SPEC["network"], "layers": [2, 3, 2], "activations": ["sigmoid"] * 2}}
    values = {f"x[{i}]": x[i] for i in range(2)} | {f"y[{k}]": t[k] for k in range(2)}
    values |= {f"W0[{i}][{j}]": W0[i, j] for i in range(2) for j in range(3)}
    values |= {f"W1[{i}][{j}]": W1[i, j] for i in range(3) for j in range(2)}
    values |= {f"b0[{j}]": b0[j] for j in range(3)} | {f"b1[{k}]": b1[k] for k in range(2)}
    asked = {**CORRECT, "dy1[1]/dv1[1]": yhat[1] * (1 - yhat[1])}
    answers = {name: {"value": float(value), "abs_tol": 1e-4, "rel_tol": 0.0, "points": 1} for name, value in
               asked.items()}
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({"seed": 1, "spec": spec, "variants": [{"id": "V001", "values": values,
                                                                        "answers": answers}]}), encoding="utf-8")
    return str(path)


NEW = [case for case in NUMERIC if case[0] in ("rounded_early", "update_not_applied", "derivative_at_output",
                                               "update_sign")]


def test_grade_names_the_new_mistakes_alone_and_with_the_others(tmp_path, capsys):
    manifest = manifest_232(tmp_path)
    questions = list(json.loads(open(manifest, encoding="utf-8").read())["variants"][0]["answers"])
    rows = []
    for number, (_, name, value) in enumerate(NEW):
        alone = {name: f"{value:.4f}"}
        together = {other: f"{CORRECT[other]:.4f}" for other in CORRECT} | alone
        rows.append([f"alone{number}", "v001", *(alone.get(q, "") for q in questions)])
        rows.append([f"together{number}", "V001", *(together.get(q, "") for q in questions)])
    path = tmp_path / "answers.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["student", "variant", *questions], *rows])
    report = tmp_path / "report.csv"
    assert main(["grade", str(path), "--manifest", manifest, "-o", str(report)]) == 0
    graded = {row["student"]: row for row in csv.DictReader(report.open(encoding="utf-8"))}
    for number, (mistake, name, _) in enumerate(NEW):
        assert graded[f"alone{number}"][name] == f"wrong:{mistake}", name
        assert graded[f"together{number}"][name] == f"wrong:{mistake}", name
    assert "most common mistake" in capsys.readouterr().out


@pytest.mark.parametrize("mistake, name, value", NEW, ids=[f"{m}-{n}" for m, n, _ in NEW])
def test_check_json_names_the_new_mistakes(tmp_path, capsys, mistake, name, value):
    alone = {name: value}
    together = {other: correct for other, correct in CORRECT.items()} | alone
    for claims in (alone, together):
        body = "".join(f'"{n}" = "{v:.4f}"\n' for n, v in claims.items())
        path = tmp_path / "claims.toml"
        path.write_text(TRAINED_232 + "\n[claims]\n" + body, encoding="utf-8")
        assert main(["check", str(path), "--json"]) == 1
        results = {r["name"]: r for r in json.loads(capsys.readouterr().out)["claims"]}
        assert (results[name]["verdict"], results[name]["mistake"]) == ("wrong", mistake)
        assert results[name]["detail"]["mistake_value"] == pytest.approx(value, abs=1e-4)
