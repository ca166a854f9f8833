"""Validated, recorded writes to the public graphs: the SPARQL Update and Graph Store paths.

1. A worker applies the change to a copy of the public graphs (time-limited, killable).
2. A change that would write outside the public graphs is refused.
3. The shapes check the would-be framework; a change that adds violations is refused with
   the report (violations that were already there do not block unrelated edits).
4. The differences and one change record per graph go to the store in ONE update, which
   both backends apply atomically: all of it or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rdflib import Graph

from service.errors import Forbidden, ValidationFailed
from service.namespaces import HISTORY_GRAPH, PUBLIC_GRAPHS
from service.records.tokens import Principal
from service.sparql.history import now, record_triples
from service.sparql.runtime import SparqlRuntime


class ShapeViolations(ValidationFailed):
    """A change breaks the shapes; ``report`` is the validation report of what it broke."""

    def __init__(self, message: str, report):
        super().__init__(message, details=report.to_json())
        self.report = report


@dataclass
class Outcome:
    graphs: dict[str, dict[str, int]]
    created: bool

    def to_json(self) -> dict[str, Any]:
        added = sum(g["added"] for g in self.graphs.values())
        removed = sum(g["removed"] for g in self.graphs.values())
        return {
            "status": "committed" if self.graphs else "unchanged",
            "added": added,
            "removed": removed,
            "graphs": self.graphs,
        }


def _key(violation) -> tuple:
    return (violation.focus, violation.path, violation.value, violation.shape, violation.message)


def _graph(data: bytes) -> Graph:
    return Graph().parse(data=data.decode("utf-8"), format="nt")


def check_shapes(trial: dict) -> None:
    """Refuse a change whose would-be framework has violations the current one has not."""
    from service.validation import Report, validate_graph

    shapes = _graph(trial["shapes"]) if trial["shapes"] else None
    after = validate_graph(_graph(trial["after_data"]), shapes)
    if not after.errors:
        return
    before = validate_graph(_graph(trial["before_data"]), shapes)
    known = {_key(v) for v in before.errors}
    new = [v for v in after.errors if _key(v) not in known]
    if new:
        report = Report(violations=new, triples=after.triples)
        raise ShapeViolations(
            f"the change breaks {len(new)} shape constraint{'s' * (len(new) != 1)}; "
            "nothing was written",
            report,
        )


def commit_text(trial: dict, principal: Principal, operation: str) -> str:
    """One SPARQL update that applies every difference and records it."""
    parts: list[str] = []
    records: list[str] = []
    when = now()
    for graph, change in trial["graphs"].items():
        if change["full"] is not None:
            # Blank nodes cannot be named in DELETE DATA: rewrite the whole graph instead.
            parts.append(f"DROP SILENT GRAPH <{graph}>")
            parts.append(f"INSERT DATA {{ GRAPH <{graph}> {{\n{change['full'].decode()}}} }}")
        else:
            for verb, key in (("DELETE", "removed"), ("INSERT", "added")):
                if change[key]:
                    triples = change[key].decode()
                    parts.append(f"{verb} DATA {{ GRAPH <{graph}> {{\n{triples}}} }}")
        records.append(record_triples(principal, graph, change, operation, when))
    parts.append(f"INSERT DATA {{ GRAPH <{HISTORY_GRAPH}> {{\n{''.join(records)}}} }}")
    return " ;\n".join(parts)


def apply_change(
    runtime: SparqlRuntime, principal: Principal, task: dict, operation: str
) -> Outcome:
    """Trial-run, validate and commit a change; raise with nothing written if any step fails."""
    with runtime.write_lock:
        trial = runtime.trial(task)
        if trial["outside"]:
            raise Forbidden(
                f"the change would write to {', '.join(trial['outside'])}; only the public "
                f"graphs may be edited: {', '.join(f'<{g}>' for g in PUBLIC_GRAPHS)}"
            )
        if trial["graphs"]:
            check_shapes(trial)
            runtime.store.update(commit_text(trial, principal, operation))
            runtime.warm_up_soon()
    return Outcome(
        graphs={
            g: {"added": c["added_count"], "removed": c["removed_count"]}
            for g, c in trial["graphs"].items()
        },
        created=not trial["existed"],
    )
