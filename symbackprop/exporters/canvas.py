"""The canvas format: canvas.zip, Canvas's QTI 1.2 flavour, one quiz per variant with numerical questions."""
import xml.etree.ElementTree as ET

from symbackprop.exams.moodle import VariantHtml
from symbackprop.exporters.exam_export import DIAGRAM_FILE, ExamExport
from symbackprop.exporters.packages import zip_bytes
from symbackprop.exporters.publication import Publication

NAME = "canvas"
BUILDS = False
OPTION = "--canvas"
HELP = ("also write canvas.zip for Canvas's QTI import (Classic and New Quizzes): one quiz per variant, a "
        "numerical question with exact answer and margin per asked number")
FILE = "canvas.zip"

QTI12 = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CCCV = "http://canvas.instructure.com/xsd/cccv1p0"
CC_CP = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
FILEBASE = "$IMS-CC-FILEBASE$"  # Canvas's name for the package's web_resources/ folder
MARKER = "{id} \u2014 {number}."  # each question's text starts so: the responses reader finds variant and question


def files(publication: Publication) -> list[str]:
    """The file names this format writes."""
    return [FILE] if "exam" in publication.extra else []


def texts(publication: Publication) -> dict[str, bytes]:
    """{"canvas.zip": the package bytes}."""
    return {FILE: package(publication.extra["exam"])}


def quiz_id(exam: ExamExport, variant: str) -> str:
    """The identifier of one variant's quiz."""
    return f"symbackprop_{exam.seed}_{variant}"


def package(exam: ExamExport) -> bytes:
    """imsmanifest.xml, per variant <quiz>/<quiz>.xml and assessment_meta.xml, and the diagram."""
    pages = exam.pages(src=f"{FILEBASE}/{DIAGRAM_FILE}")
    entries = {}
    for page in pages:
        ident = quiz_id(exam, page.id)
        entries[f"{ident}/{ident}.xml"] = _document(assessment(exam, page))
        entries[f"{ident}/assessment_meta.xml"] = _document(assessment_meta(exam, page))
    manifest = _document(content_manifest(exam, [page.id for page in pages]))
    return zip_bytes({"imsmanifest.xml": manifest, **entries, f"web_resources/{DIAGRAM_FILE}": exam.diagram})


def _document(element: ET.Element) -> bytes:
    ET.indent(element, space=" ")
    text = ET.tostring(element, encoding="unicode")  # then encoded once: much faster than a UTF-8 stream
    return ("<?xml version='1.0' encoding='UTF-8'?>\n" + text + "\n").encode("utf-8")


def _sub(parent, tag: str, attributes: dict | None = None, text: str | None = None) -> ET.Element:
    """A child element, in the namespace its file's root declares as the default (xmlns)."""
    element = ET.SubElement(parent, tag, attributes or {})
    if text is not None:
        element.text = text
    return element


def _number(value: float) -> str:
    return repr(float(value))


def _metadata(parent, fields: dict[str, str]) -> None:
    block = _sub(parent, "qtimetadata")
    for label, entry in fields.items():
        field = _sub(block, "qtimetadatafield")
        _sub(field, "fieldlabel", text=label)
        _sub(field, "fieldentry", text=entry)


def _material(parent, html: str) -> None:
    _sub(_sub(parent, "material"), "mattext", {"texttype": "text/html"}, html)


def _item(section, ident: str, title: str, kind: str, points: float, html: str) -> ET.Element:
    item = _sub(section, "item", {"ident": ident, "title": title})
    _metadata(_sub(item, "itemmetadata"), {"question_type": kind, "points_possible": _number(points),
                                           "original_answer_ids": "", "assessment_question_identifierref":
                                           f"{ident}_bank"})
    _material(_sub(item, "presentation"), html)
    return item


def assessment(exam: ExamExport, page: VariantHtml) -> ET.Element:
    """One variant's quiz: the statement as a text-only item, then a numerical (or essay) question each."""
    answers = exam.answers(page.id)
    ident = quiz_id(exam, page.id)
    root = ET.Element("questestinterop", {"xmlns": QTI12, f"{{{XSI}}}schemaLocation": f"{QTI12} "
                                                      "http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"})
    test = _sub(root, "assessment", {"ident": ident, "title": _title(exam, page.id)})
    _metadata(test, {"cc_maxattempts": "1"})
    section = _sub(test, "section", {"ident": "root_section"})
    _item(section, f"{ident}_statement", _title(exam, page.id), "text_only_question", 0, page.statement)
    for question, sentence in page.questions:
        text = f"<p><strong>{MARKER.format(id=page.id, number=question.number)}</strong> {sentence}</p>"
        item_id = f"{ident}_q{question.number}"
        if question.answer is None:
            item = _item(section, item_id, question.name, "essay_question", question.points, text)
            entry = _sub(item.find("presentation"), "response_str", {"ident": "response1", "rcardinality": "Single"})
            _sub(_sub(entry, "render_fib"), "response_label", {"ident": "answer1", "rshuffle": "No"})
            processing = _sub(item, "resprocessing")
            _sub(_sub(processing, "outcomes"), "decvar", {"maxvalue": "100", "minvalue": "0", "varname": "SCORE",
                                                          "vartype": "Decimal"})
            _sub(_sub(_sub(processing, "respcondition", {"continue": "No"}), "conditionvar"), "other")
        else:
            answer = answers[question.name]
            item = _item(section, item_id, question.name, "numerical_question", answer.points, text)
            entry = _sub(item.find("presentation"), "response_str", {"ident": "response1",
                                                                                 "rcardinality": "Single"})
            _sub(_sub(entry, "render_fib", {"fibtype": "Decimal"}), "response_label", {"ident": "answer1"})
            _numerical_processing(item, answer.value, exam.accepted(answer))
        _feedback(item, page.solution)
    return root


