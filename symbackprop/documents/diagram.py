"""The network diagram: unit positions, edges and non-overlapping weight and bias labels for TikZ."""
from dataclasses import dataclass

from symbackprop.model import symbols
from symbackprop.notation.course import CourseNotation
from symbackprop.notation.printer import tex
from symbackprop.model.spec import Network

RADIUS = 0.38  # node radius, cm
WEIGHT_LABEL = (0.60, 0.42)  # width, height of a \scriptsize weight label such as w^{0}_{1,2}, cm (measured)
BIAS_LABEL = (0.40, 0.40)
DIGIT = 0.12  # extra width per extra digit in an index, cm
CANDIDATES = (0.25, 0.75, 0.5, 0.35, 0.65, 0.2, 0.8, 0.42, 0.58, 0.3, 0.7, 0.15, 0.85)  # along an edge, preferred first
NEAR_SOURCE = (0.22, 0.18, 0.27, 0.32)  # crowded layers: labels where the edges into unit 0 are still apart
GAP = 0.08
SPACING = 1.9  # vertical distance between units, cm, at most
MAX_LABELLED = 12  # a layer with more weights than this labels only the weights into its first unit
HEIGHT = 3.9  # the tallest column spans at most this, cm


@dataclass(frozen=True)
class Node:
    """A unit: TikZ name, centre (cm), label in math, kind (input, hidden, output)."""

    id: str
    x: float
    y: float
    label: str
    kind: str

    @property
    def at(self) -> str:
        """The TikZ coordinate of the centre."""
        return f"({self.x:g},{self.y:g})"


@dataclass(frozen=True)
class Edge:
    """A weight: from node to node, its label (empty when not shown) at `pos` along the edge."""

    source: str
    target: str
    label: str
    pos: float
    highlight: bool

    @property
    def src(self) -> str:
        return f"({self.source})"

    @property
    def dst(self) -> str:
        return f"({self.target})"


@dataclass(frozen=True)
class Bias:
    """A bias label, drawn just above its unit."""

    node: str
    label: str

    @property
    def at(self) -> str:
        return f"({self.node}.north)"


@dataclass(frozen=True)
class Column:
    """A layer column: x position (cm) and its caption lines (LaTeX)."""

    x: float
    y: float
    lines: tuple[str, ...]

    @property
    def at(self) -> str:
        return f"({self.x:g},{self.y:g})"


@dataclass(frozen=True)
class Diagram:
    """Everything the TikZ template draws."""

    nodes: list[Node]
    edges: list[Edge]
    biases: list[Bias]
    columns: list[Column]
    all_weights_labelled: bool
    weight_symbol: str  # the generic weight w^{l}_{i,j} (w^{l}_{j,i} in the column convention)
    bias_symbol: str
    first_layer: int


def _box(x: float, y: float, size: tuple[float, float]) -> tuple[float, float, float, float]:
    w, h = size
    return (x - w / 2, y - h / 2, x + w / 2, y + h / 2)


def _overlap(a, b) -> bool:
    return not (a[2] + GAP <= b[0] or b[2] + GAP <= a[0] or a[3] + GAP <= b[1] or b[3] + GAP <= a[1])


def _hits_node(box, nodes: list[Node]) -> bool:
    for node in nodes:
        nearest_x = min(max(node.x, box[0]), box[2])
        nearest_y = min(max(node.y, box[1]), box[3])
        if (nearest_x - node.x) ** 2 + (nearest_y - node.y) ** 2 < (RADIUS + GAP) ** 2:
            return True
    return False


