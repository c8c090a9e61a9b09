"""The qti format: qti21.zip, an IMS content package of QTI 2.1 items (one per variant) and a test drawing one."""
import html
import xml.etree.ElementTree as ET
from functools import lru_cache

from symbackprop.exams.moodle import MathMarkup, VariantHtml
from symbackprop.exporters.exam_export import DIAGRAM_FILE, ExamExport
from symbackprop.exporters.packages import zip_bytes
from symbackprop.exporters.publication import Publication

NAME = "qti"
BUILDS = False
OPTION = "--qti"
HELP = "also write qti21.zip: an IMS QTI 2.1 content package, one item per variant, a test drawing one"
FILE = "qti21.zip"

QTI = "http://www.imsglobal.org/xsd/imsqti_v2p1"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
MATHML = "http://www.w3.org/1998/Math/MathML"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
QTI_XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
CP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1 http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
ET.register_namespace("m", MATHML)


@lru_cache(maxsize=4096)  # every variant repeats the statement's formulas
def _mathml(tex: str, display: str) -> str:
    """MathML of course LaTeX; aligned steps as a right-left array, which latex2mathml reads as a table."""
    from latex2mathml.converter import convert  # imported when a QTI file is written, not by every command

    tex = tex.replace(r"\begin{aligned}", r"\begin{array}{rl}").replace(r"\end{aligned}", r"\end{array}")
    return convert(tex, display=display)


MATHML_MARKUP = MathMarkup(lambda tex: _mathml(tex, "inline"), lambda tex: _mathml(tex, "block"),
                           lambda text: html.escape(text, quote=False))


def files(publication: Publication) -> list[str]:
    """The file names this format writes."""
    return [FILE] if "exam" in publication.extra else []


def texts(publication: Publication) -> dict[str, bytes]:
    """{"qti21.zip": the package bytes}."""
    exam: ExamExport = publication.extra["exam"]
    return {FILE: package(exam)}


def package(exam: ExamExport) -> bytes:
    """The content package: imsmanifest.xml, test.xml, items/<id>.xml and the diagram."""
    pages = exam.pages(MATHML_MARKUP, src=f"../{DIAGRAM_FILE}")
    items = {f"items/{page.id}.xml": _document(item(exam, page)) for page in pages}
    test = _document(assessment_test(exam, list(items)))
    manifest = _document(content_manifest(exam, list(items)))
    return zip_bytes({"imsmanifest.xml": manifest, "test.xml": test, **items, DIAGRAM_FILE: exam.diagram})


def _document(element: ET.Element) -> bytes:
    ET.indent(element, space=" ")
    text = ET.tostring(element, encoding="unicode")  # then encoded once: much faster than a UTF-8 stream
    return ("<?xml version='1.0' encoding='UTF-8'?>\n" + text + "\n").encode("utf-8")


def _q(tag: str) -> str:
    return tag  # a file's elements are in the namespace its root declares as the default (xmlns)


def _sub(parent: ET.Element, tag: str, attributes: dict | None = None, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, _q(tag), attributes or {})
    if text is not None:
        element.text = text
    return element


def _number(value: float) -> str:
    return repr(float(value))


def _html(fragment: str) -> list[ET.Element]:
    """An HTML fragment (XHTML with MathML) as QTI-namespace elements."""
    wrapper = ET.fromstring(f"<div>{fragment}</div>")
    return list(wrapper)


