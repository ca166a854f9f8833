"""Change records: who changed which public graph when, and exactly which triples.

One ``rg:ChangeRecord`` per changed graph and commit lives in the private history graph. It
names the token that made the change (``prov:wasAssociatedWith``), the time
(``prov:endedAtTime``), the graph, the triples added and removed as N-Triples, and every
subject it touched (``rg:affects``), so a designer can read the history of one competence.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from service.namespaces import BASE, HISTORY_GRAPH, PROV, RDF, RG
from service.records.tokens import TOKEN_BASE, Principal
from service.store import Store, ntriples_of

CHANGE = BASE + "change/"

HISTORY_OF_ITEM = f"""
PREFIX rg: <{RG}>
PREFIX prov: <{PROV}>
SELECT ?change ?time ?agent ?graph ?operation ?added ?removed WHERE {{
  GRAPH <{HISTORY_GRAPH}> {{
    ?change rg:affects ?item ;
            a rg:ChangeRecord ;
            prov:endedAtTime ?time ;
            rg:changedGraph ?graph ;
            rg:addedTriples ?added ;
            rg:removedTriples ?removed .
    OPTIONAL {{ ?change prov:wasAssociatedWith ?agent }}
    OPTIONAL {{ ?change rg:operation ?operation }}
  }}
}}
ORDER BY DESC(?time) ?graph
"""


def record_triples(
    principal: Principal, graph: str, change: dict, operation: str, when: datetime
) -> str:
    """N-Triples of one change record, for the INSERT DATA of the commit."""
    node = URIRef(CHANGE + uuid.uuid4().hex)
    triples = [
        (node, RDF.type, RG.ChangeRecord),
        (node, PROV.wasAssociatedWith, URIRef(TOKEN_BASE + principal.token_id)),
        (node, PROV.endedAtTime, Literal(when.isoformat(), datatype=XSD.dateTime)),
        (node, RG.changedGraph, URIRef(graph)),
        (node, RG.operation, Literal(operation)),
        (node, RG.addedTriples, Literal(change["added"].decode("utf-8"))),
        (node, RG.removedTriples, Literal(change["removed"].decode("utf-8"))),
    ]
    triples += [(node, RG.affects, URIRef(subject)) for subject in change["subjects"]]
    return ntriples_of(triples)


def now() -> datetime:
    return datetime.now(UTC)


def history_of(store: Store, item: str) -> list[dict[str, Any]]:
    """Every recorded change that touched ``item``, newest first."""
    rows = store.select(HISTORY_OF_ITEM, {"item": URIRef(item)}, default_graphs=())
    return [
        {
            "id": str(row["change"]).rsplit("/", 1)[-1],
            "time": str(row["time"]),
            "token": str(row["agent"]).rsplit("/", 1)[-1] if "agent" in row else None,
            "graph": str(row["graph"]),
            "operation": str(row.get("operation", "")),
            "added": str(row["added"]),
            "removed": str(row["removed"]),
        }
        for row in rows
    ]
