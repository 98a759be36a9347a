"""The sample catalogue (data/policies) as discovery-shaped rows, for the advisor's unit tests."""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path
from typing import Any

from chalicelib.policies.normalize import normalize
from chalicelib.policies.records import RawRecord, read_records

_DATA = Path(__file__).resolve().parents[2] / "data" / "policies"


@functools.lru_cache(maxsize=1)
def _rows() -> tuple[dict[str, Any], ...]:
    rows = []
    for path in sorted(_DATA.glob("*.json*")):
        for record in read_records(path.read_bytes()):
            if isinstance(record, RawRecord):
                rows.append(dataclasses.asdict(normalize(record.data)))
    return tuple(rows)


def rows() -> list[dict[str, Any]]:
    """Every sample policy, normalized, as a fresh dict per call."""
    return [dict(row) for row in _rows()]


def policy(name: str) -> dict[str, Any]:
    """The sample policy with this exact name."""
    return next(row for row in rows() if row["name"] == name)


def catalogue() -> list[tuple[str, str, list[str]]]:
    """(plcyNo, name, keywords) as the caller loads them from PostgreSQL."""
    return [(row["plcy_no"], row["name"], list(row["keywords"])) for row in rows()]
