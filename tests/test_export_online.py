"""The online exam formats (QTI 2.1, Canvas QTI 1.2, PrairieLearn, Moodle's diagram) read back against the manifest."""
import ast
import base64
import importlib.util
import json
import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import lxml.etree as lxml_etree
import numpy as np
import pytest
import sympy
import xmlschema

from symbackprop.cli import main
from symbackprop.notation import catalogue
from tests import reference


SCHEMAS = Path(__file__).parent / "schemas"
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "exam_relu.toml"
CASES = [("default", None, "en"), ("default", None, "pt-BR"), ("relu", EXAMPLE, "en"), ("relu", EXAMPLE, "pt-BR")]
QTI = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"
MATHML = "{http://www.w3.org/1998/Math/MathML}"
CANVAS = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
CC = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"
CP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"
SEED = 11
COUNT = 3


def run_exam(tmp: Path, spec, lang: str, seed: int = SEED) -> dict:
    out, questions = tmp / "out", tmp / "question"
    args = ["exam"] + ([str(spec)] if spec else []) + ["--variants", str(COUNT), "--seed", str(seed), "--lang", lang,
                                                      "--moodle", "--qti", "--canvas", "--prairielearn",
                                                      str(questions), "-o", str(out)]
    assert main(args) == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {"out": out, "question": questions, "manifest": manifest, "lang": lang,
            "messages": catalogue.catalogue(lang)}


@pytest.fixture(scope="module", params=CASES, ids=[f"{name}-{lang}" for name, _, lang in CASES])
def exported(request, tmp_path_factory):
    _, spec, lang = request.param
    return run_exam(tmp_path_factory.mktemp("online"), spec, lang)


@pytest.fixture(scope="module")
def schemas():
    return (xmlschema.XMLSchema(str(SCHEMAS / "qtiv2p1" / "imsqti_v2p1.xsd")),
            xmlschema.XMLSchema(str(SCHEMAS / "imscp_v1p1.xsd")))


def accepted(answer: dict) -> float:
    """The manifest's rule: |a - v| <= max(abs_tol, rel_tol |v|)."""
    return max(answer["abs_tol"], answer["rel_tol"] * abs(answer["value"]))


def unzip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


# -- QTI 2.1 ---------------------------------------------------------------------------------------
def test_qti_package_is_valid_against_the_ims_schemas(exported, schemas):
    qti, cp = schemas
    files = unzip(exported["out"] / "qti21.zip")
    assert sorted(files) == sorted(["imsmanifest.xml", "test.xml", "diagram.svg"]
                                   + [f"items/{v['id']}.xml" for v in exported["manifest"]["variants"]])
    for name, data in files.items():
        if name.endswith(".xml"):
            schema = cp if name == "imsmanifest.xml" else qti
            errors = list(schema.iter_errors(ET.fromstring(data)))
            assert errors == [], f"{name}: {errors[0]}"


def test_the_schema_refuses_a_broken_item(exported, schemas):
    qti, _ = schemas
    item = ET.fromstring(unzip(exported["out"] / "qti21.zip")["items/V001.xml"])
    body = item.find(f"{QTI}itemBody")
    ET.SubElement(body, f"{QTI}textEntryInteraction", {"expectedLength": "12"})  # no responseIdentifier
    assert list(qti.iter_errors(item)) != []


def test_qti_items_hold_the_manifest_values_tolerances_and_points(exported):
    files = unzip(exported["out"] / "qti21.zip")
    for variant in exported["manifest"]["variants"]:
        item = ET.fromstring(files[f"items/{variant['id']}.xml"])
        answers = list(variant["answers"].values())
        declared = item.findall(f"{QTI}responseDeclaration[@baseType='float']")
        values = [float(d.find(f"{QTI}correctResponse/{QTI}value").text) for d in declared]
        assert len(values) == len(answers)
        assert all(abs(got - a["value"]) <= 1e-12 for got, a in zip(values, answers))
        interactions = item.findall(f".//{QTI}textEntryInteraction")
        assert [i.get("responseIdentifier") for i in interactions] == [f"RESPONSE_{k}" for k in
                                                                        range(1, len(answers) + 1)]
        conditions = item.findall(f"{QTI}responseProcessing/{QTI}responseCondition/{QTI}responseIf")
        for condition, answer in zip(conditions, answers):
            equal = condition.find(f"{QTI}equal")
            assert equal.get("toleranceMode") == "absolute"
            assert abs(float(equal.get("tolerance")) - accepted(answer)) <= 1e-12
            points = float(condition.find(f".//{QTI}baseValue").text)
            assert points == answer["points"]
        maximum = item.find(f"{QTI}outcomeDeclaration[@identifier='SCORE']").get("normalMaximum")
        assert float(maximum) == sum(a["points"] for a in answers)


