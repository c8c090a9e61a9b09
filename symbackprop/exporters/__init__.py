"""Output formats: one module each, found by name in one table; the pipeline writes what they make."""
from symbackprop.exporters import latex_source, manifest, moodle, pdf, qti

EXPORTERS = {module.NAME: module for module in (latex_source, manifest, moodle, pdf, qti)}
