"""A derivation shown in the course notation: LaTeX for its expressions, quantity names and chains."""
import sympy

from symbackprop.model.derivation import Derivation
from symbackprop.model.spec import Network, Spec
from symbackprop.notation.printer import quantity_tex, tex


class TexDerivation(Derivation):
    """The derivation with its LaTeX: every expression and name printed in the network's notation."""

    def tex(self, expr: sympy.Expr) -> str:
        """LaTeX in this network's notation."""
        return tex(expr, self.network)

    def name_tex(self, name: str) -> str:
        """LaTeX for a quantity name, e.g. \\frac{\\partial L}{\\partial w^{0}_{1,2}}."""
        return quantity_tex(self.quantity(name), self.network)

    def latex(self, expand: bool = False) -> dict[str, str]:
        """The closed form of every derivative quantity, as LaTeX."""
        return {name: self.tex(self.expression(name, expand))
                for name, expr in self.expressions.items() if name.startswith("d")}

    def _repr_latex_(self) -> str:
        rows = []
        for name in self.gradient_names():
            factors = r" \times ".join(self.name_tex(f) for f in self.chain(name))
            rows.append(rf"{self.name_tex(name)} &= {factors} = {self.tex(self.expressions[name])}")
        return r"$\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}$"


def derive(spec: Spec | Network) -> TexDerivation:
    """Build the derivation of a spec or network, printable in its notation."""
    return TexDerivation(spec)
