"""Derive the chain-rule gradients of a spec (default: the course's 2-3-2 network) and print them."""
import json
import sys

import numpy as np

from symbackprop.numeric import references
from symbackprop.notation.derivation_tex import derive
from symbackprop.numeric.values import finite_values
from symbackprop.notation.number_format import check_decimals, number
from symbackprop.numeric.engine import NumericNetwork, Parameters
from symbackprop.notation.printer import ascii_text
from symbackprop.model.spec import load_spec, spec_to_dict
from symbackprop.commands.option_types import whole_number


def add_arguments(parser) -> None:
    """Arguments of `symbackprop derive`."""
    parser.add_argument("spec", nargs="?", help="TOML spec (default: the built-in 2-3-2 network)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.add_argument("--expand", action="store_true", help="closed forms in the leaf symbols x, y, W, b")
    parser.add_argument("--verify", action="store_true",
                        help="compare every gradient with finite differences (and PyTorch when installed)")
    parser.add_argument("--decimals", type=whole_number, default=4, help="decimals in the text output (default 4)")


def run(args) -> int:
    """Print the derivation as text or JSON."""
    check_decimals(args.decimals)
    spec = load_spec(args.spec)
    derivation = derive(spec)
    engine = NumericNetwork(derivation)
    values = finite_values(spec.network, spec.values, spec.training, engine) if spec.values else {}
    if args.json:
        document = {
            "spec": spec_to_dict(spec),
            "values": values,
            "latex": derivation.latex(expand=args.expand),
            "chain": derivation.chains,
        }
        if args.verify:
            document["verify"] = verification(spec, engine)
        json.dump(document, sys.stdout, indent=1, ensure_ascii=False)
        print()
        return 0
    print(render_text(spec, derivation, values, args.decimals, args.expand))
    if args.verify:
        print(verification_text(verification(spec, engine)))
    return 0


def verification(spec, engine: NumericNetwork) -> dict:
    """Largest differences between the derived gradients and the independent references."""
    from symbackprop.errors import SpecError

    if spec.values is None:
        raise SpecError("--verify needs a [values] table with x, y, W.. and b..")
    params = Parameters.from_values(spec.values)
    X, T = np.array([spec.values.x]), np.array([spec.values.y])
    derived = engine.gradients(params, X, T)
    report = {"finite_differences": references.largest_difference(derived, references.finite_differences(engine, params, X, T)),
              "torch": None, "torch_counterpart": references.has_torch_counterpart(spec.network)}
    if references.torch_available() and report["torch_counterpart"]:
        report["torch"] = references.largest_difference(derived, references.torch_gradients(spec.network, params, X, T))
    return report


def verification_text(report: dict) -> str:
    """The verification report as text."""
    lines = ["VERIFY", f"  largest |derived - central finite differences| = {report['finite_differences']:.3e}"]
    if not report["torch_counterpart"]:
        lines.append("  no PyTorch counterpart for a function defined in the spec: autograd comparison skipped")
    elif report["torch"] is None:
        lines.append("  PyTorch not installed (pip install 'symbackprop[torch]'): autograd comparison skipped")
    else:
        lines.append(f"  largest |derived - PyTorch autograd (float64)|  = {report['torch']:.3e}")
    return "\n".join(lines)


def render_text(spec, derivation, values: dict, decimals: int, expand: bool) -> str:
    """The derivation as readable terminal text: forward pass, chain per parameter, numbers."""
    net, names = spec.network, derivation.names

    def num(name):
        return number(values[name], decimals)

    def text(name):
        return ascii_text(derivation.expression(name, expand), net)

    lines = []
    if spec.title:
        lines += [spec.title, "=" * len(spec.title)]
    lines.append(f"network {'-'.join(map(str, net.layers))}; activations {', '.join(net.activations)}; "
                 f"loss {net.loss}; convention {net.convention}; index base {net.index_base}; "
                 f"{net.n_parameters} parameters")
    lines += ["", "FORWARD"]
    for layer in range(net.depth):
        for j in range(net.width(layer)):
            for name in (names.v(layer, j), names.act(layer, j)):
                lines.append(f"  {name} = {text(name)}" + (f" = {num(name)}" if values else ""))
    lines += ["", "LOSS"]
    for k in range(net.layers[-1]):
        name = names.loss_term(k)
        lines.append(f"  {name} = {text(name)}" + (f" = {num(name)}" if values else ""))
    lines.append("  L = " + " + ".join(names.loss_term(k) for k in range(net.layers[-1]))
                 + (f" = {num('L')}" if values else ""))
    lines += ["", "BACKWARD  (d{l}[j] stands for dL/dv{l}[j], the delta)"]
    for name in derivation.gradient_names():
        chain = derivation.chains[name]
        lines.append(f"  {name} = {' × '.join(chain)}")
        for factor in chain:
            if factor.startswith(("dL/dy", "dL/dv")) and values:
                lines.append(f"      {factor} = {text(factor)} = {num(factor)}")
        lines.append(f"      = {text(name)}")
        if values:
            lines.append(f"      = {' × '.join(num(f) for f in chain)} = {num(name)}")
    if spec.training and values:
        t = spec.training
        lines += ["", f"TRAINING  (learning rate {t.learning_rate:g}, momentum {t.momentum:g})",
                  f"  step 0: L = {num('L')}"]
        for step in range(1, t.steps + 1):
            lines.append(f"  step {step}: L = {num(names.step(step, 'L'))}")
    return "\n".join(lines)
