"""One precision per question, fixed by the question: for every example spec, every known wrong answer is refused
and the exact answer and the answer at the stated precision are accepted (values computed independently)."""
import math

import pytest
from starlette.testclient import TestClient

from symbackprop.model.spec import load_spec
from symbackprop.web import exercise
from symbackprop.web.app import ServeOptions, create_app
from tests.web.conftest import ROOT
from tests.web.independent import numbers_and_wrong

EXAMPLES = ["single_neuron", "course_232", "relu_3layer", "softmax_4663"]


def client_for(name: str) -> TestClient:
    spec = load_spec(ROOT / "examples" / f"{name}.toml")
    return TestClient(create_app(exercise.from_spec(spec), ServeOptions(workers=1)))


def verdict(client, name: str, text) -> str:
    answer = client.post("/api/check", json={"claims": {name: text}}).json()
    return answer["claims"][0]["verdict"]


@pytest.mark.parametrize("example", EXAMPLES)
def test_known_wrong_answers_are_refused_and_the_answer_at_its_precision_accepted(example):
    spec = load_spec(ROOT / "examples" / f"{example}.toml")
    with client_for(example) as client:
        data = client.get("/api/exercise").json()
        expected = numbers_and_wrong(data, spec.training.learning_rate)
        questions = {q["name"]: q for q in data["questions"] if q["expects"] == "number"}
        checked = [name for name in questions if name in expected]
        assert len(checked) >= 0.6 * len(questions)
        refused = 0
        for name in checked:
            value, wrong = expected[name]
            precision = questions[name]["precision"]
            decimals, tolerance = precision["decimals"], precision["tolerance"]
            assert tolerance <= 10.0 ** -decimals * (1 + 1e-9) or "step" not in name  # one unit, or the carried path
            assert verdict(client, name, repr(value)) == "correct", name
            typed = f"{value:.{decimals}f}"
            assert verdict(client, name, typed) == "correct", (name, typed)
            assert verdict(client, name, typed.replace(".", ",")) == "correct"
            for label, number in wrong.items():
                if math.isclose(number, value, rel_tol=1e-9, abs_tol=1e-12):
                    continue  # the same number (a ReLU's derivative is 1, a zero input's gradient 0)
                assert verdict(client, name, repr(number)) != "correct", (name, label, number, value)
                refused += 1
                if abs(number - value) >= 2 * 10.0 ** -decimals:  # as a student types it, at the asked decimals
                    assert verdict(client, name, f"{number:.{decimals}f}") != "correct", (name, label)
    assert refused >= 4 * len(checked)


@pytest.mark.parametrize("example, name, typed", [
    ("single_neuron", "y0[0]", "1"),            # ŷ = 0.579
    ("single_neuron", "dL/dy0[0]", "-1"),       # -0.841
    ("single_neuron", "dL/dW0[0][0]", "0"),     # -0.144
    ("single_neuron", "y0[0]", "0.6"),
    ("course_232", "y0[0]", "0.5"),             # 0.5474
    ("course_232", "y0[0]", "0.547"),           # three decimals are not four
])
def test_a_coarse_entry_does_not_pass_for_the_value(example, name, typed):
    with client_for(example) as client:
        assert verdict(client, name, typed) == "wrong"


def test_the_precision_is_shown_next_to_each_question_in_both_languages():
    with client_for("course_232") as client:
        en = client.get("/?lang=en").text
        pt = client.get("/?lang=pt-BR").text
        data = client.get("/api/exercise").json()
    small = next(q for q in data["questions"] if q["name"] == "dL/dW0[1][2]")
    assert small["precision"]["significant"] == 4 and small["precision_text"] == "4 significant figures"
    assert en.count('<span class="precision">4 decimals</span>') == sum(
        1 for q in data["questions"] if q["precision"] and q["precision_text"] == "4 decimals")
    assert '<span class="precision">4 casas decimais</span>' in pt
    assert '<span class="precision">4 algarismos significativos</span>' in pt
    assert "<legend>Propagação direta (forward)</legend>" in pt
    assert "<legend>Retropropagação (backward)</legend>" in pt
    assert "FORWARD" not in pt and "BACKWARD" not in pt


def test_with_a_manifest_asked_questions_keep_its_tolerance_and_the_rest_the_policy(manifest_client):
    from tests.web.conftest import MANIFEST, sigmoid
    data = manifest_client.get("/api/exercise?variant=V001").json()
    precision = {q["name"]: q["precision"] for q in data["questions"]}
    y = sigmoid(0.7 * 0.1 + 0.25)
    assert precision["y0[0]"] == {"decimals": 4, "significant": None, "tolerance": max(1e-4, 0.001 * y)}
    assert precision["dy0[0]/dv0[0]"]["tolerance"] == 10.0 ** -precision["dy0[0]/dv0[0]"]["decimals"]
    assert "dy0[0]/dv0[0]" not in MANIFEST["variants"][0]["answers"]

    def check(claims, name):
        answer = manifest_client.post("/api/check", json={"variant": "V001", "claims": claims}).json()
        return next(r["verdict"] for r in answer["claims"] if r["name"] == name)

    # the manifest's rel_tol 0.001 of y: 0.00058 around 0.5793, as grade accepts it
    assert check({"y0[0]": f"{y + 0.0005:.4f}"}, "y0[0]") == "correct"
    assert check({"y0[0]": f"{y + 0.0008:.4f}"}, "y0[0]") == "wrong"
    # an asked answer is carried only from asked answers, as grade's report carries it
    slope = y * (1 - y) + 0.01
    claims = {"dy0[0]/dv0[0]": f"{slope:.4f}", "dL/dW0[0][0]": f"{-2 * (1 - y) * slope * 0.7:.4f}"}
    assert check(claims, "dL/dW0[0][0]") == "wrong"
    assert check(claims, "dy0[0]/dv0[0]") == "wrong"


def test_a_generated_exam_is_served_at_the_precision_its_manifest_records(tmp_path, capsys):
    import json
    from symbackprop.cli import main
    assert main(["exam", str(ROOT / "examples" / "course_232.toml"), "--variants", "3", "--seed", "4", "-o",
                 str(tmp_path)]) == 0
    capsys.readouterr()
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    app = create_app(exercise.from_manifest(tmp_path / "manifest.json"), ServeOptions(workers=1))
    with TestClient(app) as client:
        for variant in manifest["variants"]:
            data = client.get(f"/api/exercise?variant={variant['id']}").json()
            expected = numbers_and_wrong(data, 0.5)
            shown = {q["name"]: q["precision"] for q in data["questions"]}
            for name, answer in variant["answers"].items():
                if not isinstance(answer["value"], float):
                    continue
                assert (shown[name]["decimals"], shown[name]["significant"]) == (answer["decimals"],
                                                                                 answer["significant"])
                value, wrong = expected[name]
                assert value == pytest.approx(answer["value"], abs=1e-9)

                def judged(text):
                    body = {"variant": variant["id"], "claims": {name: text}}
                    return client.post("/api/check", json=body).json()["claims"][0]["verdict"]

                assert judged(f"{value:.{answer['decimals']}f}") == "correct"
                for label, number in wrong.items():
                    if not math.isclose(number, value, rel_tol=1e-9, abs_tol=1e-12):
                        assert judged(repr(number)) != "correct", (variant["id"], name, label)
