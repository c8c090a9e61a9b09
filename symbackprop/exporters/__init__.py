"""Output formats: one module each, found by name in one table; the pipeline writes what they make."""
from symbackprop.exporters import canvas, latex_source, manifest, moodle, pdf, prairielearn, qti

EXPORTERS = {module.NAME: module for module in (latex_source, manifest, moodle, pdf, qti, canvas, prairielearn)}
