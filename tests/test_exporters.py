"""The output pipeline: formats from one table, atomic writes, stale files of unasked formats removed."""
import types

from symbackprop.exporters import EXPORTERS
from symbackprop.exporters.pipeline import publish
from symbackprop.exporters.publication import Publication

def _publication(tmp_path, **extra):
    templates = tmp_path / "templates"
    templates.mkdir(exist_ok=True)
    (templates / "tiny.tex.j2").write_text(r"\emph{((( word )))}")
    return Publication({"tiny.tex": "tiny.tex.j2"}, {"word": "hello"}, ("tiny.tex",), str(templates), **extra)

def test_the_table_names_every_built_in_format():
    assert sorted(EXPORTERS) == ["canvas", "manifest", "moodle", "pdf", "prairielearn", "qti", "tex"]

def test_tex_is_rendered_and_an_old_pdf_of_another_tex_is_removed(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "tiny.pdf").write_bytes(b"%PDF-old")
    published = publish(_publication(tmp_path), out, ["tex"])
    assert (out / "tiny.tex").read_text() == r"\emph{hello}"
    assert published.written == [out / "tiny.tex"]
    assert published.removed == [out / "tiny.pdf"] and not (out / "tiny.pdf").exists()

def test_manifest_and_moodle_are_written_only_when_asked_and_removed_otherwise(tmp_path):
    out = tmp_path / "out"
    calls = []

    def quiz():
        calls.append(1)
        return "<quiz>ü</quiz>".encode()

    publication = _publication(tmp_path, manifest={"seed": 3, "variants": []}, quiz=quiz)
    publish(publication, out, ["tex", "manifest", "moodle"])
    assert (out / "moodle.xml").read_text(encoding="utf-8") == "<quiz>ü</quiz>"
    assert '"seed": 3' in (out / "manifest.json").read_text()
    published = publish(publication, out, ["tex", "manifest"])
    assert not (out / "moodle.xml").exists() and published.removed == [out / "moodle.xml"]
    assert calls == [1]  # the quiz is made only for the run that asks for it

def test_a_new_format_is_one_module_and_one_table_entry(tmp_path, monkeypatch):
    markdown = types.SimpleNamespace(
        NAME="markdown", BUILDS=False,
        files=lambda publication: ["tiny.md"],
        texts=lambda publication: {"tiny.md": f"*{publication.context['word']}*\n"})
    monkeypatch.setitem(EXPORTERS, "markdown", markdown)
    out = tmp_path / "out"
    publish(_publication(tmp_path), out, ["tex", "markdown"])
    assert (out / "tiny.md").read_text() == "*hello*\n"
    publish(_publication(tmp_path), out, ["tex"])
    assert not (out / "tiny.md").exists()

def test_a_format_may_write_bytes_into_a_folder_of_its_own(tmp_path, monkeypatch):
    elsewhere = tmp_path / "question"
    package = types.SimpleNamespace(
        NAME="package", BUILDS=False,
        files=lambda publication: [],
        destination=lambda publication: elsewhere,
        texts=lambda publication: {"data.zip": b"PK\x03\x04\x00\xff"})
    monkeypatch.setitem(EXPORTERS, "package", package)
    out = tmp_path / "out"
    published = publish(_publication(tmp_path), out, ["tex", "package"])
    assert (elsewhere / "data.zip").read_bytes() == b"PK\x03\x04\x00\xff"
    assert published.written == [out / "tiny.tex", elsewhere / "data.zip"]
    assert not (out / "data.zip").exists()
