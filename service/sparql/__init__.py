"""The public SPARQL 1.1 endpoint: protocol, guard, time-limited workers, updates and history.

Nothing in this package imports Flask at package level, so the query workers (separate
processes) load only what they need.
"""
