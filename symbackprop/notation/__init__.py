"""The course notation: the LaTeX printer, number formats and the language catalogues."""