def test_qti_test_draws_one_variant_and_shows_math_diagram_and_solution(exported):
    files = unzip(exported["out"] / "qti21.zip")
    test = ET.fromstring(files["test.xml"])
    section = test.find(f".//{QTI}assessmentSection")
    assert section.find(f"{QTI}selection").get("select") == "1"
    assert [ref.get("href") for ref in section.findall(f"{QTI}assessmentItemRef")] == [
        f"items/{v['id']}.xml" for v in exported["manifest"]["variants"]]
    item = ET.fromstring(files["items/V001.xml"])
    text = ET.tostring(item, encoding="unicode")
    assert "\\(" not in text and "\\[" not in text  # every formula became MathML
    assert len(item.findall(f".//{MATHML}math")) > 10
    assert item.find(f".//{QTI}img").get("src") == "../diagram.svg"
    feedback = item.find(f"{QTI}modalFeedback")
    assert exported["messages"]["exam"]["moodle_feedback"] in "".join(feedback.itertext())
    manifest = ET.fromstring(files["imsmanifest.xml"])
    hrefs = {f.get("href") for f in manifest.iter(f"{CP}file")}
    assert hrefs == set(files) - {"imsmanifest.xml"}


def test_the_diagram_image_draws_every_unit_and_weight(exported):
    svg = ET.fromstring(unzip(exported["out"] / "qti21.zip")["diagram.svg"])
    spec = exported["manifest"]["spec"]["network"]
    circles = svg.findall("{http://www.w3.org/2000/svg}circle")
    lines = svg.findall("{http://www.w3.org/2000/svg}line")
    layers = spec["layers"]
    assert len(circles) == sum(layers)
    assert len(lines) == sum(a * b for a, b in zip(layers, layers[1:]))


# -- Canvas QTI 1.2 (read back with lxml) ----------------------------------------------------------
def test_canvas_quizzes_hold_exact_answers_margins_and_points(exported):
    files = unzip(exported["out"] / "canvas.zip")
    manifest = lxml_etree.fromstring(files["imsmanifest.xml"])
    quizzes = manifest.findall(f"{CC}resources/{CC}resource[@type='imsqti_xmlv1p2']")
    assert len(quizzes) == COUNT
    for resource, variant in zip(quizzes, exported["manifest"]["variants"]):
        path = resource.find(f"{CC}file").get("href")
        root = lxml_etree.fromstring(files[path])
        items = root.findall(f".//{CANVAS}item")
        kinds = [i.findtext(f".//{CANVAS}qtimetadatafield[{CANVAS}fieldlabel='question_type']/{CANVAS}fieldentry")
                 for i in items]
        numerical = [i for i, kind in zip(items, kinds) if kind == "numerical_question"]
        answers = list(variant["answers"].values())
        assert kinds[0] == "text_only_question" and len(numerical) == len(answers)
        for number, (item, answer) in enumerate(zip(numerical, answers), start=1):
            exact = float(item.findtext(f".//{CANVAS}varequal"))
            low, high = float(item.findtext(f".//{CANVAS}vargte")), float(item.findtext(f".//{CANVAS}varlte"))
            assert abs(exact - answer["value"]) <= 1e-12
            assert abs((exact - low) - accepted(answer)) <= 1e-12 and abs((high - exact) - accepted(answer)) <= 1e-12
            points = item.findtext(f".//{CANVAS}qtimetadatafield[{CANVAS}fieldlabel='points_possible']/"
                                   f"{CANVAS}fieldentry")
            assert float(points) == answer["points"]
            text = item.findtext(f"{CANVAS}presentation/{CANVAS}material/{CANVAS}mattext")
            assert text.startswith(f"<p><strong>{variant['id']} \u2014 {number}.</strong>")
        symbolic = exported["manifest"]["spec"]["exam"]["symbolic"]
        assert kinds.count("essay_question") == (1 if symbolic else 0)
        assert f'$IMS-CC-FILEBASE$/diagram.svg' in files[path].decode()
    assert files["web_resources/diagram.svg"].startswith(b"<svg")


