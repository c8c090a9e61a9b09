"""The network diagram: labels never overlap each other or the units, for up to 6 units per layer."""
import itertools

import pytest

from symbackprop.documents import diagram
from symbackprop.notation import catalogue
from symbackprop.documents.templating import render
from symbackprop.model.spec import Network

CAPTIONS = catalogue.catalogue("en")["diagram"]
SHAPES = [(1, 1), (2, 3, 2), (2, 3, 3, 1), (3, 4, 2), (4, 5, 3), (3, 6, 6, 2), (6, 6, 6), (2, 4, 4, 4, 2), (6, 1)]


def net(layers, convention="row", base=0):
    return Network(tuple(layers), ("sigmoid",) * (len(layers) - 1), "mse", convention, base)


def label_boxes(d: diagram.Diagram):
    nodes = {node.id: node for node in d.nodes}
    boxes = []
    for edge in d.edges:
        if edge.label:
            a, b = nodes[edge.source], nodes[edge.target]
            x, y = a.x + edge.pos * (b.x - a.x), a.y + edge.pos * (b.y - a.y)
            boxes.append(diagram._box(x, y, diagram.WEIGHT_LABEL))
    for bias in d.biases:
        node = nodes[bias.node]
        boxes.append(diagram._box(node.x, node.y + diagram.RADIUS + diagram.BIAS_LABEL[1] / 2, diagram.BIAS_LABEL))
    return boxes


@pytest.mark.parametrize("layers", SHAPES)
def test_labels_do_not_overlap(layers):
    d = diagram.layout(net(layers), CAPTIONS)
    boxes = label_boxes(d)
    for a, b in itertools.combinations(boxes, 2):
        assert not diagram._overlap(a, b)
    weight_boxes = boxes[:sum(1 for e in d.edges if e.label)]
    for box in weight_boxes:
        assert not diagram._hits_node(box, d.nodes)


@pytest.mark.parametrize("layers", SHAPES)
def test_every_edge_drawn_every_layer_labelled(layers):
    d = diagram.layout(net(layers), CAPTIONS)
    assert len(d.edges) == sum(a * b for a, b in zip(layers, layers[1:]))
    for layer in range(len(layers) - 1):
        labels = [e.label for e in d.edges if e.source.startswith(f"n{layer}x") and e.label]
        assert labels, f"layer {layer} has no weight label"


def test_course_network_labels_every_weight_and_bias():
    d = diagram.layout(net((2, 3, 2)), CAPTIONS)
    assert d.all_weights_labelled
    assert sorted(e.label for e in d.edges)[:2] == ["w^{0}_{0,0}", "w^{0}_{0,1}"]
    assert [b.label for b in d.biases] == ["b^{0}_{0}", "b^{0}_{1}", "b^{0}_{2}", "b^{1}_{0}", "b^{1}_{1}"]
    assert [n.label for n in d.nodes if n.kind == "output"] == [r"\hat{y}^{1}_{0}", r"\hat{y}^{1}_{1}"]


def test_crowded_layers_label_the_first_unit():
    d = diagram.layout(net((6, 6, 6)), CAPTIONS)
    assert not d.all_weights_labelled
    assert {e.target for e in d.edges if e.label} == {"n1x0", "n2x0"}
    assert all(e.highlight for e in d.edges if e.label)


def test_notation_options_reach_the_labels():
    d = diagram.layout(net((2, 2), convention="column", base=1), CAPTIONS)
    assert "w^{1}_{2,1}" in {e.label for e in d.edges}  # from unit 1 (x_1) to unit 2, written w_{j,i}
    assert d.weight_symbol == "w^{l}_{j,i}" and d.first_layer == 1


def test_template_draws_nodes_edges_and_captions():
    d = diagram.layout(net((2, 3, 2)), CAPTIONS)
    tex = render("diagram.tex.j2", {"diagram": d})
    assert tex.count(r"\node[hidden") == 3 and tex.count(r"\draw[") == 12 and "input" in tex
