"""The JSON API: verdicts equal `check --json`, limits, language, escaping, and nothing read from a request path."""
import json
import re
import threading

import pytest

from symbackprop.cli import main
from symbackprop.web import exercise
from symbackprop.web.app import ServeOptions, create_app
from starlette.testclient import TestClient
from tests.specs import COURSE_232
from tests.web.conftest import MANIFEST, sigmoid

X, T = [0.5, 0.1], [1.0, 0.0]
W0, B0 = [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], [0.1, 0.1, 0.1]
W1, B1 = [[0.7, 0.8], [0.9, 0.1], [0.2, 0.3]], [0.2, 0.2]


def forward():
    """The 2-3-2 forward pass by hand."""
    v0 = [X[0] * W0[0][j] + X[1] * W0[1][j] + B0[j] for j in range(3)]
    y0 = [sigmoid(v) for v in v0]
    v1 = [sum(y0[j] * W1[j][k] for j in range(3)) + B1[k] for k in range(2)]
    y1 = [sigmoid(v) for v in v1]
    return v0, y0, v1, y1


V0, Y0, V1, Y1 = forward()
CLAIMS = {
    "v0[0]": "0.20",                               # wrong: 0.19
    "y0[0]": f"{sigmoid(0.20):.4f}",               # consistent with the wrong v0[0]
    "y0[1]": f"{Y0[1]:.4f}",                       # correct
    "dL/dy1[0]": f"{(T[0] - Y1[0]):.4f}",          # the sign of -(y - ŷ) flipped
    "dL/dW1[2][1]": r"-\left(y_{1} - \hat{y}^{1}_{1}\right) \hat{y}^{1}_{1} \left(1 - \hat{y}^{1}_{1}\right) y^{0}_{2}",
    "dL/dy0[0]": r"\delta^{1}_{0} w^{1}_{0,0} + \delta^{1}_{1} w^{1}_{1,0}",   # w^1 indices transposed
}


def tolerances(client) -> dict:
    """Each number question's tolerance, as GET /api/exercise states it."""
    return {q["name"]: q["precision"]["tolerance"] for q in client.get("/api/exercise").json()["questions"]
            if q["precision"]}


def check_json(tmp_path, claims: dict, capsys, tolerance: dict | None = None) -> dict:
    """What `symbackprop check --json` prints for the same claims (strings, so every digit is kept), each number
    with the tolerance its question states."""
    def line(name, text):
        if tolerance and name in tolerance and not any(c.isalpha() or c == "\\" for c in text):
            return f"{json.dumps(name)} = {{value = '{text}', abs_tol = {tolerance[name]!r}}}"
        return f"{json.dumps(name)} = '{text}'"
    lines = [line(name, text) for name, text in claims.items()]
    path = tmp_path / "claims.toml"
    training = "[training]\nlearning_rate = 0.5\n"  # what serve uses for a spec without [training], as exam does
    path.write_text(COURSE_232 + training + "\n[claims]\n" + "\n".join(lines) + "\n", encoding="utf-8")
    main(["check", str(path), "--json"])
    return json.loads(capsys.readouterr().out)


def test_verdicts_equal_check_json(reveal_client, tmp_path, capsys):
    answer = reveal_client.post("/api/check", json={"claims": CLAIMS}).json()
    expected = check_json(tmp_path, CLAIMS, capsys, tolerances(reveal_client))
    assert answer["claims"] == expected["claims"]
    verdicts = {r["name"]: (r["verdict"], r["mistake"]) for r in answer["claims"]}
    assert verdicts == {"v0[0]": ("wrong", None), "y0[0]": ("consistent", None), "y0[1]": ("correct", None),
                        "dL/dy1[0]": ("wrong", "sign_flipped"), "dL/dW1[2][1]": ("correct", None),
                        "dL/dy0[0]": ("wrong", "index_transposed")}
    assert answer["claims"][0]["correct"] == pytest.approx(V0[0], abs=1e-12)
    assert answer["invalid"] == []


