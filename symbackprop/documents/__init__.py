"""Slides and handouts: template contexts, worked steps, the diagram, Jinja and the LaTeX build."""
