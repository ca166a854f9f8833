"""Who may touch a profile: its owner's token, or a coordinator's token. Nobody else.

The owner's token is compared by hash against the hash held in that profile's own graph, so a
token can only ever open the one profile it was issued with.
"""

from __future__ import annotations

from flask import request

from service.errors import Forbidden, NotFound, Unauthorized
from service.records.profiles import exists, is_profile_id, owner_token_matches
from service.records.tokens import Principal, bearer_secret, principal_for, require_role
from service.web.context import get_store

OWNER = "owner"
COORDINATOR = "coordinator"


def _not_found(profile_id: str) -> NotFound:
    return NotFound(f"there is no profile {profile_id!r}; it may have been erased", pointer="/id")


def profile_principal(profile_id: str) -> Principal:
    """The owner or a coordinator; 401 without a token, 403 with someone else's, 404 if gone."""
    secret = bearer_secret(request.headers.get("Authorization"))
    if secret is None:
        raise Unauthorized(
            "this needs the profile's own token or a coordinator token, sent as "
            "'Authorization: Bearer <token>'"
        )
    store = get_store()
    if not is_profile_id(profile_id):
        raise _not_found(profile_id)
    if owner_token_matches(store, profile_id, secret):
        return Principal(role=OWNER, token_id="", profile_id=profile_id)
    principal = principal_for(store, secret)
    if principal is not None and principal.role == COORDINATOR:
        if not exists(store, profile_id):
            raise _not_found(profile_id)
        return principal
    if not exists(store, profile_id):
        raise _not_found(profile_id)
    if principal is not None:
        raise Forbidden(
            f"a {principal.role} token cannot open trainer profiles; "
            "use the profile's own token or a coordinator token"
        )
    raise Forbidden(
        "this token does not open this profile; use the token you received "
        "when the profile was created, or a coordinator token"
    )


def coordinator() -> Principal:
    return require_role(get_store(), request.headers.get("Authorization"), COORDINATOR)
