"""The built wheel ships the templates and locales: `symbackprop slides` works from a fresh virtual environment."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).parent.parent


def dependency_paths() -> list[str]:
    """Where this interpreter finds symbackprop's dependencies (the fresh venv reuses them; no download)."""
    import jinja2
    import lark
    import markupsafe
    import mpmath
    import numpy
    import sympy
    return sorted({str(Path(module.__file__).resolve().parent.parent)
                   for module in (jinja2, lark, markupsafe, mpmath, numpy, sympy)})


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("wheel")
    wheels = root / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q", "-w", str(wheels)],
                   check=True, cwd=root)
    (wheel,) = wheels.glob("symbackprop-*.whl")
    env_dir = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    Path(purelib, "symbackprop_test_deps.pth").write_text("\n".join(dependency_paths()) + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
                   check=True)
    return env_dir


def test_wheel_install_writes_slides_outside_the_repo(venv, tmp_path):
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    result = subprocess.run([str(venv / "bin" / "symbackprop"), "slides", "-o", "out", "--lang", "pt-BR"],
                            cwd=work, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    text = (work / "out" / "slides.tex").read_text(encoding="utf-8")
    assert r"\title{Backpropagation: a rede 2-3-2}" in text and "Arquitetura da rede" in text
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import symbackprop; print(symbackprop.__file__)"],
                           cwd=work, env=env, capture_output=True, text=True, check=True).stdout
    assert str(REPO) not in where  # the installed copy ran, not the checkout
