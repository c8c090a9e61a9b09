"""Verdicts on claims: the claims file, equivalence, mistakes and grading."""
import sys

from symbackprop.expressions import parser as expression_parser

# the parser moved to symbackprop.expressions (the model parses spec-defined functions with it); the old
# import path keeps working
sys.modules[__name__ + ".expression_parser"] = expression_parser
