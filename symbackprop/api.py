"""The Python API: a derivation with its notation and its numbers, for notebooks and scripts."""
from symbackprop.model.spec import Network, Spec, Training, Values
from symbackprop.notation.derivation_tex import TexDerivation
from symbackprop.numeric.engine import NumericNetwork
from symbackprop.numeric.values import finite_values


class Derivation(TexDerivation):
    """The derivation of one network: closed forms, chains, LaTeX, every quantity's number and the batched engine."""

    def evaluate(self, values: Values | None = None, training: Training | None = None) -> dict[str, float]:
        """Every named quantity at `values` (default: the spec's [values] and [training])."""
        if values is None and self.spec is not None:
            values, training = self.spec.values, training or self.spec.training
        return finite_values(self.network, values, training)

    def lambdify(self) -> NumericNetwork:
        """The batched numeric engine generated from this derivation."""
        return NumericNetwork(self)


def derive(spec: Spec | Network) -> Derivation:
    """Build the derivation for a spec or network."""
    return Derivation(spec)
