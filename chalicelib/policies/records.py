"""Read policy files in every shape the Ontong Youth API and its users produce.

Owns input decoding only: one record object, a JSON array, the API's page envelope
(``{"result": {"pagging": ..., "youthPolicyList": [...]}}``) or JSON Lines. A line or element
that cannot be read is reported as a rejection, never raised, so one bad record cannot abort a
batch.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RawRecord:
    """One record as read from a file, with where it came from."""

    position: int
    data: dict[str, Any]


@dataclass(frozen=True)
class Rejection:
    """A record (or line) that could not be used, and why."""

    position: int
    reason: str
    raw: str
    plcy_no: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the rejection as JSON-safe data (the raw text is clipped)."""
        return {
            "position": self.position,
            "plcy_no": self.plcy_no,
            "reason": self.reason,
            "raw": self.raw[:500],
        }


def read_records(payload: bytes | str) -> Iterator[RawRecord | Rejection]:
    """Yield every record of a policy file, or a rejection where one cannot be read.

    Args:
        payload: The file's bytes (UTF-8, with or without a BOM) or text.
    """
    text = payload.decode("utf-8-sig", errors="replace") if isinstance(payload, bytes) else payload
    text = text.lstrip("\ufeff").strip()
    if not text:
        return
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        yield from _json_lines(text)
        return
    yield from _from_document(document)


def _from_document(document: Any) -> Iterator[RawRecord | Rejection]:
    if isinstance(document, dict):
        listing = _envelope_list(document)
        if listing is None:
            yield _as_record(0, document)
            return
        document = listing
    if isinstance(document, list):
        for position, item in enumerate(document):
            yield _as_record(position, item)
        return
    yield Rejection(
        0, "the file is neither a record, a list of records nor an API page", str(document)
    )


def _envelope_list(document: dict[str, Any]) -> list[Any] | None:
    # The API nests its list under "result" (with "pagging", its own spelling); some dumps
    # put "youthPolicyList" at the top.
    result = document.get("result")
    if isinstance(result, dict) and "youthPolicyList" in result:
        listing = result["youthPolicyList"]
        return listing if isinstance(listing, list) else []
    if "youthPolicyList" in document:
        listing = document["youthPolicyList"]
        return listing if isinstance(listing, list) else []
    return None


def _json_lines(text: str) -> Iterator[RawRecord | Rejection]:
    for position, line in enumerate(text.splitlines()):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Rejection(position, f"invalid JSON: {exc.msg} (column {exc.colno})", line)
            continue
        yield _as_record(position, item)


def _as_record(position: int, item: Any) -> RawRecord | Rejection:
    if not isinstance(item, dict):
        return Rejection(
            position, "a record must be a JSON object", json.dumps(item, ensure_ascii=False)
        )
    return RawRecord(position, item)


def page_info(document: dict[str, Any]) -> dict[str, int]:
    """Return ``{"page", "size", "total"}`` from an API page's ``pagging`` block (0 if absent)."""
    inner = document.get("result")
    result: dict[str, Any] = inner if isinstance(inner, dict) else document
    block = result.get("pagging") or result.get("paging") or {}
    return {
        "page": int(block.get("pageNum", 0) or 0),
        "size": int(block.get("pageSize", 0) or 0),
        "total": int(block.get("totCount", 0) or 0),
    }
