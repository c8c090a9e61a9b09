"""Python source for the batched passes, generated from the derivation's matrix form and its layers' forms."""
from dataclasses import dataclass

import numpy as np
import sympy
from sympy.printing.numpy import NumPyPrinter

from symbackprop.model.derivation import Derivation
from symbackprop.numeric.forms import G, LayerForms, T, U, V, layer_forms


def elementwise(expr: sympy.Expr, args):
    """A NumPy function of whole arrays from an element-wise form; a constant comes back shaped like the first."""
    if not expr.free_symbols:
        constant = float(expr)
        return lambda first, *rest: np.full_like(first, constant)
    return sympy.lambdify(args, expr, modules="numpy", cse=True)


def by_columns(exprs, groups, shape=None):
    """A NumPy function of (B, n) arrays from per-unit forms over the units' symbols; `shape` nests the result."""
    flat = list(np.ravel(np.array(exprs, dtype=object)))
    function = sympy.lambdify([s for group in groups for s in group], flat, modules="numpy", cse=True)
    out_shape = shape or (len(flat),)

    def apply(*arrays):
        columns = [column for array in arrays for column in array.T]
        rows = arrays[0].shape[0]
        values = [np.broadcast_to(np.asarray(value, dtype=float), (rows,)) for value in function(*columns)]
        return np.stack(values, axis=-1).reshape((rows, *out_shape))

    return apply


@dataclass
class Generated:
    """The generated source of the passes and the functions it calls."""

    source: str
    namespace: dict


def _functions(forms: list[LayerForms], output: int) -> dict:
    """The compiled element-wise forms the source calls, by the names it uses."""
    namespace = {}
    for layer, f in enumerate(forms):
        if not f.vector:
            namespace[f"value{layer}"] = elementwise(f.value, (V,))
            namespace[f"derivative{layer}"] = elementwise(f.derivative, (V,))
            namespace[f"delta{layer}"] = elementwise(f.delta, (T, V) if layer == output else (U, V))
            if layer == output:
                namespace["term"] = elementwise(f.term, (T, V))
                namespace["d_output"] = elementwise(f.d_output, (T, V))
            else:  # the lean pass: g and g' in one call (their shared work done once), then δ from U and g'
                namespace[f"forward{layer}"] = sympy.lambdify((V,), [f.value, f.derivative], modules="numpy",
                                                              cse=True)
                namespace[f"backward{layer}"] = elementwise(f.delta_in_slope, (U, G))
            continue
        width = len(f.vs)
        namespace[f"value{layer}"] = by_columns(f.value, (f.vs,))
        namespace[f"derivative{layer}"] = by_columns(f.derivative, (f.vs,), (width, width))
        namespace[f"delta{layer}"] = by_columns(f.delta, (f.ts, f.vs))
        if layer == output:
            namespace["term"] = by_columns(f.term, (f.ts, f.vs))
            namespace["d_output"] = by_columns(f.d_output, (f.ts, f.vs))
    return namespace


def generate(derivation: Derivation) -> Generated:
    """`gradients(X, T, W0, b0, ...)` (lean) and `run(...)` (every array) as Python source over NumPy arrays.

    Per layer: V^l = Y^{l-1} W^l + b^l and Y^l = g(V^l); δ^L from the loss; δ^l = (δ^{l+1} (W^{l+1})^T) ⊙ g'(V^l);
    ∂L/∂W^l = (Y^{l-1})^T δ^l and ∂L/∂b^l = Σ_rows δ^l; the products are printed from the derivation's batch form.
    """
    net = derivation.network
    depth, output = net.depth, net.output_layer
    forms = [layer_forms(derivation, layer) for layer in range(depth)]
    printer = NumPyPrinter()
    batch = [{key: printer.doprint(expr) for key, expr in derivation.batch_form(layer).items()}
             for layer in range(depth)]
    params = ", ".join(f"W{layer}, b{layer}" for layer in range(depth))

    def body(keep: bool) -> list[str]:
        lines = []
        for layer in range(depth):
            lines.append(f"V{layer} = {batch[layer]['v']} + b{layer}")
            if keep:
                lines.append(f"Y{layer} = value{layer}(V{layer})")
            elif layer != output:  # the lean passes read the output layer through V alone
                lines.append(f"Y{layer}, G{layer} = forward{layer}(V{layer})")
        lines.append(f"D{output} = delta{output}(T, V{output})")
        if keep:
            lines += ["terms = term(T, V{0})".format(output), f"dY{output} = d_output(T, V{output})",
                      f"local{output} = derivative{output}(V{output})"]
        for layer in reversed(range(depth)):
            lines.append(f"dW{layer} = {batch[layer]['dW']}")
            lines.append(f"db{layer} = D{layer}.sum(axis=0)")
            if layer:
                below = layer - 1
                lines.append(f"U{below} = {batch[layer]['upstream']}")
                if keep:
                    lines += [f"D{below} = delta{below}(U{below}, V{below})", f"dY{below} = U{below}",
                              f"local{below} = derivative{below}(V{below})"]
                else:
                    lines += [f"D{below} = backward{below}(U{below}, G{below})",
                              f"del U{below}, V{below}, Y{below}, G{below}"]
        return lines

    def listed(prefix: str, first: int = 0) -> str:
        return "[" + ", ".join(f"{prefix}{layer}" for layer in range(first, depth)) + "]"

    inputs = "[X" + "".join(f", Y{layer}" for layer in range(depth - 1)) + "]"
    lean = body(keep=False) + [f"return {listed('dW')}, {listed('db')}"]
    full = body(keep=True) + [
        f"return dict(inputs={inputs}, v={listed('V')}, y={listed('Y')}, loss_terms=terms, d_act={listed('dY')}, "
        f"local={listed('local')}, delta={listed('D')}, d_weights={listed('dW')}, d_biases={listed('db')})"]
    forward = body(keep=False)[:2 * depth - 1] + [f"return term(T, V{output}).sum(axis=1)"]
    source = "\n".join(line for name, lines in (("gradients", lean), ("run", full), ("losses", forward))
                       for line in (f"def {name}(X, T, {params}):", *("    " + line for line in lines), ""))
    namespace = _functions(forms, output)
    exec(compile(source, f"<symbackprop: {list(net.layers)}>", "exec"), namespace)  # noqa: S102 (generated here)
    return Generated(source, namespace)