def test_correct_values_hidden_without_reveal(course_client):
    answer = course_client.post("/api/check", json={"claims": CLAIMS}).json()
    assert [r["verdict"] for r in answer["claims"]] == ["wrong", "consistent", "correct", "wrong", "correct", "wrong"]
    assert all(r["correct"] is None for r in answer["claims"])
    assert all("mistake_value" not in r["detail"] for r in answer["claims"])


def test_numbers_as_json_numbers_and_with_a_decimal_comma(course_client):
    claims = {"v0[0]": 0.19, "y0[0]": f"{Y0[0]:.4f}".replace(".", ","), "v1[0]": f"{V1[0]:.4f}"}
    answer = course_client.post("/api/check", json={"claims": claims}).json()
    assert [(r["name"], r["verdict"]) for r in answer["claims"]] == [
        ("v0[0]", "correct"), ("y0[0]", "correct"), ("v1[0]", "correct")]
    assert answer["claims"][1]["claimed"] == pytest.approx(round(Y0[0], 4))


def test_a_catalogued_mistake_is_named(course_client):
    answer = course_client.post("/api/check", json={"claims": {"y1[0]": f"{V1[0]:.4f}"}}).json()
    assert answer["claims"][0]["verdict"] == "wrong"
    assert answer["claims"][0]["mistake"] == "preactivation_for_activation"


def test_unreadable_expression_is_reported_alone(course_client):
    claims = {"dL/dy1[0]": "-(y[0] - y1[0]", "dL/dW1[2][1]": CLAIMS["dL/dW1[2][1]"]}
    answer = course_client.post("/api/check", json={"claims": claims}).json()
    assert [r["name"] for r in answer["claims"]] == ["dL/dW1[2][1]"]
    assert answer["invalid"][0]["name"] == "dL/dy1[0]"
    assert "never closed" in answer["invalid"][0]["error"]


@pytest.mark.parametrize("body, status, words", [
    ({"claims": {"v0[0]": "1" * 2001}}, 413, "2000"),
    ({"claims": {"v0[9]": "0.1"}}, 400, "unknown quantity 'v0[9]'"),
    ({"claims": {}}, 400, "at least one entry"),
    ({"claims": {"v0[0]": [1]}}, 400, "expected a number or an expression"),
    ({"claims": {"v0[0]": "  "}}, 400, "empty entry"),
    ({"claims": {"v0[0]": "0.19"}, "entry": "L"}, 400, '"entry"'),
    ({"claims": {"v0[0]": "0.19"}, "variant": "V001"}, 404, "unknown variant"),
])
def test_bad_requests_are_refused_with_a_message(course_client, body, status, words):
    response = course_client.post("/api/check", json=body)
    assert response.status_code == status
    assert words in response.json()["error"]


def test_an_entry_of_2000_characters_is_checked(course_client):
    text = "+".join(["x[0]*W0[0][0]"] * 142) + "+x[0]" * 2
    text = text + " " * (2000 - len(text))
    answer = course_client.post("/api/check", json={"claims": {"v0[0]": text}}).json()
    assert len(text) == 2000 and answer["claims"][0]["verdict"] == "wrong"


