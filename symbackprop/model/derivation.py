"""Chain-rule factors and closed forms for every W and b, element-wise and in matrix form."""
from functools import cached_property

import sympy

from symbackprop.model import functions, symbols
from symbackprop.errors import SettingError, SpecError
from symbackprop.model.quantities import Names, Quantity, quantity_symbol
from symbackprop.model.spec import Network, Spec

EXPAND_MAX_PARAMETERS = 60  # --expand writes leaf-symbol closed forms only up to this many parameters


_DENOMINATORS: dict[int, tuple] = {}  # id(expr) -> (expr, answer): factors repeat as the same objects


def _has_denominator(expr: sympy.Expr) -> bool:
    known = _DENOMINATORS.get(id(expr))
    if known is not None and known[0] is expr:
        return known[1]
    if len(_DENOMINATORS) > 4096:
        _DENOMINATORS.clear()
    answer = any(node.is_Pow and node.exp.is_negative for node in sympy.preorder_traversal(expr))
    _DENOMINATORS[id(expr)] = (expr, answer)
    return answer


def product(*factors) -> sympy.Expr:
    """factors multiplied as a slide writes them: numbers folded in front, the rest in the given order.

    Fractions are cancelled as a lecturer would (−y/ŷ · ŷ(1−ŷ) = −y(1−ŷ)) by factoring the product.
    """
    if any(_has_denominator(factor) for factor in factors):
        return sympy.factor(sympy.Mul(*factors))
    coefficient, rest = sympy.Integer(1), []
    for factor in factors:
        parts = factor.args if isinstance(factor, sympy.Mul) else (factor,)
        for part in parts:
            if part.is_Number:
                coefficient *= part
            else:
                rest.append(part)
    if coefficient == 0:
        return sympy.Integer(0)
    if not rest:
        return coefficient
    if coefficient == 1 and len(rest) == 1:
        return rest[0]
    head = [] if coefficient == 1 else [coefficient]
    return sympy.Mul(*head, *rest, evaluate=False)


