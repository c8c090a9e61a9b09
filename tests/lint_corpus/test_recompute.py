"""The public lint corpus: every recomputation agrees with its expected.toml, and every listed number is in the source."""
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent
DOCUMENTS = sorted(p.parent.name for p in CORPUS.glob("*/recompute.py"))
SPDX_NEEDING_TEXT = ("MIT", "BSD-2-Clause", "BSD-3-Clause", "Apache-2.0", "CC-BY-4.0", "CC-BY-SA-4.0", "GPL-3.0")


def expected(doc: str) -> dict:
    return tomllib.loads((CORPUS / doc / "expected.toml").read_text(encoding="utf-8"))


def source_lines(doc: str) -> list[str]:
    source = next(p for p in (CORPUS / doc).iterdir() if p.stem == "source")
    return source.read_text(encoding="utf-8").split("\n")


def test_the_corpus_has_documents():
    assert len(DOCUMENTS) >= 2


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_recompute_checks_itself(doc):
    run = subprocess.run([sys.executable, str(CORPUS / doc / "recompute.py")], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    errors = expected(doc).get("errors", [])
    assert run.stdout.rstrip().endswith(f"true errors") and f" {len(errors)} true errors" in run.stdout


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_every_listed_number_is_where_expected_toml_says(doc):
    lines = source_lines(doc)
    data = expected(doc)
    entries = data.get("errors", []) + data.get("correct", [])
    assert entries, "a corpus document lists its numbers"
    for entry in entries:
        text = lines[entry["line"] - 1]
        start = entry["col"] - 1
        assert text[start:start + len(entry["written"])] == entry["written"], (entry, text)
        before, after = text[start - 1:start] if start else "", text[start + len(entry["written"]):][:2]
        assert not re.match(r"[\d.A-Za-z_]", before) and not re.match(r"\d|[.,]\d", after), (entry, text)
        assert text[max(0, start - 2):start] != "_{", (entry, text)
        assert not (entry["written"].isdigit() and text[max(0, start - 2):start] == "{("), (entry, text)


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_errors_are_described(doc):
    places = set()
    for entry in expected(doc).get("errors", []):
        assert entry["kind"] in ("arithmetic", "derivative", "update", "definition", "consistent")
        assert entry["note"] and isinstance(entry["correct"], float)
        places.add((entry["line"], entry["col"]))
    correct = {(c["line"], c["col"]) for c in expected(doc).get("correct", [])}
    assert not places & correct, "one verdict per number"


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_provenance_and_licence(doc):
    provenance = tomllib.loads((CORPUS / doc / "PROVENANCE.toml").read_text(encoding="utf-8"))
    assert re.fullmatch(r"[\w.-]+/[\w.-]+", provenance["repository"])
    assert re.fullmatch(r"[0-9a-f]{40}", provenance["commit"])
    assert provenance["path"] and provenance["author"] and provenance["language"] in ("en", "es", "pt")
    assert provenance["format"] in ("md", "tex", "ipynb", "qmd", "Rmd")
    if provenance["licence"] in SPDX_NEEDING_TEXT:
        assert (CORPUS / doc / "LICENSE").read_text(encoding="utf-8").strip()
    assert "://" not in (CORPUS / doc / "PROVENANCE.toml").read_text(encoding="utf-8")


def test_readme_lists_every_document():
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    for doc in DOCUMENTS:
        assert f"`{doc}`" in readme
