"""`symbackprop lint`: find the wrong numbers in a lecturer's own Markdown or LaTeX documents."""
