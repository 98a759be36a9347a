"""The typed values that cross the policy-index and discovery ports: filters, chunks, plcyNo.

One definition of the discovery filter set; each adapter turns a ``PolicyFilter`` into its own
query language (a vector-store expression, SQL). Nothing here knows a backend.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

# An Ontong policy number: what routes, cursors and records accept.
PLCY_NO_PATTERN = r"^[A-Za-z0-9_-]{1,40}$"
PLCY_NO = re.compile(PLCY_NO_PATTERN)

PolicyStatus = Literal["open", "upcoming", "closed", "always"]
PolicyCategory = Literal["일자리", "주거", "교육", "복지문화", "참여권리"]


@dataclass(frozen=True)
class PolicyFilter:
    """Validated discovery filters (codes already checked against the code lists).

    ``age``: the person's age; ``region``: a 2-digit province or 5-digit district code;
    ``status``: the application state on the day the query runs; ``deadline_before``: the last
    application day at the latest; ``keyword``: text in the name, keywords or description
    (checked by the discovery queries; an index may ignore it).
    """

    age: int | None = None
    region: str | None = None
    category: str | None = None
    status: PolicyStatus | None = None
    deadline_before: date | None = None
    keyword: str | None = None


@dataclass(frozen=True)
class PolicyChunk:
    """One embedded chunk of one policy, with the scalars filters run on (None: no limit)."""

    chunk_id: str
    plcy_no: str
    vector: list[float]
    min_age: int | None
    max_age: int | None
    nationwide: bool
    province_codes: list[str]
    province_wide: list[str]
    district_codes: list[str]
    categories: list[str]
    apply_status: str
    apply_start: date | None
    apply_end: date | None
    approved: bool