def _numerical_processing(item, value: float, margin: float) -> None:
    """Full score for the exact answer or one within the margin (Canvas's "exact answer with margin")."""
    processing = _sub(item, "resprocessing")
    _sub(_sub(processing, "outcomes"), "decvar", {"maxvalue": "100", "minvalue": "0", "varname": "SCORE",
                                                  "vartype": "Decimal"})
    general = _sub(processing, "respcondition", {"continue": "Yes"})
    _sub(_sub(general, "conditionvar"), "other")
    _sub(general, "displayfeedback", {"feedbacktype": "Response", "linkrefid": "general_fb"})
    correct = _sub(processing, "respcondition", {"continue": "No"})
    either = _sub(_sub(correct, "conditionvar"), "or")
    _sub(either, "varequal", {"respident": "response1"}, _number(value))
    within = _sub(either, "and")
    _sub(within, "vargte", {"respident": "response1"}, _number(value - margin))
    _sub(within, "varlte", {"respident": "response1"}, _number(value + margin))
    _sub(correct, "setvar", {"action": "Set", "varname": "SCORE"}, "100")


def _feedback(item, html: str) -> None:
    feedback = _sub(item, "itemfeedback", {"ident": "general_fb"})
    _material(_sub(feedback, "flow_mat"), html)


def _title(exam: ExamExport, variant: str) -> str:
    return f"{exam.title} \u2014 {exam.messages['exam']['variant']} {variant}"


def assessment_meta(exam: ExamExport, page: VariantHtml) -> ET.Element:
    """Canvas's quiz settings: title, one attempt, points, unpublished."""
    ident = quiz_id(exam, page.id)
    points = sum(a.points for a in exam.answers(page.id).values()) + sum(
        q.points for q, _ in page.questions if q.answer is None)
    root = ET.Element("quiz", {"xmlns": CCCV, "identifier": ident, f"{{{XSI}}}schemaLocation":
                                          f"{CCCV} https://canvas.instructure.com/xsd/cccv1p0.xsd"})
    for tag, text in (("title", _title(exam, page.id)), ("description", ""), ("shuffle_answers", "false"),
                      ("scoring_policy", "keep_highest"), ("hide_results", ""), ("quiz_type", "assignment"),
                      ("points_possible", _number(points)), ("show_correct_answers", "false"),
                      ("allowed_attempts", "1"), ("one_question_at_a_time", "false"), ("cant_go_back", "false"),
                      ("available", "false")):
        _sub(root, tag, text=text)
    assignment = _sub(root, "assignment", {"identifier": f"{ident}_assignment"})
    for tag, text in (("title", _title(exam, page.id)), ("workflow_state", "unpublished"),
                      ("quiz_identifierref", ident), ("points_possible", _number(points)),
                      ("grading_type", "points"), ("submission_types", "online_quiz")):
        _sub(assignment, tag, text=text)
    return root


def content_manifest(exam: ExamExport, variants: list[str]) -> ET.Element:
    """imsmanifest.xml: per quiz its QTI file and settings, and the diagram as web content."""
    def cp(parent, tag, attributes=None, text=None):
        return _sub(parent, tag, attributes, text)

    root = ET.Element("manifest", {"xmlns": CC_CP, "identifier": f"symbackprop_{exam.seed}_manifest"})
    metadata = cp(root, "metadata")
    cp(metadata, "schema", text="IMS Content")
    cp(metadata, "schemaversion", text="1.1.3")
    cp(root, "organizations")
    resources = cp(root, "resources")
    for variant in variants:
        ident = quiz_id(exam, variant)
        quiz = cp(resources, "resource", {"identifier": ident, "type": "imsqti_xmlv1p2"})
        cp(quiz, "file", {"href": f"{ident}/{ident}.xml"})
        cp(quiz, "dependency", {"identifierref": f"{ident}_meta"})
        meta = cp(resources, "resource", {"identifier": f"{ident}_meta", "type":
                                          "associatedcontent/imscc_xmlv1p1/learning-application-resource",
                                          "href": f"{ident}/assessment_meta.xml"})
        cp(meta, "file", {"href": f"{ident}/assessment_meta.xml"})
    image = cp(resources, "resource", {"identifier": "symbackprop_diagram", "type": "webcontent",
                                       "href": f"web_resources/{DIAGRAM_FILE}"})
    cp(image, "file", {"href": f"web_resources/{DIAGRAM_FILE}"})
    return root
