"""Cohorts in the private cohort graph: a name, the partner who made it, member profiles.

Members are added in the same update that creates the cohort, and only while their profile
still exists, so a cohort can never name an erased profile (erasure removes memberships).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from rdflib import Literal, URIRef

from service.errors import NotFound
from service.namespaces import COHORT, COHORT_GRAPH, DCTERMS, RDF, RG, SCHEMA, XSD, local_id
from service.records.profiles import profile_iri
from service.rq import query_text
from service.store import Store, ntriples_of, sparql_term


def cohort_iri(cohort_id: str) -> URIRef:
    return COHORT[cohort_id]


def create(store: Store, name: str, members: list[str], partner: str) -> str:
    """Store a cohort in one update; returns its id."""
    cohort_id = uuid.uuid4().hex
    node = cohort_iri(cohort_id)
    now = Literal(datetime.now(UTC).replace(microsecond=0), datatype=XSD.dateTime)
    triples = [
        (node, RDF.type, RG.Cohort),
        (node, SCHEMA.name, Literal(name)),
        (node, DCTERMS.created, now),
        (node, DCTERMS.creator, Literal(partner)),
    ]
    update = f"INSERT DATA {{ GRAPH <{COHORT_GRAPH}> {{\n{ntriples_of(triples)}}} }}"
    if members:
        listed = " ".join(sparql_term(profile_iri(m)) for m in members)
        update += (
            f" ;\nINSERT {{ GRAPH <{COHORT_GRAPH}> {{ {sparql_term(node)} "
            f"{sparql_term(RG.member)} ?member }} }}\n"
            f"WHERE {{ VALUES ?member {{ {listed} }} "
            f"GRAPH ?g {{ ?member a {sparql_term(RG.TrainerProfile)} }} }}"
        )
    store.update(update)
    return cohort_id


def all_cohorts(store: Store) -> list[dict[str, Any]]:
    """Every cohort with its member ids, oldest first."""
    found: dict[str, dict[str, Any]] = {}
    for row in store.select(
        query_text("api_cohorts"), {"graph": URIRef(COHORT_GRAPH)}, default_graphs=()
    ):
        cohort_id = local_id(str(row["cohort"]))
        item = found.setdefault(
            cohort_id,
            {
                "id": cohort_id,
                "name": str(row["name"]),
                "created": str(row["created"]),
                "partner": str(row.get("partner", "")),
                "members": [],
            },
        )
        if "member" in row:
            item["members"].append(local_id(str(row["member"])))
    return list(found.values())


def read(store: Store, cohort_id: str) -> dict[str, Any]:
    rows = store.select(
        query_text("api_cohorts"),
        {"cohort": cohort_iri(cohort_id)},
        default_graphs=(),
    )
    if not rows:
        raise NotFound(f"there is no cohort {cohort_id!r}", pointer="/id")
    row = rows[0]
    return {
        "id": cohort_id,
        "name": str(row["name"]),
        "created": str(row["created"]),
        "partner": str(row.get("partner", "")),
        "members": [local_id(str(r["member"])) for r in rows if "member" in r],
    }


def delete(store: Store, cohort_id: str) -> None:
    read(store, cohort_id)
    store.update_bound(
        query_text("cohort_delete"),
        {"cohort": cohort_iri(cohort_id)},
    )