# -- PrairieLearn ------------------------------------------------------------------------------------
def load_server(folder: Path):
    spec = importlib.util.spec_from_file_location(f"pl_server_{id(folder)}", folder / "server.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_prairielearn_folder_has_info_and_one_input_per_question(exported):
    folder, manifest = exported["question"], exported["manifest"]
    info = json.loads((folder / "info.json").read_text(encoding="utf-8"))
    assert uuid.UUID(info["uuid"]).version == 5 and info["type"] == "v3"
    html = (folder / "question.html").read_text(encoding="utf-8")
    answers = list(manifest["variants"][0]["answers"].values())
    weights = re.findall(r'<pl-number-input answers-name="q(\d+)"[^>]*rtol="0" weight="([\d.]+)"', html)
    assert [float(w) for _, w in weights] == [a["points"] for a in answers]
    assert ("<pl-symbolic-input" in html) == bool(manifest["spec"]["exam"]["symbolic"])
    assert "<pl-answer-panel>" in html and "{{{params.solution}}}" in html


def test_prairielearn_server_picks_a_variant_from_the_seed_with_the_manifest_numbers(exported):
    server = load_server(exported["question"])
    tree = ast.parse((exported["question"] / "server.py").read_text(encoding="utf-8"))
    assert [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))] == []  # nothing to install
    variants = exported["manifest"]["variants"]
    for seed in (0, 1, 2, 12345, 2**31 - 1):
        data = {"params": {}, "correct_answers": {}, "variant_seed": seed}
        server.generate(data)
        variant = variants[seed % len(variants)]
        assert data["params"]["variant"] == variant["id"]
        answers = list(variant["answers"].values())
        for number, answer in enumerate(answers, start=1):
            assert abs(data["correct_answers"][f"q{number}"] - answer["value"]) <= 1e-12
            assert abs(data["params"][f"atol_q{number}"] - accepted(answer)) <= 1e-12
        assert exported["messages"]["exam"]["moodle_feedback"] in data["params"]["solution"]


def test_prairielearn_symbolic_answer_equals_finite_differences(exported):
    manifest = exported["manifest"]
    name = manifest["spec"]["exam"]["symbolic"]
    net = manifest["spec"]["network"]
    server = load_server(exported["question"])
    layer, i, j = map(int, re.fullmatch(r"dL/dW(\d+)\[(\d+)\]\[(\d+)\]", name).groups())
    for position, variant in enumerate(manifest["variants"]):
        data = {"params": {}, "correct_answers": {}, "variant_seed": position}
        server.generate(data)
        values = variant["values"]
        layers = net["layers"]
        x = [values[f"x[{k}]"] for k in range(layers[0])]
        t = [values[f"y[{k}]"] for k in range(layers[-1])]
        weights = [np.array([[values[f"W{l}[{a}][{b}]"] for b in range(layers[l + 1])] for a in range(layers[l])])
                   for l in range(len(layers) - 1)]
        biases = [np.array([values[f"b{l}[{b}]"] for b in range(layers[l + 1])]) for l in range(len(layers) - 1)]
        vs, ys = reference.forward(net["activations"], weights, biases, x)
        point = {f"x_{k}": x[k] for k in range(len(x))} | {f"t_{k}": t[k] for k in range(len(t))}
        for l, (v, y) in enumerate(zip(vs, ys)):
            point |= {f"v_{l}_{k}": v[k] for k in range(len(v))} | {f"y_{l}_{k}": y[k] for k in range(len(y))}
        for l, w in enumerate(weights):
            point |= {f"w_{l}_{a}_{b}": w[a, b] for a in range(w.shape[0]) for b in range(w.shape[1])}
        expr = sympy.sympify(data["correct_answers"]["symbolic"])  # the test's own file, not user input
        assert sorted(data["params"]["variables"].split(", ")) == sorted(str(s) for s in expr.free_symbols)
        claimed = float(expr.subs({sympy.Symbol(k): val for k, val in point.items()}))
        d_w, _ = reference.finite_difference(net["activations"], net["loss"], weights, biases, x, t)
        assert claimed == pytest.approx(d_w[layer][i, j], abs=1e-6)


