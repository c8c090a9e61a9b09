"""Shared test options: --update-golden rewrites golden files; TeX tests skip locally without latexmk, and the web
tests without the web extra (in CI both must run)."""
import importlib.util
import os
import shutil

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# the web checker's tests need the web extra (pip install -e ".[test,web]"); without it they are not collected
collect_ignore = ["web"] if importlib.util.find_spec("starlette") is None and not IN_CI else []


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the expected files under tests/golden/ from the current output")


@pytest.fixture
def update_golden(request) -> bool:
    """True when golden files should be rewritten instead of compared."""
    return request.config.getoption("--update-golden")


def pytest_collection_modifyitems(config, items):
    if shutil.which("latexmk") and shutil.which("pdflatex"):
        return
    if os.environ.get("CI"):
        return  # in CI a missing TeX must fail the compile tests, not skip them
    skip = pytest.mark.skip(reason="latexmk/pdflatex not installed (they run in CI)")
    for item in items:
        if "tex" in item.keywords:
            item.add_marker(skip)
