"""The decks a lecturer uses, compiled: no overfull box, a length a lecture can use, every frame filled.

The corpus: the examples (the default 2-3-2, the single neuron, the 3-layer ReLU network, the 4-6-6-3 softmax
classifier) in both languages. Fill is read from the PDF: the height the words of a frame span, between the
frame title and the footline, over the height available there."""
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from symbackprop.cli import main

pytestmark = pytest.mark.tex
EXAMPLES = Path(__file__).parent.parent / "examples"
DECKS = {  # name -> spec (None: the built-in default), most frames allowed
    "default": (None, 24),
    "single_neuron": (EXAMPLES / "single_neuron.toml", 24),
    "relu_3layer": (EXAMPLES / "relu_3layer.toml", 30),
    "softmax_4663": (EXAMPLES / "softmax_4663.toml", 40),
}
LANGUAGES = ("en", "pt-BR")
TITLE_BAND = 0.1  # the frame title's share of the page height (beamer, 16:9)
FOOT_BAND = 0.05


def _compile(folder: Path) -> tuple[Path, str]:
    subprocess.run(["latexmk", "-pdf", "-norc", "-interaction=nonstopmode", "-halt-on-error", "slides.tex"],
                   cwd=folder, capture_output=True, check=True, timeout=600)
    return folder / "slides.pdf", (folder / "slides.log").read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    folders = {}
    for name, (spec, _) in DECKS.items():
        for lang in LANGUAGES:
            folder = tmp_path_factory.mktemp(f"{name}-{lang}")
            assert main(["slides", *([str(spec)] if spec else []), "--lang", lang, "-o", str(folder)]) == 0
            folders[name, lang] = folder
    with ThreadPoolExecutor(max_workers=2) as pool:
        built = dict(zip(folders, pool.map(_compile, folders.values())))
    return built


def page_fills(pdf: Path) -> list[float]:
    """Per page: the share of the height between title band and footline that the words span."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    fills = []
    for page in re.findall(r"<page (.*?)</page>", xml, re.S):
        height = float(re.search(r'height="([0-9.]+)"', page).group(1))
        top, bottom = height * TITLE_BAND, height * (1 - FOOT_BAND)
        ys = [(float(a), float(b)) for a, b in re.findall(r'yMin="([0-9.]+)" xMax="[0-9.]+" yMax="([0-9.]+)"', page)]
        inside = [(a, b) for a, b in ys if a >= top and b <= bottom]
        fills.append((max(b for _, b in inside) - min(a for a, _ in inside)) / (bottom - top) if inside else 0.0)
    return fills


LATEX_SIZES = (5, 6, 7, 8, 9, 10, 10.95, 12, 14.4, 17.28, 20.74, 24.88)  # every size \\tiny..\\Huge and the
# math script sizes of an 11pt beamer deck; a frame scaled to fit prints its glyphs at some other size
BODY = 10.95


def font_sizes(pdf: Path) -> list[set[float]]:
    """Per page: the sizes (pt) at which its glyphs are printed, transformation matrices included."""
    layout = pytest.importorskip("pdfminer.layout")
    from pdfminer.high_level import extract_pages

    def chars(box):
        if isinstance(box, layout.LTChar):
            yield box
        elif isinstance(box, layout.LTContainer):
            for inner in box:
                yield from chars(inner)
    return [{round(char.size, 2) for char in chars(page)} for page in extract_pages(str(pdf))]


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", list(DECKS))
def test_no_overfull_box(decks, name, lang):
    _, log = decks[name, lang]
    assert "Overfull" not in log, re.findall(r"Overfull.*", log)[:3]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", list(DECKS))
def test_length_a_lecture_can_use(decks, name, lang):
    pdf, _ = decks[name, lang]
    assert _pages(pdf) <= DECKS[name][1]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", list(DECKS))
def test_every_content_frame_at_least_a_third_full(decks, name, lang):
    pdf, _ = decks[name, lang]
    fills = page_fills(pdf)[1:]  # the title page is centred by design
    thin = [(page + 2, round(fill, 2)) for page, fill in enumerate(fills) if fill < 1 / 3]
    assert not thin, f"frames under a third full (page, fill): {thin}"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", list(DECKS))
def test_no_frame_is_scaled(decks, name, lang):
    """Every glyph of every page at a size LaTeX sets for an 11pt deck: nothing was shrunk (or blown up) to fit,
    the body text and math at 10.95pt, sub- and superscripts at their script sizes, nothing under 6pt."""
    pdf, _ = decks[name, lang]
    sizes = font_sizes(pdf)
    off = [(page + 1, size) for page, found in enumerate(sizes) for size in sorted(found)
           if not any(abs(size - standard) < 0.1 for standard in LATEX_SIZES)]
    assert not off, f"glyphs at a scaled size (page, pt): {off[:5]}"
    assert min(min(found) for found in sizes if found) > 5.9
    assert all(any(abs(size - BODY) < 0.06 or size > BODY for size in found) for found in sizes[1:] if found)


def test_a_scaled_frame_is_seen(tmp_path):
    """The size measure itself: a frame shrunk by \\scalebox prints its glyphs at a size LaTeX never sets."""
    if not shutil.which("pdflatex"):
        pytest.skip("pdflatex not installed")
    (tmp_path / "t.tex").write_text(r"""\documentclass[aspectratio=169,11pt]{beamer}
\begin{document}\begin{frame}{T}body\end{frame}\begin{frame}{T}\scalebox{0.7}{shrunk}\end{frame}\end{document}""")
    subprocess.run(["pdflatex", "-interaction=nonstopmode", "t.tex"], cwd=tmp_path, capture_output=True, check=True)
    plain, scaled = font_sizes(tmp_path / "t.pdf")
    assert all(any(abs(size - standard) < 0.1 for standard in LATEX_SIZES) for size in plain)
    assert any(all(abs(size - standard) >= 0.1 for standard in LATEX_SIZES) for size in scaled)


def test_fill_is_read_from_the_pdf(tmp_path):
    """The fill measure itself: a page with text from top to bottom is full, one line is nearly empty."""
    if not shutil.which("pdflatex"):
        pytest.skip("pdflatex not installed")
    (tmp_path / "t.tex").write_text(r"""\documentclass[aspectratio=169]{beamer}\setbeamertemplate{navigation symbols}{}
\begin{document}\begin{frame}{T}one line\end{frame}
\begin{frame}[t]{T}a\par\vspace{0.6\textheight}b\end{frame}\end{document}""")
    subprocess.run(["pdflatex", "-interaction=nonstopmode", "t.tex"], cwd=tmp_path, capture_output=True, check=True)
    sparse, full = page_fills(tmp_path / "t.pdf")
    assert sparse < 0.1 and 0.5 < full < 0.95
