"""The expression grammar: course-notation LaTeX or ASCII parsed into SymPy without eval."""