def test_bodies_over_16_kB_are_refused(course_client):
    names = ["v0[0]", "v0[1]", "v0[2]", "y0[0]", "y0[1]", "y0[2]", "v1[0]", "v1[1]", "y1[0]", "y1[1]", "L", "l[0]"]
    body = json.dumps({"claims": {name: "0." + "1" * 1500 for name in names}})
    assert len(body.encode()) > 16 * 1024
    response = course_client.post("/api/check", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert "16384" in response.json()["error"]
    assert course_client.post("/api/check", content=b"{not json").json()["error"] == "expected a JSON object"


def test_exercise_api_gives_the_values_and_the_questions(course_client):
    data = course_client.get("/api/exercise").json()
    assert data["values"]["W0[1][2]"] == 0.6 and data["values"]["b1[1]"] == 0.2 and data["values"]["y[0]"] == 1.0
    names = [q["name"] for q in data["questions"]]
    assert names[:11] == ["v0[0]", "y0[0]", "v0[1]", "y0[1]", "v0[2]", "y0[2]", "v1[0]", "y1[0]", "v1[1]", "y1[1]",
                          "L"]
    assert names[11:15] == ["dL/dy1[0]", "dy1[0]/dv1[0]", "dv1[0]/dW1[0][0]", "dL/dW1[0][0]"]
    assert names[-2:] == ["step1.W0[1][2]", "dL/dW0[0][0]"]
    assert data["questions"][-1]["expects"] == "expression"
    assert len(data["diagram"]["nodes"]) == 7 and len(data["diagram"]["edges"]) == 2 * 3 + 3 * 2
    # a spec, a path or a template in the request is not read
    assert course_client.get("/api/exercise?spec=/etc/passwd&template=x").json() == data
    assert course_client.get("/static/../pyproject.toml").status_code == 404


def test_no_dashboard_without_class_mode(course_client):
    assert course_client.get("/teacher").status_code == 404
    assert course_client.get("/api/teacher/summary").status_code == 404
    assert course_client.get("/api/answers?student=ana").status_code == 404


def test_page_has_a_strict_csp_and_no_inline_script(course_client):
    response = course_client.get("/")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", response.text, re.S)
    assert scripts and all('src="/static/' in attrs or 'type="application/json"' in attrs for attrs, _ in scripts)
    assert all(body == "" for attrs, body in scripts if "src=" in attrs)
    assert re.findall(r"<[^>]*\son[a-z]+\s*=", response.text) == []  # no inline event handlers
    assert re.findall(r"<[^>]*\sstyle\s*=", response.text) == []  # no inline styles either (style-src 'self')


def test_language_from_accept_language_and_the_switch(course_client):
    pt = course_client.get("/", headers={"accept-language": "pt-BR,pt;q=0.9,en;q=0.5"}).text
    assert 'lang="pt-BR"' in pt and "Verificar" in pt and "Funções" in pt
    en = course_client.get("/?lang=en", headers={"accept-language": "pt-BR"}).text
    assert 'lang="en"' in en and ">Check<" in en
    assert 'href="?lang=pt-BR"' in en


def test_manifest_variants(manifest_client):
    start = manifest_client.get("/")
    assert 'name="variant"' in start.text
    assert manifest_client.get("/api/exercise").status_code == 400
    data = manifest_client.get("/api/exercise?variant=V002").json()
    assert data["values"] == MANIFEST["variants"][1]["values"]
    y = sigmoid(0.5 * -0.3 + 0.1)
    for variant, verdict in (("V002", "correct"), ("V001", "wrong")):
        answer = manifest_client.post("/api/check", json={"variant": variant, "claims": {"y0[0]": f"{y:.4f}"}}).json()
        assert answer["claims"][0]["verdict"] == verdict
    assert manifest_client.get("/api/exercise?variant=V404").status_code == 404


def test_unknown_variant_text_is_escaped(manifest_client):
    page = manifest_client.get("/", params={"variant": "<img src=x onerror=alert(1)>"}).text
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<img src=x" not in page


def test_preview_prints_the_course_notation(course_client):
    tex = course_client.post("/api/preview", json={"text": "-(y[0]-y1[0])*y1[0]*(1-y1[0])"}).json()["tex"]
    assert r"\hat{y}^{1}_{0}" in tex and "y_{0}" in tex
    assert course_client.post("/api/preview", json={"text": "0,25"}).json() == {"tex": "0{,}25"}
    assert "never closed" in course_client.post("/api/preview", json={"text": "(x[0]"}).json()["error"]


SLOW = " + ".join(r"\frac{1}{1+e^{-(x_{0} w^{0}_{0,%d} + x_{1} w^{0}_{1,%d} + b^{0}_{%d})}}" % (i % 3, i % 3, i % 3)
                  for i in range(25))


def test_a_job_past_the_hard_limit_is_stopped_and_the_worker_replaced(course_spec):
    app = create_app(exercise.from_spec(course_spec), ServeOptions(workers=1, limit=0.02))
    with TestClient(app) as client:
        answer = client.post("/api/check", json={"claims": {"dL/dW0[0][0]": SLOW, "v0[0]": "0.19"}}).json()
        assert answer["invalid"] == [{"name": "dL/dW0[0][0]", "reason": "timeout",
                                      "error": "checking took longer than 0.02 s; write it more simply"}]
        assert [(r["name"], r["verdict"]) for r in answer["claims"]] == [("v0[0]", "correct")]
        assert app.state.server.pool.killed == 1
        again = client.post("/api/check", json={"claims": {"dL/dW0[0][0]": SLOW}}).json()
        assert again["invalid"][0]["reason"] == "timeout" and app.state.server.pool.killed == 1  # not run again


def test_a_slow_entry_does_not_hold_up_another_students(course_spec):
    app = create_app(exercise.from_spec(course_spec), ServeOptions(workers=2, limit=30))
    with TestClient(app) as client:
        slow = threading.Thread(target=lambda: client.post("/api/check", json={"claims": {"dL/dW0[0][0]": SLOW}}))
        slow.start()
        quick = client.post("/api/check", json={"claims": {"dL/dW1[2][1]": CLAIMS["dL/dW1[2][1]"]}}).json()
        slow.join()
        assert quick["claims"][0]["verdict"] == "correct"


def test_numbers_alone_equal_check_json_as_entries_are_added(reveal_client, tmp_path, capsys):
    """The page sends a student's numbers again with each new one; every answer equals `check --json`."""
    typed = {"v0[0]": "0.20", "y0[0]": f"{sigmoid(0.20):.4f}", "v0[1]": f"{V0[1]:.4f}", "y0[1]": f"{Y0[1]:.4f}",
             "y1[0]": f"{V1[0]:.4f}", "dL/dy1[0]": f"{(T[0] - Y1[0]):.4f}", "step1.W0[1][2]": "0.6001"}
    entries = {}
    for name, text in typed.items():
        entries[name] = text
        answer = reveal_client.post("/api/check", json={"claims": entries}).json()
        assert answer["claims"] == check_json(tmp_path, entries, capsys, tolerances(reveal_client))["claims"]
    assert [r["verdict"] for r in answer["claims"]] == ["wrong", "consistent", "correct", "correct", "wrong", "wrong",
                                                        "wrong"]
    entries["v0[0]"] = f"{V0[0]:.4f}"  # correcting an earlier entry changes what follows from it
    answer = reveal_client.post("/api/check", json={"claims": entries}).json()
    assert answer["claims"] == check_json(tmp_path, entries, capsys, tolerances(reveal_client))["claims"]
    assert [r["verdict"] for r in answer["claims"]][:2] == ["correct", "wrong"]


SWISH = """
[functions.swish]
g = "v / (1 + exp(-v))"
derivative = "g + sigmoid(v) * (1 - g)"
name = { en = "Swish", pt-BR = "Swish" }
[network]
layers = [2, 3, 2]
activations = ["swish", "sigmoid"]
loss = "mse"
[values]
x = [0.5, -1.0]
y = [1.0, 0.0]
W0 = [[0.1, 0.2, -0.3], [0.4, -0.5, 0.6]]
b0 = [0.1, 0.0, -0.1]
W1 = [[0.7, -0.8], [0.9, 1.0], [-1.1, 1.2]]
b1 = [0.0, 0.5]
"""


def test_a_spec_with_its_own_functions_is_served_and_checked_in_the_workers():
    from symbackprop.model.spec import parse_spec
    app = create_app(exercise.from_spec(parse_spec(SWISH)), ServeOptions(workers=1))
    with TestClient(app) as client:
        assert "Swish" in client.get("/?lang=en").text
        claims = {"v0[0]": f"{0.5 * 0.1 + -1.0 * 0.4 + 0.1:.4f}", "dy1[0]/dv1[0]": "y1[0]*(1-y1[0])",
                  "dy0[0]/dv0[0]": "y0[0]*(1-y0[0])"}
        answer = client.post("/api/check", json={"claims": claims}).json()
    assert [(r["name"], r["verdict"]) for r in answer["claims"]] == [
        ("v0[0]", "correct"), ("dy1[0]/dv1[0]", "correct"), ("dy0[0]/dv0[0]", "wrong")]  # swish: g'(v) ≠ g(1-g)
