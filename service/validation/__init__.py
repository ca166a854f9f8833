"""Validation of framework content: Turtle syntax, SHACL shapes and qSKOS-style quality checks.

One core serves every caller: ``validate_files`` for ``reintegra validate`` and
``validate_graph`` for the service, which checks every change before it commits.
"""

from service.validation.files import validate_files
from service.validation.model import Report, Violation
from service.validation.shacl import bundled_shapes, validate_graph

__all__ = ["Report", "Violation", "bundled_shapes", "validate_files", "validate_graph"]
