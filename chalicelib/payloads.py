"""Turn raw request bodies into validated models, with FinQ's 4xx errors for every failure.

Owns size limits, content-type checks, JSON decoding and pydantic error formatting. Takes bytes
and headers, not Chalice objects, so it is testable on its own.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from chalicelib.errors import InvalidInput, PayloadTooLarge

ModelT = TypeVar("ModelT", bound=BaseModel)


def parse_json(body: bytes | str | None, headers: Mapping[str, str], max_bytes: int) -> Any:
    """Decode a JSON request body, enforcing the size limit and the content type.

    Args:
        body: The raw body (Chalice gives bytes; None when absent).
        headers: Request headers (case-insensitive mapping from Chalice, or lower-case keys).
        max_bytes: Largest body accepted.

    Raises:
        PayloadTooLarge: The body is larger than ``max_bytes``.
        InvalidInput: The body is missing, not JSON, or declared as another media type.
    """
    raw = body.encode("utf-8") if isinstance(body, str) else (body or b"")
    if len(raw) > max_bytes:
        raise PayloadTooLarge(f"the request body is larger than {max_bytes} bytes")
    content_type = (headers.get("content-type") or "application/json").split(";")[0].strip()
    if content_type.lower() != "application/json":
        raise InvalidInput(
            "the request body must be application/json", code="unsupported_media_type"
        )
    if not raw.strip():
        raise InvalidInput("a JSON request body is required", code="malformed_json")
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(
            f"the request body is not valid JSON: {exc}", code="malformed_json"
        ) from exc


def validate(model: type[ModelT], data: Any) -> ModelT:
    """Validate decoded JSON against a model; a failure names every bad field."""
    if not isinstance(data, dict):
        raise InvalidInput("the request body must be a JSON object")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(
            "the request body is invalid: "
            + "; ".join(f"{_field(e)}: {e['msg']}" for e in exc.errors()),
            details={"fields": [{"field": _field(e), "message": e["msg"]} for e in exc.errors()]},
        ) from exc


def _field(error: Mapping[str, Any]) -> str:
    return ".".join(str(part) for part in error.get("loc", ())) or "body"
