"""Reintegra: a competence-framework knowledge graph and its query service."""

__version__ = "0.1.0"
