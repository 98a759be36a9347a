"""Turn raw request bodies and query strings into validated models, with FinQ's 4xx errors.

Owns size limits, content-type checks, JSON decoding (nesting depth, characters no store keeps)
and pydantic error formatting. Takes bytes, headers and dicts, not Chalice objects, so it is
testable on its own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from chalicelib.errors import InvalidInput, PayloadTooLarge
from chalicelib.models import PATTERN_MESSAGES

ModelT = TypeVar("ModelT", bound=BaseModel)

# Deepest nesting of arrays and objects accepted in a body: FinQ's payloads need 3 levels, and
# a bounded depth keeps every later walk over the data (pydantic, ours) far from the recursion
# limit, which 100k levels of `[` would hit inside json.loads itself.
MAX_DEPTH = 32
# NUL is refused by PostgreSQL text columns and lone surrogates cannot be encoded as UTF-8: text
# holding either could never be stored, so it is refused before anything (Cognito sign-up
# included) happens.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


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
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(
            f"the request body is not valid JSON: {exc}", code="malformed_json"
        ) from exc
    except RecursionError as exc:
        raise _too_deep() from exc
    _check_tree(data)
    return data


def parse_query(params: Mapping[str, str] | None) -> dict[str, str]:
    """Return query parameters as a dict, refusing values no store could keep.

    Raises:
        InvalidInput: A name or value holds NUL or a lone surrogate.
    """
    query = dict(params or {})
    for name, value in query.items():
        if _UNSTORABLE.search(name) or _UNSTORABLE.search(value):
            raise InvalidInput(
                f"query parameter {_safe(name)!r} contains a NUL character or a lone surrogate",
                code="invalid_characters",
            )
    return query


def _check_tree(data: Any) -> None:
    """Refuse nesting deeper than ``MAX_DEPTH`` and strings holding NUL or lone surrogates.

    Iterative (no recursion), so the walk itself cannot overflow the stack.
    """
    stack: list[tuple[Any, int, str]] = [(data, 0, "body")]
    while stack:
        value, depth, where = stack.pop()
        if isinstance(value, str):
            if _UNSTORABLE.search(value):
                raise InvalidInput(
                    f"{where} contains a NUL character or a lone surrogate",
                    code="invalid_characters",
                    details={"fields": [{"field": where, "message": "unstorable character"}]},
                )
        elif isinstance(value, dict | list):
            if depth >= MAX_DEPTH:
                raise _too_deep()
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                path = f"{where}.{_safe(str(key))}" if where != "body" else _safe(str(key))
                if isinstance(key, str) and _UNSTORABLE.search(key):
                    stack.append((key, depth, where))
                stack.append((item, depth + 1, path))


def _safe(text: str) -> str:
    """``text`` shortened, with unstorable characters replaced, for an error message."""
    return _UNSTORABLE.sub("\ufffd", text[:64])


def _too_deep() -> InvalidInput:
    return InvalidInput(
        f"the request body nests arrays or objects deeper than {MAX_DEPTH} levels",
        code="too_deeply_nested",
    )


def validate(model: type[ModelT], data: Any, what: str = "the request body") -> ModelT:
    """Validate decoded JSON (or query parameters) against a model; a failure names every field."""
    if not isinstance(data, dict):
        raise InvalidInput(f"{what} must be a JSON object")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        fields = [{"field": _field(e), "message": _message(e)} for e in exc.errors()]
        raise InvalidInput(
            f"{what} is invalid: " + "; ".join(f"{f['field']}: {f['message']}" for f in fields),
            details={"fields": fields},
        ) from exc


def _message(error: Mapping[str, Any]) -> str:
    """Pydantic's message, with a known pattern said in words rather than as its regex."""
    if error.get("type") == "string_pattern_mismatch":
        known = PATTERN_MESSAGES.get(str(error.get("ctx", {}).get("pattern", "")))
        if known:
            return known
    return str(error["msg"])


def _field(error: Mapping[str, Any]) -> str:
    return ".".join(str(part) for part in error.get("loc", ())) or "body"
