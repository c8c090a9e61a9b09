"""Symbolic backpropagation for teaching: derivations, documents, exams and checks in the course notation."""
__version__ = "0.1.0"

from symbackprop.api import Derivation, derive
from symbackprop.errors import SymbackpropError
from symbackprop.numeric.values import quantity_values
from symbackprop.numeric.engine import NumericNetwork, Parameters
from symbackprop.model.spec import Spec, load_spec, parse_spec
from symbackprop.exams import config as _exam_table  # noqa: F401  (registers the [exam] check of load_spec)

__all__ = ["Derivation", "derive", "SymbackpropError", "quantity_values", "NumericNetwork", "Parameters",
           "Spec", "load_spec", "parse_spec"]
