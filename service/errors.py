"""One error hierarchy for the whole product; each error carries its HTTP status.

The store, validation and planning code raise these; the web layer turns them into one JSON
envelope or an HTML page, and the command line prints them as one line without a traceback.
"""

from __future__ import annotations

from typing import Any


class ReintegraError(Exception):
    """An error a user can act on: the message says what is wrong and what to do."""

    status = 500
    code = "error"

    def __init__(self, message: str, *, pointer: str | None = None, details: Any = None):
        super().__init__(message)
        self.message = message
        self.pointer = pointer
        self.details = details

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"status": self.status, "code": self.code, "message": self.message}
        if self.pointer is not None:
            body["pointer"] = self.pointer
        if self.details is not None:
            body["details"] = self.details
        return body


class ConfigError(ReintegraError):
    code = "configuration"


class BadRequest(ReintegraError):
    status = 400
    code = "bad_request"


class Unauthorized(ReintegraError):
    status = 401
    code = "unauthorized"


class Forbidden(ReintegraError):
    status = 403
    code = "forbidden"


class NotFound(ReintegraError):
    status = 404
    code = "not_found"


class NotAcceptable(ReintegraError):
    status = 406
    code = "not_acceptable"


class PayloadTooLarge(ReintegraError):
    status = 413
    code = "payload_too_large"


class UnsupportedMediaType(ReintegraError):
    status = 415
    code = "unsupported_media_type"


class ValidationFailed(ReintegraError):
    """Input is well-formed but breaks the framework's rules (JSON Schema or SHACL)."""

    status = 422
    code = "validation_failed"


class StoreUnavailable(ReintegraError):
    status = 503
    code = "store_unavailable"


class QueryTimeout(ReintegraError):
    status = 503
    code = "query_timeout"


class InputFileError(ReintegraError):
    """A file a user gave us cannot be read or parsed; the message names file and position."""

    status = 400
    code = "input_file"
