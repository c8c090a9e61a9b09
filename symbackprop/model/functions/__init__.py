"""Activations and losses: one complete entry each, found by name in one table (plus a spec's own functions)."""
import difflib

from symbackprop.errors import SpecError
from symbackprop.model.functions import activations as _activations
from symbackprop.model.functions import losses as _losses
from symbackprop.model.functions.activations import softmax_jacobian
from symbackprop.model.functions.entries import (LANGUAGES, TARGET_KINDS, Activation, Loss, Names, named,
                                                 per_output, scaled)
from symbackprop.model.functions.stable import OutputForms, output_forms

__all__ = ["ACTIVATIONS", "LOSSES", "LANGUAGES", "TARGET_KINDS", "Activation", "Loss", "Names", "OutputForms",
           "activation", "activations_of", "closest", "loss", "loss_of", "named", "options", "output_forms",
           "per_output", "scaled", "softmax_jacobian", "target_kind", "target_problem"]

# the one table: adding an activation or a loss is adding its entry to activations.py or losses.py
ACTIVATIONS: dict[str, Activation] = {entry.name: entry for entry in _activations.BUILT_IN}
LOSSES: dict[str, Loss] = {entry.name: entry for entry in _losses.BUILT_IN}


def _defined(network, kind: str) -> dict:
    """The spec's own functions of one kind ("activation" or "loss"), by name."""
    custom = getattr(network, "custom", ()) if network is not None else ()
    return {definition.name: definition.entry for definition in custom if definition.kind == kind}


def closest(name: str, choices) -> str:
    """The allowed name closest to a misspelt one."""
    found = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.0)
    return found[0] if found else sorted(choices)[0]


def activation(name: str, network=None) -> Activation:
    """An activation by name (built-in, or defined in the network's spec), or fail naming the allowed ones."""
    table = {**ACTIVATIONS, **_defined(network, "activation")}
    if name not in table:
        raise SpecError(f"network.activations: unknown activation {name!r}; expected one of "
                        f"{', '.join(table)} (did you mean {closest(name, table)!r}?)")
    return table[name]


def loss(name: str, network=None) -> Loss:
    """A loss by name (built-in, or defined in the network's spec), or fail naming the allowed ones."""
    table = {**LOSSES, **_defined(network, "loss")}
    if name not in table:
        raise SpecError(f"network.loss: unknown loss {name!r}; expected one of {', '.join(table)} "
                        f"(did you mean {closest(name, table)!r}?)")
    return table[name]


def activations_of(network) -> list[Activation]:
    """The activation entry of every weight layer, in order."""
    return [activation(name, network) for name in network.activations]


def loss_of(network) -> Loss:
    """The network's loss entry."""
    return loss(network.loss, network)


def options(network) -> dict:
    """The keyword options every entry callable takes (the leaky ReLU's slope)."""
    return {"slope": network.leaky_slope}


def target_kind(network) -> str:
    """What targets the network's loss accepts: "any", "unit" (each in [0, 1]) or "distribution" (Σ y = 1)."""
    return loss_of(network).targets


def target_problem(network, targets) -> str | None:
    """Why targets do not suit the network's loss (bce: each in [0, 1]; cce: y_k >= 0 summing to 1), or None."""
    kind, name = target_kind(network), network.loss
    if kind in ("unit", "distribution") and any(not 0 <= y <= 1 for y in targets):
        return f"{name} needs every target in [0, 1]"
    if kind == "distribution" and abs(sum(targets) - 1) > 1e-9:
        return f"{name} needs targets that sum to 1 (one-hot, e.g. [0, 1, 0])"
    return None