def _crosses(box, a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether the segment a-b passes through the box (Liang-Barsky clipping)."""
    (x0, y0), (x1, y1) = a, b
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0)):
        if p == 0:
            if q < 0:
                return False
            continue
        r = q / p
        if p < 0:
            low = max(low, r)
        else:
            high = min(high, r)
        if low > high:
            return False
    return True


def _place(pairs, position, nodes, taken, segments, candidates=CANDIDATES) -> list[float] | None:
    """A position along each (source, target) edge: clear of nodes and other labels, crossing the fewest
    other edges; None when some edge has no clear position."""
    chosen, boxes = [], list(taken)
    for pair in pairs:
        best = None
        for rank, t in enumerate(candidates):
            box = _box(*position(*pair, t), WEIGHT_LABEL)
            if _hits_node(box, nodes) or any(_overlap(box, other) for other in boxes):
                continue
            crossings = sum(_crosses(box, *segment) for other, segment in segments.items() if other != pair)
            score = (crossings, rank)
            if best is None or score < best[0]:
                best = (score, t, box)
        if best is None:
            return None
        chosen.append(best[1])
        boxes.append(best[2])
    return chosen


def layout(network: Network, captions: dict[str, str]) -> Diagram:
    """Positions and labels for a network; captions holds the catalogue's input, layer and output words."""
    columns_units = list(network.layers)
    depth = network.depth
    spacings = [SPACING if units <= 1 else min(SPACING, HEIGHT / (units - 1)) for units in columns_units]
    distance = min(5.4, 12.0 / depth)
    nodes: dict[tuple[int, int], Node] = {}
    for c, units in enumerate(columns_units):
        spacing = spacings[c]
        for i in range(units):
            y = round(((units - 1) / 2 - i) * spacing, 3)
            if c == 0:
                label, kind = tex(symbols.x(i), network), "input"
            else:
                label = tex(symbols.activation(c - 1, i), network)
                kind = "output" if c == depth else "hidden"
            nodes[(c, i)] = Node(f"n{c}x{i}", round(c * distance, 3), y, label, kind)
    node_list = list(nodes.values())

    def position(source, target, t):
        a, b = nodes[source], nodes[target]
        return a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)

    biases, taken, everything = [], [], True
    for c in range(1, depth + 1):
        roomy = spacings[c] >= 2 * RADIUS + BIAS_LABEL[1] + 2 * GAP
        everything = everything and roomy
        for j in range(columns_units[c] if roomy else 1):
            node = nodes[(c, j)]
            biases.append(Bias(node.id, tex(symbols.bias(c - 1, j), network)))
            taken.append(_box(node.x, node.y + RADIUS + BIAS_LABEL[1] / 2, BIAS_LABEL))
    edges = []
    for layer in range(depth):
        pairs = [((layer, i), (layer + 1, j)) for j in range(columns_units[layer + 1])
                 for i in range(columns_units[layer])]
        segments = {pair: (position(*pair, 0.0), position(*pair, 1.0)) for pair in pairs}
        positions = _place(pairs, position, node_list, taken, segments) if len(pairs) <= MAX_LABELLED else None
        highlight = positions is None
        if positions is None:  # too crowded: label the weights into the first unit only
            everything = False
            shown = [pair for pair in pairs if pair[1][1] == 0]
            positions_shown = (_place(shown, position, node_list, taken, segments, NEAR_SOURCE)
                               or [NEAR_SOURCE[0]] * len(shown))
            placed = dict(zip(shown, positions_shown))
        else:
            placed = dict(zip(pairs, positions))
        for pair in pairs:
            (c, i), (_, j) = pair
            label = tex(symbols.weight(layer, i, j), network) if pair in placed else ""
            t = placed.get(pair, 0.5)
            if label:
                taken.append(_box(*position(*pair, t), WEIGHT_LABEL))
            edges.append(Edge(nodes[pair[0]].id, nodes[pair[1]].id, label, t, highlight and bool(label)))
    bottom = round(min(node.y for node in node_list) - RADIUS - 0.12, 3)
    note = CourseNotation(network)
    columns = [Column(0.0, bottom, (captions["input"], "$x$"))]
    for layer in range(depth):
        word = captions["output"] if layer == network.output_layer else f"{captions['layer']} ${note.n(layer)}$"
        formula = f"${note.act(layer)} = {note.layer('g', layer)}({note.layer('v', layer)})$"
        columns.append(Column(round((layer + 1) * distance, 3), bottom, (word, formula)))
    return Diagram(node_list, edges, biases, columns, everything, note.generic_weight(), "b^{l}_{j}", note.base)