# -- Moodle ------------------------------------------------------------------------------------------
def test_moodle_embeds_the_diagram_and_states_the_index_convention(exported):
    quiz = ET.parse(exported["out"] / "moodle.xml").getroot()
    image = unzip(exported["out"] / "qti21.zip")["diagram.svg"]
    legend_start = exported["messages"]["weight_legend"].split("$")[2].strip()[:20]  # the words after ((w))
    for question in quiz.findall("question[@type='cloze']"):
        text = question.find("questiontext")
        file = text.find("file")
        assert file.get("name") == "diagram.svg" and file.get("encoding") == "base64" and file.get("path") == "/"
        assert base64.b64decode(file.text) == image
        html = text.findtext("text")
        assert 'src="@@PLUGINFILE@@/diagram.svg"' in html
        assert legend_start in html


def test_moodle_gaps_hold_the_manifest_values_and_points(exported):
    quiz = ET.parse(exported["out"] / "moodle.xml").getroot()
    for question, variant in zip(quiz.findall("question[@type='cloze']"), exported["manifest"]["variants"]):
        gaps = re.findall(r"\{(\d+):NUMERICAL:=([^:~}]+):([^~}]+)", question.findtext("questiontext/text"))
        answers = list(variant["answers"].values())
        assert len(gaps) == len(answers)
        for (points, value, _), answer in zip(gaps, answers):  # Moodle's file keeps 12 significant digits
            assert abs(float(value) - answer["value"]) <= 5e-12 * abs(answer["value"])
            assert int(points) == answer["points"]


# -- determinism -------------------------------------------------------------------------------------
def test_same_seed_gives_byte_identical_files_and_fixed_zip_times(tmp_path):
    first, second = run_exam(tmp_path / "a", None, "en"), run_exam(tmp_path / "b", None, "en")
    for name in ("moodle.xml", "qti21.zip", "canvas.zip"):
        assert (first["out"] / name).read_bytes() == (second["out"] / name).read_bytes(), name
    for name in ("info.json", "question.html", "server.py"):
        assert (first["question"] / name).read_bytes() == (second["question"] / name).read_bytes(), name
    for name in ("qti21.zip", "canvas.zip"):
        with zipfile.ZipFile(first["out"] / name) as archive:
            assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    other = run_exam(tmp_path / "c", None, "en", seed=SEED + 1)
    uuids = {json.loads((run["question"] / "info.json").read_text())["uuid"] for run in (first, second, other)}
    assert len(uuids) == 2  # the same inputs keep their UUID, another seed gets a fresh one


def test_the_exam_help_lists_every_online_format_of_the_table(capsys):
    from symbackprop.exporters import EXPORTERS

    with pytest.raises(SystemExit):
        main(["exam", "--help"])
    out = capsys.readouterr().out
    options = [e.OPTION for e in EXPORTERS.values() if getattr(e, "OPTION", None)]
    assert options == ["--moodle", "--qti", "--canvas", "--prairielearn"]
    assert all(option in out for option in options)


def test_a_run_without_an_online_format_removes_its_earlier_file(tmp_path):
    out = tmp_path / "out"
    assert main(["exam", "--variants", "1", "--seed", "3", "--qti", "--canvas", "-o", str(out)]) == 0
    assert (out / "qti21.zip").is_file() and (out / "canvas.zip").is_file()
    assert main(["exam", "--variants", "1", "--seed", "3", "--canvas", "-o", str(out)]) == 0
    assert not (out / "qti21.zip").exists() and (out / "canvas.zip").is_file()
