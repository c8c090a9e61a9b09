"""Symbolic backpropagation for teaching: derivations, documents, exams and checks in the course notation."""
__version__ = "0.1.0"

from .derive import Derivation, derive
from .errors import SymbackpropError
from .evaluate import quantity_values
from .numeric import NumericNetwork, Parameters
from .spec import Spec, load_spec, parse_spec

__all__ = ["Derivation", "derive", "SymbackpropError", "quantity_values", "NumericNetwork", "Parameters",
           "Spec", "load_spec", "parse_spec"]
