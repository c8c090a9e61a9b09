"""Verdicts on claims: the claims file, the expression grammar, equivalence, mistakes and grading."""
