"""Bearer tokens for coordinators, editors and profile owners; only hashes are stored.

Tokens live in the private system graph. A token is shown once, when it is made; what is kept
is its SHA-256 hash, so a copy of the store does not give anyone access.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass

from rdflib import Literal, URIRef

from service.errors import BadRequest, Forbidden, Unauthorized
from service.namespaces import BASE, SYSTEM_GRAPH
from service.rq import query_text
from service.store import Store

ROLES = ("coordinator", "editor")
TOKEN_BASE = BASE + "token/"
#: The id format ``create_token`` produces (``uuid4().hex``).
TOKEN_ID = re.compile(r"[0-9a-f]{32}")


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


def is_token_id(text: str) -> bool:
    return TOKEN_ID.fullmatch(text) is not None


def check_token_id(token_id: str) -> str:
    """The id unchanged, or BadRequest naming it when it is not a token id."""
    if not isinstance(token_id, str) or not is_token_id(token_id):
        raise BadRequest(
            f"{token_id!r} is not a token id; a token id is 32 lowercase hexadecimal characters"
        )
    return token_id


def create_token(store: Store, role: str, partner: str) -> tuple[str, str]:
    """Issue a coordinator or editor token; returns (token id, secret)."""
    if role not in ROLES:
        raise BadRequest(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    if not partner.strip():
        raise BadRequest("a token needs the partner it is issued to (--partner)")
    token_id = uuid.uuid4().hex
    secret = f"rg_{role[0]}_{new_secret()}"
    store.update_bound(
        query_text("token_create"),
        {
            "token": URIRef(TOKEN_BASE + token_id),
            "hash": Literal(hash_token(secret)),
            "role": Literal(role),
            "partner": Literal(partner.strip()),
        },
    )
    return token_id, secret


def revoke_token(store: Store, token_id: str) -> None:
    """Revoke a token by id; an id not of the form ``create_token`` makes is refused."""
    check_token_id(token_id)
    store.update_bound(
        query_text("token_revoke"),
        {"token": URIRef(TOKEN_BASE + token_id)},
    )


def principal_for(store: Store, secret: str) -> Principal | None:
    """The coordinator or editor a secret belongs to, or None."""
    rows = store.select(
        query_text("token_principal"),
        {"hash": Literal(hash_token(secret))},
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
