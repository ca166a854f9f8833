"""The static documentation site of the framework, generated from the graph."""

from service.docs.site import build_site, read_framework, site_pages

__all__ = ["build_site", "read_framework", "site_pages"]
