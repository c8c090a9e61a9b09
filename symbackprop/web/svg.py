"""The network diagram as SVG shapes, drawn from the same layout as the TikZ diagram (centimetres to pixels)."""
from symbackprop.documents import diagram

SCALE = 62.0  # pixels per centimetre
MARGIN = 34.0
CAPTION_HEIGHT = 62.0


def _label_box(x: float, y: float, size: tuple[float, float], grow: float = 1.35) -> dict:
    width, height = size[0] * SCALE * grow, size[1] * SCALE * grow
    return {"x": round(x - width / 2, 1), "y": round(y - height / 2, 1), "width": round(width, 1),
            "height": round(height, 1)}


def shapes(network, captions: dict[str, str]) -> dict:
    """Circles, lines and label boxes (LaTeX in `tex`) of the diagram, in SVG pixel coordinates."""
    layout = diagram.layout(network, captions)
    left = min(n.x for n in layout.nodes) - diagram.RADIUS
    top = max(n.y for n in layout.nodes) + diagram.RADIUS + diagram.BIAS_LABEL[1]
    bottom = min(n.y for n in layout.nodes) - diagram.RADIUS
    right = max(n.x for n in layout.nodes) + diagram.RADIUS

    def px(x: float, y: float) -> tuple[float, float]:
        return round((x - left) * SCALE + MARGIN, 1), round((top - y) * SCALE + MARGIN, 1)

    centre = {n.id: px(n.x, n.y) for n in layout.nodes}
    radius = round(diagram.RADIUS * SCALE, 1)
    nodes = [{"id": n.id, "cx": centre[n.id][0], "cy": centre[n.id][1], "r": radius, "kind": n.kind,
              "label": {**_label_box(*centre[n.id], (diagram.RADIUS * 1.3, diagram.RADIUS * 1.1), 1.0), "tex": n.label}}
             for n in layout.nodes]
    edges, labels = [], []
    for e in layout.edges:
        (x1, y1), (x2, y2) = centre[e.source], centre[e.target]
        edges.append({"x1": x1, "y1": y1, "x2": x2, "y2": y2})
        if e.label:
            at = (x1 + e.pos * (x2 - x1), y1 + e.pos * (y2 - y1))
            labels.append({**_label_box(*at, diagram.WEIGHT_LABEL), "tex": e.label, "kind": "weight"})
    for b in layout.biases:
        cx, cy = centre[b.node]
        at = (cx, cy - radius - diagram.BIAS_LABEL[1] * SCALE / 2)
        labels.append({**_label_box(*at, diagram.BIAS_LABEL), "tex": b.label, "kind": "bias"})
    height = (top - bottom) * SCALE + 2 * MARGIN + CAPTION_HEIGHT
    columns = [{"x": px(c.x, 0)[0], "y": round((top - bottom) * SCALE + MARGIN + 14, 1), "lines": list(c.lines)}
               for c in layout.columns]
    return {"width": round((right - left) * SCALE + 2 * MARGIN, 1), "height": round(height, 1), "nodes": nodes,
            "edges": edges, "labels": labels, "columns": columns}
