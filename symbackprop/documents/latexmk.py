"""Compile a .tex file to PDF with latexmk in a private build folder; failures raise LatexBuildError with the
first TeX error. No latexmkrc is read and TeX sees only the copied .tex, never the other files of its folder."""
import os
import re
import shutil
import subprocess
from pathlib import Path

from symbackprop.errors import LatexBuildError, TexNotInstalledError
from symbackprop.files.writing import build_folder, install_file, write_atomic

DEBIAN_PACKAGES = ("texlive-latex-base texlive-latex-recommended texlive-latex-extra texlive-pictures "
                   "texlive-fonts-recommended texlive-lang-portuguese latexmk")
INSTALL_HINT = f"PDF output needs latexmk and pdflatex; on Debian/Ubuntu: sudo apt-get install {DEBIAN_PACKAGES}"
TIMEOUT = 300  # seconds
PDFLATEX = "pdflatex -no-shell-escape -interaction=nonstopmode -halt-on-error %O %S"


def require_tex() -> None:
    """Fail with the one-line install hint when latexmk or pdflatex is missing."""
    if shutil.which("latexmk") is None or shutil.which("pdflatex") is None:
        raise TexNotInstalledError(INSTALL_HINT)


def first_error(log: str) -> str:
    """The first `! ...` error of a TeX log with its `l.NN` line and the token TeX stopped after, e.g.
    "Undefined control sequence. (line 31: \\end{frame}; after \\undefinedcommand)"."""
    lines = log.splitlines()
    for index, line in enumerate(lines):
        if not line.startswith("! "):
            continue
        message, near = line[2:].strip(), ""
        for later in lines[index + 1:index + 40]:
            match = re.match(r"l\.(\d+) ?(.*)", later)
            if match:
                where = f"line {match.group(1)}" + (f": {match.group(2).strip()}" if match.group(2).strip() else "")
                return f"{message} ({where}" + (f"; after {near}" if near else "") + ")"
            tokens = re.sub(r"^<[^>]*>\s*", "", later.strip()).split()
            if not near and tokens:
                near = tokens[-1]
        return message
    return "latexmk failed without a TeX error message"


def build_pdf(tex_path: str | Path) -> Path:
    """Compile tex_path; the PDF appears beside it only when the build succeeded (the .tex stays).

    The build runs on a copy of the .tex in a fresh private folder of the system's temporary folder
    (.symbackprop-build-PID-XXXX, removed afterwards, or by the next build when this one is killed) with
    latexmk -norc and pdflatex without shell escape, so that a latexmkrc, .sty or .cls planted beside the .tex is
    never read."""
    require_tex()
    tex_path = Path(tex_path).resolve()
    folder, stem = tex_path.parent, tex_path.stem
    target = folder / f"{stem}.pdf"
    target.unlink(missing_ok=True)  # an older PDF never sits beside the new .tex, even if this run is killed
    env = {key: value for key, value in os.environ.items() if not key.startswith(("TEXINPUTS", "LATEXMK"))}
    env.update(SOURCE_DATE_EPOCH=os.environ.get("SOURCE_DATE_EPOCH", "0"),  # reproducible PDF dates
               openout_any="p", shell_escape="f")
    build = build_folder()
    try:
        shutil.copyfile(tex_path, build / tex_path.name)
        command = ["latexmk", "-norc", "-pdf", f"-pdflatex={PDFLATEX}", tex_path.name]
        try:
            result = subprocess.run(command, cwd=build, env=env, stdin=subprocess.DEVNULL,
                                    capture_output=True, text=True, errors="replace", timeout=TIMEOUT)
        except subprocess.TimeoutExpired as err:
            raise LatexBuildError(f"{tex_path.name}: latexmk did not finish in {TIMEOUT} s") from err
        log_file = build / f"{stem}.log"
        log = log_file.read_text(encoding="utf-8", errors="replace") if log_file.exists() else result.stdout
        pdf = build / f"{stem}.pdf"
        if result.returncode != 0 or not pdf.exists():
            kept = folder / f"{stem}.log"
            write_atomic(kept, log)
            raise LatexBuildError(f"{tex_path}: {first_error(log)} (full log: {kept})")
        install_file(pdf, target)
        (folder / f"{stem}.log").unlink(missing_ok=True)  # a log left by an earlier failure
    finally:
        shutil.rmtree(build, ignore_errors=True)
    return target