class Derivation:
    """The symbolic network and the chain rule for every weight and bias, in the course notation."""

    def __init__(self, network: Network | Spec):
        self.spec = network if isinstance(network, Spec) else None
        self.network = network.network if isinstance(network, Spec) else network
        self.names = Names(self.network)
        net = self.network
        self.activations = functions.activations_of(net)
        self.loss = functions.loss_of(net)
        self.options = functions.options(net)
        self.expressions: dict[str, sympy.Expr] = {}  # every computed quantity's closed form
        self.graph: dict[str, tuple[tuple[str, ...], ...]] = {}  # chain-rule nodes: a sum of products of factors
        self._forward()
        self._backward()

    # -- forward -----------------------------------------------------------------------------------
    def inputs_of(self, layer: int) -> list[sympy.Symbol]:
        """The row vector feeding weight layer `layer`: x for layer 0, else the previous activations."""
        if layer == 0:
            return [symbols.x(i) for i in range(self.network.layers[0])]
        return [symbols.activation(layer - 1, i) for i in range(self.network.width(layer - 1))]

    def _forward(self) -> None:
        net, names = self.network, self.names
        for layer in range(net.depth):
            inputs = self.inputs_of(layer)
            v = [symbols.preactivation(layer, j) for j in range(net.width(layer))]
            for j in range(net.width(layer)):
                terms = [sympy.Mul(inputs[i], symbols.weight(layer, i, j), evaluate=False)
                         for i in range(len(inputs))]
                self.expressions[names.v(layer, j)] = sympy.Add(*terms, symbols.bias(layer, j), evaluate=False)
            entry = self.activations[layer]
            outputs = entry.expression(v, **self.options) if not entry.elementwise else [
                entry.expression(vj, **self.options) for vj in v]
            for j, output in enumerate(outputs):
                self.expressions[names.act(layer, j)] = output
        out = net.output_layer
        n_out = net.layers[-1]
        for k in range(n_out):
            term = self.loss.term(symbols.target(k), symbols.activation(out, k), n_out)
            self.expressions[names.loss_term(k)] = term
        self.expressions["L"] = sympy.Add(*[symbols.loss_term(k) for k in range(n_out)])

    # -- backward ----------------------------------------------------------------------------------
    def _local(self, layer: int, k: int, j: int) -> sympy.Expr:
        """dy^l_k/dv^l_j in the form a lecturer writes."""
        entry = self.activations[layer]
        outputs = [symbols.activation(layer, u) for u in range(self.network.width(layer))]
        if not entry.elementwise:
            return entry.jacobian(k, j, outputs)
        return entry.derivative(symbols.preactivation(layer, j), outputs[j], **self.options)

    def _link(self, name: str, *terms: tuple[str, ...]) -> None:
        """A chain-rule node: the sum over `terms` of the product of the named factors, and its closed form."""
        self.graph[name] = terms
        self.expressions[name] = sympy.Add(*[self._closed(term) for term in terms])

    def _closed(self, term: tuple[str, ...]) -> sympy.Expr:
        """The product of the factors' closed forms; a trailing factor of 1 (∂v/∂b) is left out."""
        rest = [self.expressions[f] for f in term[1:]]
        factors = [self.expressions[term[0]]] + [factor for factor in rest if factor is not sympy.S.One]
        return factors[0] if len(factors) == 1 else product(*factors)

    def _backward(self) -> None:
        net, names, e = self.network, self.names, self.expressions
        n_out = net.layers[-1]
        for layer in reversed(range(net.depth)):
            width = net.width(layer)
            vector = not self.activations[layer].elementwise
            for j in range(width):
                if layer == net.output_layer:
                    e[names.d_act(layer, j)] = self.loss.derivative(
                        symbols.target(j), symbols.activation(layer, j), n_out)
                else:
                    nxt = layer + 1
                    e[names.d_act(layer, j)] = sympy.Add(*[  # δ·w is already in canonical order: no evaluation
                        sympy.Mul(symbols.delta(nxt, k), symbols.weight(nxt, j, k), evaluate=False)
                        for k in range(net.width(nxt))])
            for j in range(width):
                sources = range(width) if vector else (j,)
                for k in sources:
                    e[names.local(layer, k, j)] = self._local(layer, k, j)
                self._link(names.d_v(layer, j), *[(names.d_act(layer, k), names.local(layer, k, j)) for k in sources])
                collapsed = self.loss.collapsed_delta.get(net.activations[layer]) if layer == net.output_layer else None
                if collapsed:  # the pair's δ in its simplified form, ŷ − y (what the chain's product reduces to)
                    e[names.d_v(layer, j)] = collapsed(symbols.target(j), symbols.activation(layer, j), n_out)
                for i, source in enumerate(self.inputs_of(layer)):
                    e[names.dv_weight(layer, i, j)] = source
                    self._link(names.d_weight(layer, i, j), (names.d_v(layer, j), names.dv_weight(layer, i, j)))
                e[names.dv_bias(layer, j)] = sympy.Integer(1)
                self._link(names.d_bias(layer, j), (names.d_v(layer, j), names.dv_bias(layer, j)))

    # -- queries -----------------------------------------------------------------------------------
    def quantity(self, name: str) -> Quantity:
        """Parse a quantity name of this network."""
        return self.names.parse(name)

    def expression(self, name: str, expand: bool = False) -> sympy.Expr:
        """The closed form of a named quantity, in the network's own symbols or (expand) the leaf symbols."""
        self.quantity(name)
        expr = self.expressions.get(name)
        if expr is None:  # a leaf: x, y, W, b
            expr = quantity_symbol(self.quantity(name))
        return self.expand(expr) if expand else expr

    def chain(self, name: str) -> list[str]:
        """The named factors whose product is the gradient `name` (dL/dW.. or dL/db..)."""
        q = self.quantity(name)
        if q.kind not in ("dL/dW", "dL/db"):
            raise SpecError(f"{name}: not a weight or bias gradient; chains exist for dL/dW.. and dL/db..")
        (delta, local), = self.graph[name]
        upstream = self.graph[delta]
        return (list(upstream[0]) if len(upstream) == 1 else [delta]) + [local]

    @cached_property
    def chains(self) -> dict[str, list[str]]:
        """Every gradient's chain of named factors, layer by layer from the output."""
        return {name: self.chain(name) for name in self.gradient_names()}

    def gradient(self, kind: str, layer: int, expand: bool = False) -> sympy.Matrix:
        """∂L/∂W^l or ∂L/∂b^l as a SymPy Matrix, shaped as the spec's convention writes W (layer is 0-based)."""
        net, names = self.network, self.names
        width = net.width(layer)
        if kind == "b":
            return sympy.Matrix([[self.expression(names.d_bias(layer, j), expand) for j in range(width)]])
        rows = [[self.expression(names.d_weight(layer, i, j), expand) for j in range(width)]
                for i in range(net.fan_in(layer))]
        matrix = sympy.Matrix(rows)
        return matrix if net.convention == "row" else matrix.T

    def gradient_names(self) -> list[str]:
        """Every dL/dW.. and dL/db.. name, layer by layer."""
        return [name for name in self.graph if self.names.table[name].kind in ("dL/dW", "dL/db")]

    def matrix_form(self, layer: int) -> dict[str, sympy.Matrix]:
        """The layer's vectors and matrices: δ^l, and ∂L/∂W^l = (y^{l-1})^T δ^l in the row convention."""
        net = self.network
        delta = sympy.Matrix([[symbols.delta(layer, j) for j in range(net.width(layer))]])
        inputs = sympy.Matrix([self.inputs_of(layer)])
        weights = sympy.Matrix(net.fan_in(layer), net.width(layer), lambda i, j: symbols.weight(layer, i, j))
        form = {"delta": delta, "inputs": inputs, "W": weights, "dW": inputs.T * delta, "db": delta}
        if layer < net.output_layer:
            nxt = sympy.Matrix(net.width(layer), net.width(layer + 1),
                               lambda j, k: symbols.weight(layer + 1, j, k))
            upstream = sympy.Matrix([[symbols.delta(layer + 1, k) for k in range(net.width(layer + 1))]])
            form["dL_dy"] = upstream * nxt.T
        return form

    def batch_form(self, layer: int) -> dict[str, sympy.MatrixExpr]:
        """The layer over a batch (rows are samples) as matrix products of named arrays.

        v: Y^{l-1} W^l (b^l is added to every row); dW: (Y^{l-1})^T Δ^l; upstream: ∂L/∂Y^{l-1} = Δ^l (W^l)^T.
        """
        rows = sympy.Symbol("B", integer=True, positive=True)
        n_in, n_out = self.network.fan_in(layer), self.network.width(layer)
        inputs = sympy.MatrixSymbol("X" if layer == 0 else f"Y{layer - 1}", rows, n_in)
        weights = sympy.MatrixSymbol(f"W{layer}", n_in, n_out)
        delta = sympy.MatrixSymbol(f"D{layer}", rows, n_out)
        return {"v": inputs * weights, "dW": inputs.T * delta, "upstream": delta * weights.T}

    # -- leaf expansion ----------------------------------------------------------------------------
    @cached_property
    def _leaf_map(self) -> dict:
        """Each intermediate symbol (v, y, δ) mapped to its expression in x, y, W, b."""
        net, names, e = self.network, self.names, self.expressions
        mapping: dict = {}
        for layer in range(net.depth):
            for j in range(net.width(layer)):
                mapping[symbols.preactivation(layer, j)] = e[names.v(layer, j)].xreplace(mapping)
            for j in range(net.width(layer)):
                act = e[names.act(layer, j)]
                mapping[symbols.activation(layer, j)] = act.xreplace(mapping)
        for layer in reversed(range(net.depth)):
            for j in range(net.width(layer)):
                mapping[symbols.delta(layer, j)] = e[names.d_v(layer, j)].xreplace(mapping)
        return mapping

    def expand(self, expr: sympy.Expr) -> sympy.Expr:
        """Rewrite an expression in the leaf symbols x, y, W, b (small networks only)."""
        if self.network.n_parameters > EXPAND_MAX_PARAMETERS:
            raise SettingError("expand", f"{self.network.n_parameters} parameters exceed the limit of "
                                         f"{EXPAND_MAX_PARAMETERS} for closed forms in the leaf symbols; use the "
                                         f"closed forms in the network's own symbols")
        return expr.xreplace(self._leaf_map)

    def loss_expression(self) -> sympy.Expr:
        """L in the leaf symbols, for the naive reference and small-network checks."""
        terms = [self.expressions[self.names.loss_term(k)] for k in range(self.network.layers[-1])]
        return sympy.Add(*terms).xreplace(self._leaf_map)

def derive(spec: Spec | Network) -> Derivation:
    """Build the derivation for a spec or network."""
    return Derivation(spec)
