"""The model and the numbers import only downward: spec -> model -> derivation -> (numbers | notation)."""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "symbackprop"
ABOVE_THE_MODEL = ("numeric", "notation", "documents", "exams", "checking", "commands", "api", "cli")
ABOVE_THE_NUMBERS = ("notation", "documents", "exams", "checking", "commands", "api", "cli")


def imported_modules(path: Path) -> set[str]:
    """Every symbackprop module a file imports, at any depth of the file (lazy imports included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("symbackprop"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("symbackprop"))
    return found


def upward(path: Path, above: tuple[str, ...]) -> list[str]:
    return sorted(m for m in imported_modules(path) if m.split(".")[1] in above)


@pytest.mark.parametrize("path", sorted((PACKAGE / "model").rglob("*.py")), ids=lambda p: p.name)
def test_the_model_imports_nothing_above_it(path):
    assert upward(path, ABOVE_THE_MODEL) == []


@pytest.mark.parametrize("path", sorted((PACKAGE / "numeric").rglob("*.py")), ids=lambda p: p.name)
def test_the_numbers_import_neither_notation_nor_documents(path):
    assert upward(path, ABOVE_THE_NUMBERS) == []


def test_the_scanner_sees_a_lazy_upward_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from symbackprop.notation.printer import tex\n    return tex\n")
    assert upward(sample, ABOVE_THE_MODEL) == ["symbackprop.notation.printer", "symbackprop.notation.printer.tex"]


OWN_MODEL_MODULES = ("derivation.py", "chain_graph.py", "points.py", "differences.py")
ENGINE_MODULES = [*(PACKAGE / "numeric").glob("*.py"), PACKAGE / "api.py", PACKAGE / "notation" / "derivation_tex.py",
                  *(PACKAGE / "model" / name for name in OWN_MODEL_MODULES)]


def test_no_module_of_the_derivation_or_the_numbers_is_over_400_lines():
    sizes = {path.name: len(path.read_text(encoding="utf-8").splitlines()) for path in ENGINE_MODULES}
    assert len(sizes) >= 12 and {name: n for name, n in sizes.items() if n > 400} == {}
