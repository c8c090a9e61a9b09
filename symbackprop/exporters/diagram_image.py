"""The network diagram as a standalone SVG image (the web page's shapes, labels as SVG text) for the online formats."""
import html
import re

from symbackprop.web import svg

FONT = "font-family=\"serif\" text-anchor=\"middle\" dominant-baseline=\"central\""
FILLS = {"input": "#e8eefc", "hidden": "#fcecd9", "output": "#dcf3dc"}
ACCENTS = {r"\hat": "\u0302", r"\bar": "\u0304", r"\tilde": "\u0303"}
SCRIPT = re.compile(r"([\^_])(\{[^{}]*\}|.)")
ACCENT = re.compile(r"\\(hat|bar|tilde)\{(.)\}")
NAMES = {r"\sigma": "σ", r"\delta": "δ", r"\eta": "η", r"\alpha": "α", r"\cdot": "·", r"\,": " ", r"\;": " "}


def _math(tex: str) -> str:
    """LaTeX of a label (w^{0}_{1,2}, \\hat{y}^{1}_{0}) as SVG text: scripts as shifted tspans."""
    tex = ACCENT.sub(lambda m: m.group(2) + ACCENTS["\\" + m.group(1)], tex)
    for name, char in NAMES.items():
        tex = tex.replace(name, char)
    out, position = [], 0
    for match in SCRIPT.finditer(tex):
        out.append(html.escape(tex[position:match.start()].replace("{", "").replace("}", "")))
        shift = "super" if match.group(1) == "^" else "sub"
        body = match.group(2).strip("{}")
        out.append(f'<tspan baseline-shift="{shift}" font-size="70%">{html.escape(body)}</tspan>')
        position = match.end()
    out.append(html.escape(tex[position:].replace("{", "").replace("}", "")))
    return "".join(out)


def _text(text: str) -> str:
    """Catalogue text with math in $...$ as SVG text."""
    parts = re.split(r"(?<!\\)\$", text)
    return "".join(_math(part) if position % 2 else html.escape(part) for position, part in enumerate(parts))


def diagram_svg(network, captions: dict[str, str], alt: str) -> bytes:
    """The diagram as an SVG file: edges, units, weight and bias labels, column captions; deterministic bytes."""
    d = svg.shapes(network, captions)
    lines = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{d["width"]}" height="{d["height"]}" '
             f'viewBox="0 0 {d["width"]} {d["height"]}" role="img" aria-label="{html.escape(alt)}">',
             f"<title>{html.escape(alt)}</title>", '<rect width="100%" height="100%" fill="white"/>']
    lines += [f'<line x1="{e["x1"]}" y1="{e["y1"]}" x2="{e["x2"]}" y2="{e["y2"]}" stroke="#555" stroke-width="1.2"/>'
              for e in d["edges"]]
    for n in d["nodes"]:
        lines.append(f'<circle cx="{n["cx"]}" cy="{n["cy"]}" r="{n["r"]}" fill="{FILLS.get(n["kind"], "white")}" '
                     f'stroke="black" stroke-width="1.5"/>')
        lines.append(f'<text x="{n["cx"]}" y="{n["cy"]}" font-size="15" {FONT}>{_math(n["label"]["tex"])}</text>')
    for label in d["labels"]:
        x, y = label["x"] + label["width"] / 2, label["y"] + label["height"] / 2
        lines.append(f'<rect x="{label["x"]}" y="{label["y"]}" width="{label["width"]}" height="{label["height"]}" '
                     f'fill="white" opacity="0.85"/>')
        lines.append(f'<text x="{round(x, 1)}" y="{round(y, 1)}" font-size="12" {FONT}>{_math(label["tex"])}</text>')
    for column in d["columns"]:
        for row, line in enumerate(column["lines"]):
            lines.append(f'<text x="{column["x"]}" y="{round(column["y"] + 8 + 18 * row, 1)}" font-size="13" '
                         f'{FONT}>{_text(line)}</text>')
    lines.append("</svg>")
    return ("\n".join(lines) + "\n").encode("utf-8")
