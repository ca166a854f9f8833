"""Bearer tokens for coordinators, editors and profile owners; only hashes are stored.

Tokens live in the private system graph. A token is shown once, when it is made; what is kept
is its SHA-256 hash, so a copy of the store does not give anyone access.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass

from rdflib import Literal, URIRef

from service.errors import BadRequest, Forbidden, Unauthorized
from service.namespaces import BASE, RDF, RG, SCHEMA, SYSTEM_GRAPH
from service.store import Store, ntriples_of

ROLES = ("coordinator", "editor")
TOKEN_BASE = BASE + "token/"


@dataclass(frozen=True)
class Principal:
    """Who is making a request: a coordinator or editor (with a partner) or a profile owner."""

    role: str
    token_id: str
    partner: str = ""
    profile_id: str | None = None


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def create_token(store: Store, role: str, partner: str) -> tuple[str, str]:
    """Issue a coordinator or editor token; returns (token id, secret)."""
    if role not in ROLES:
        raise BadRequest(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    if not partner.strip():
        raise BadRequest("a token needs the partner it is issued to (--partner)")
    token_id = uuid.uuid4().hex
    secret = f"rg_{role[0]}_{new_secret()}"
    node = URIRef(TOKEN_BASE + token_id)
    triples = [
        (node, RDF.type, RG.AccessToken),
        (node, RG.tokenHash, Literal(hash_token(secret))),
        (node, RG.accessRole, Literal(role)),
        (node, SCHEMA.memberOf, Literal(partner.strip())),
    ]
    store.update(f"INSERT DATA {{ GRAPH <{SYSTEM_GRAPH}> {{ {ntriples_of(triples)} }} }}")
    return token_id, secret


def revoke_token(store: Store, token_id: str) -> None:
    node = URIRef(TOKEN_BASE + token_id)
    store.update(f"DELETE WHERE {{ GRAPH <{SYSTEM_GRAPH}> {{ <{node}> ?p ?o }} }}")


def principal_for(store: Store, secret: str) -> Principal | None:
    """The coordinator or editor a secret belongs to, or None."""
    rows = store.select(
        "SELECT ?token ?role ?partner WHERE { ?token a ?cls ; ?hashp ?hash ; ?rolep ?role ; "
        "?partnerp ?partner }",
        {
            "cls": RG.AccessToken,
            "hashp": RG.tokenHash,
            "hash": Literal(hash_token(secret)),
            "rolep": RG.accessRole,
            "partnerp": SCHEMA.memberOf,
        },
        default_graphs=(SYSTEM_GRAPH,),
    )
    if not rows:
        return None
    row = rows[0]
    return Principal(
        role=str(row["role"]),
        token_id=str(row["token"]).rsplit("/", 1)[-1],
        partner=str(row["partner"]),
    )


def bearer_secret(authorization: str | None) -> str | None:
    """The secret of an ``Authorization: Bearer …`` header, or None when there is none."""
    if not authorization:
        return None
    scheme, _, secret = authorization.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Unauthorized("the Authorization header must be 'Bearer <token>'")
    return secret.strip()


def require_role(store: Store, authorization: str | None, *roles: str) -> Principal:
    """The principal of a request that must carry a coordinator or editor token."""
    secret = bearer_secret(authorization)
    if secret is None:
        raise Unauthorized(f"this needs a bearer token with the {' or '.join(roles)} role")
    principal = principal_for(store, secret)
    if principal is None:
        raise Unauthorized("the bearer token is not known or has been revoked")
    if principal.role not in roles:
        raise Forbidden(
            f"a {principal.role} token cannot do this; it needs the {' or '.join(roles)} role"
        )
    return principal