def item(exam: ExamExport, page: VariantHtml) -> ET.Element:
    """One variant as an assessmentItem: a float text entry per asked number, scored within its tolerance."""
    answers = exam.answers(page.id)
    root = ET.Element(_q("assessmentItem"), {
        "xmlns": QTI, f"{{{XSI}}}schemaLocation": f"{QTI} {QTI_XSD}", "identifier": page.id,
        "title": f"{exam.title} \u2014 {exam.messages['exam']['variant']} {page.id}", "adaptive": "false",
        "timeDependent": "false"})
    numbered = [(question, sentence) for question, sentence in page.questions if question.answer is not None]
    for position, (question, _) in enumerate(numbered, start=1):
        declaration = _sub(root, "responseDeclaration", {"identifier": f"RESPONSE_{position}",
                                                          "cardinality": "single", "baseType": "float"})
        _sub(_sub(declaration, "correctResponse"), "value", text=_number(answers[question.name].value))
    symbolic = [question for question, _ in page.questions if question.answer is None]
    if symbolic:
        _sub(root, "responseDeclaration", {"identifier": "RESPONSE_SYMBOLIC", "cardinality": "single",
                                           "baseType": "string"})
    total = sum(answers[question.name].points for question, _ in numbered)
    score = _sub(root, "outcomeDeclaration", {"identifier": "SCORE", "cardinality": "single", "baseType": "float",
                                               "normalMaximum": _number(total)})
    _sub(_sub(score, "defaultValue"), "value", text="0.0")
    maximum = _sub(root, "outcomeDeclaration", {"identifier": "MAXSCORE", "cardinality": "single",
                                                 "baseType": "float"})
    _sub(_sub(maximum, "defaultValue"), "value", text=_number(total))
    _sub(root, "outcomeDeclaration", {"identifier": "FEEDBACK", "cardinality": "single", "baseType": "identifier"})
    body = _sub(root, "itemBody")
    body.extend(_html(page.statement))
    listing = _sub(body, "ol")
    position = 0
    for question, sentence in page.questions:
        paragraph = _html(f"<p>{sentence} </p>")[0]
        if question.answer is not None:
            position += 1
            _sub(paragraph, "textEntryInteraction", {"responseIdentifier": f"RESPONSE_{position}",
                                                      "expectedLength": "12"})
        _sub(listing, "li").append(paragraph)
        if question.answer is None:
            _sub(listing[-1], "extendedTextInteraction", {"responseIdentifier": "RESPONSE_SYMBOLIC",
                                                          "expectedLines": "6"})
    processing = _sub(root, "responseProcessing")
    for position, (question, _) in enumerate(numbered, start=1):
        answer = answers[question.name]
        condition = _sub(_sub(processing, "responseCondition"), "responseIf")
        equal = _sub(condition, "equal", {"toleranceMode": "absolute", "tolerance": _number(exam.accepted(answer))})
        _sub(equal, "variable", {"identifier": f"RESPONSE_{position}"})
        _sub(equal, "correct", {"identifier": f"RESPONSE_{position}"})
        add = _sub(_sub(condition, "setOutcomeValue", {"identifier": "SCORE"}), "sum")
        _sub(add, "variable", {"identifier": "SCORE"})
        _sub(add, "baseValue", {"baseType": "float"}, _number(answer.points))
    feedback = _sub(processing, "setOutcomeValue", {"identifier": "FEEDBACK"})
    _sub(feedback, "baseValue", {"baseType": "identifier"}, "SOLUTION")
    modal = _sub(root, "modalFeedback", {"outcomeIdentifier": "FEEDBACK", "showHide": "show",
                                         "identifier": "SOLUTION"})
    modal.extend(_html(page.solution))
    return root


def assessment_test(exam: ExamExport, items: list[str]) -> ET.Element:
    """The test: one part, one section selecting one of the variant items per candidate."""
    root = ET.Element(_q("assessmentTest"), {"xmlns": QTI, f"{{{XSI}}}schemaLocation": f"{QTI} {QTI_XSD}",
                                             "identifier": f"exam_seed_{exam.seed}", "title": exam.title})
    score = _sub(root, "outcomeDeclaration", {"identifier": "SCORE", "cardinality": "single", "baseType": "float"})
    _sub(_sub(score, "defaultValue"), "value", text="0.0")
    part = _sub(root, "testPart", {"identifier": "part", "navigationMode": "nonlinear", "submissionMode": "simultaneous"})
    section = _sub(part, "assessmentSection", {"identifier": "variants", "title": exam.title, "visible": "true"})
    _sub(section, "selection", {"select": "1"})
    for path in items:
        _sub(section, "assessmentItemRef", {"identifier": path.removeprefix("items/").removesuffix(".xml"),
                                            "href": path})
    total = _sub(_sub(_sub(root, "outcomeProcessing"), "setOutcomeValue", {"identifier": "SCORE"}), "sum")
    _sub(total, "testVariables", {"variableIdentifier": "SCORE"})
    return root


def content_manifest(exam: ExamExport, items: list[str]) -> ET.Element:
    """imsmanifest.xml: a resource per item and for the test, the diagram as web content they depend on."""
    def cp(tag):
        return tag

    root = ET.Element(cp("manifest"), {"xmlns": CP, "identifier": f"symbackprop_exam_{exam.seed}",
                                       f"{{{XSI}}}schemaLocation": CP_XSD})
    metadata = ET.SubElement(root, cp("metadata"))
    ET.SubElement(metadata, cp("schema")).text = "QTIv2.1 Package"
    ET.SubElement(metadata, cp("schemaversion")).text = "1.0.0"
    ET.SubElement(root, cp("organizations"))
    resources = ET.SubElement(root, cp("resources"))
    test = ET.SubElement(resources, cp("resource"), {"identifier": "test", "type": "imsqti_test_xmlv2p1",
                                                     "href": "test.xml"})
    ET.SubElement(test, cp("file"), {"href": "test.xml"})
    for path in items:
        ET.SubElement(test, cp("dependency"), {"identifierref": _resource_id(path)})
    for path in items:
        resource = ET.SubElement(resources, cp("resource"), {"identifier": _resource_id(path),
                                                             "type": "imsqti_item_xmlv2p1", "href": path})
        ET.SubElement(resource, cp("file"), {"href": path})
        ET.SubElement(resource, cp("dependency"), {"identifierref": "diagram"})
    diagram = ET.SubElement(resources, cp("resource"), {"identifier": "diagram", "type": "webcontent",
                                                        "href": DIAGRAM_FILE})
    ET.SubElement(diagram, cp("file"), {"href": DIAGRAM_FILE})
    return root


def _resource_id(path: str) -> str:
    return "item_" + path.removeprefix("items/").removesuffix(".xml")
