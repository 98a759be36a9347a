"""Normalize one Ontong Youth ``getPlcy`` record into FinQ's typed policy.

Owns every normalization rule: ages, regions, categories and keywords, application windows,
codes, income, free-text conditions, required documents, approval, and the content hash. Pure
functions, no I/O: a record either normalizes or raises ``RecordError`` with the reason.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from chalicelib import codes
from chalicelib.clock import KST
from chalicelib.policies.documents import parse_required_documents
from chalicelib.policies.filters import PLCY_NO
from chalicelib.policies.regions import scope_from_zip_codes

_log = logging.getLogger(__name__)

APPROVED = "0044002"
ALWAYS_OPEN = "0057002"
CLOSED = "0057003"
INCOME_ANNUAL = "0043002"
_RANGE = re.compile(r"(\d{8})\s*~\s*(\d{8})")
_CATEGORY_SPLIT = re.compile(r"[･·,]")
_MAX_TEXT = 20_000


class RecordError(ValueError):
    """The record cannot be used; the message says why (it goes into the run's report)."""


@dataclass(frozen=True)
class Policy:
    """A normalized policy: one row of ``youth_policies`` plus its documents."""

    plcy_no: str
    name: str
    keywords: list[str]
    description: str
    support_content: str
    categories: list[str]
    subcategories: list[str]
    min_age: int | None
    max_age: int | None
    nationwide: bool
    province_codes: list[str]
    district_codes: list[str]
    province_wide: list[str]
    apply_period_code: str
    apply_status: str  # always | window | closed | unknown
    apply_start: date | None
    apply_end: date | None
    apply_windows: list[dict[str, str]]
    apply_method: str
    screening_method: str
    apply_url: str
    reference_url: str
    documents_text: str
    documents: list[str]
    job_codes: list[str]
    school_codes: list[str]
    marital_code: str | None
    major_codes: list[str]
    special_codes: list[str]
    earn_condition_code: str | None
    earn_min: int | None
    earn_max: int | None
    earn_etc: str
    additional_conditions: str
    participant_target: str
    institution: str
    approved: bool
    source_modified_at: datetime | None
    raw: dict[str, str] = field(compare=False)
    content_hash: str = ""

    @property
    def status(self) -> str:
        """``active`` when approved (searchable), else ``inactive``."""
        return "active" if self.approved else "inactive"


def normalize(record: dict[str, Any]) -> Policy:
    """Return the normalized policy for one raw record.

    Raises:
        RecordError: A required field is missing or a value has the wrong type.
    """
    raw = _strings(record)
    plcy_no = raw.get("plcyNo", "")
    if not plcy_no:
        raise RecordError("plcyNo is missing")
    if not PLCY_NO.match(plcy_no):
        raise RecordError("plcyNo must be 1-40 letters, digits, '-' or '_'")
    name = raw.get("plcyNm", "")
    if not name:
        raise RecordError("plcyNm is missing")
    min_age, max_age = _ages(raw, plcy_no)
    region = scope_from_zip_codes(
        raw.get("zipCd", ""),
        [
            raw.get(k, "")
            for k in ("rgtrInstCdNm", "rgtrUpInstCdNm", "rgtrHghrkInstCdNm", "sprvsnInstCdNm")
        ],
    )
    if region.unknown_codes:
        _log.info(
            "policy %s lists unknown district codes %s", plcy_no, list(region.unknown_codes)[:5]
        )
    status, start, end, windows = _application(raw)
    earn_code = raw.get("earnCndSeCd") or None
    policy = Policy(
        plcy_no=plcy_no,
        name=name[:500],
        keywords=_split(raw.get("plcyKywdNm", ""), ","),
        description=raw.get("plcyExplnCn", "")[:_MAX_TEXT],
        support_content=raw.get("plcySprtCn", "")[:_MAX_TEXT],
        categories=_split(raw.get("lclsfNm", ""), _CATEGORY_SPLIT),
        subcategories=_split(raw.get("mclsfNm", ""), _CATEGORY_SPLIT),
        min_age=min_age,
        max_age=max_age,
        nationwide=region.nationwide,
        province_codes=list(region.province_codes),
        district_codes=list(region.district_codes),
        province_wide=list(region.province_wide),
        apply_period_code=raw.get("aplyPrdSeCd", ""),
        apply_status=status,
        apply_start=start,
        apply_end=end,
        apply_windows=windows,
        apply_method=raw.get("plcyAplyMthdCn", "")[:_MAX_TEXT],
        screening_method=raw.get("srngMthdCn", "")[:_MAX_TEXT],
        apply_url=raw.get("aplyUrlAddr", "")[:2000],
        reference_url=(raw.get("refUrlAddr1") or raw.get("refUrlAddr2") or "")[:2000],
        documents_text=raw.get("sbmsnDcmntCn", "")[:_MAX_TEXT],
        documents=parse_required_documents(raw.get("sbmsnDcmntCn", "")),
        job_codes=_restriction_codes(raw.get("jobCd", ""), codes.JOB_CODES),
        school_codes=_restriction_codes(raw.get("schoolCd", ""), codes.SCHOOL_CODES),
        marital_code=next(
            iter(_restriction_codes(raw.get("mrgSttsCd", ""), codes.MARITAL_CODES)), None
        ),
        major_codes=_restriction_codes(raw.get("plcyMajorCd", ""), codes.MAJOR_CODES),
        special_codes=_restriction_codes(
            raw.get("sBizCd", raw.get("sbizCd", "")), codes.SPECIAL_CODES
        ),
        earn_condition_code=earn_code,
        earn_min=_amount(raw, "earnMinAmt") if earn_code == INCOME_ANNUAL else None,
        earn_max=_amount(raw, "earnMaxAmt") if earn_code == INCOME_ANNUAL else None,
        earn_etc=raw.get("earnEtcCn", "")[:_MAX_TEXT],
        additional_conditions=raw.get("addAplyQlfcCndCn", "")[:_MAX_TEXT],
        participant_target=raw.get("ptcpPrpTrgtCn", "")[:_MAX_TEXT],
        institution=raw.get("operInstCdNm")
        or raw.get("sprvsnInstCdNm")
        or raw.get("rgtrInstCdNm", ""),
        approved=raw.get("plcyAprvSttsCd", "") == APPROVED,
        source_modified_at=_timestamp(raw.get("lastMdfcnDt", "")),
        raw=raw,
    )
    return dataclasses.replace(policy, content_hash=content_hash(policy))


def content_hash(policy: Policy) -> str:
    """Return a stable hash of everything normalized (not of the raw bytes or load time)."""
    data = dataclasses.asdict(policy)
    data.pop("raw", None)
    data.pop("content_hash", None)
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _strings(record: dict[str, Any]) -> dict[str, str]:
    values: dict[str, str] = {}
    for key, value in record.items():
        if value is None:
            values[key] = ""
        elif isinstance(value, str):
            values[key] = value.strip()
        elif isinstance(value, int | float) and not isinstance(value, bool):
            values[key] = str(int(value)) if float(value).is_integer() else str(value)
        else:
            raise RecordError(f"{key} must be a string, not {type(value).__name__}")
    return values


def _ages(raw: dict[str, str], plcy_no: str) -> tuple[int | None, int | None]:
    low, high = _age(raw, "sprtTrgtMinAge"), _age(raw, "sprtTrgtMaxAge")
    if low is not None and high is not None and low > high:
        _log.warning("policy %s has min age %d > max age %d; swapped", plcy_no, low, high)
        low, high = high, low
    return low, high


def _age(raw: dict[str, str], key: str) -> int | None:
    value = raw.get(key, "")
    if value in ("", "0"):
        return None
    if not value.isdigit() or int(value) > 150:
        raise RecordError(f"{key} must be an age in years, not {value[:20]!r}")
    return int(value)


def _amount(raw: dict[str, str], key: str) -> int | None:
    value = raw.get(key, "").replace(",", "")
    if value in ("", "0"):
        return None
    if not value.isdigit():
        raise RecordError(f"{key} must be an amount in 만원, not {value[:20]!r}")
    return int(value)


def _split(value: str, separator: str | re.Pattern[str]) -> list[str]:
    parts = separator.split(value) if isinstance(separator, re.Pattern) else value.split(separator)
    seen: list[str] = []
    for part in (p.strip() for p in parts):
        if part and part not in seen:
            seen.append(part)
    return seen


def _restriction_codes(value: str, table: dict[str, str]) -> list[str]:
    """Codes that restrict eligibility; '제한없음' (no restriction) yields an empty list."""
    listed = _split(value, ",")
    if any(table.get(code) == "제한없음" for code in listed):
        return []
    return listed


def _application(raw: dict[str, str]) -> tuple[str, date | None, date | None, list[dict[str, str]]]:
    code = raw.get("aplyPrdSeCd", "")
    if code == ALWAYS_OPEN:
        return "always", None, None, []
    if code == CLOSED:
        return "closed", None, None, []
    windows = []
    for first, last in _RANGE.findall(raw.get("aplyYmd", "")):
        start, end = _date(first), _date(last)
        if start is None or end is None:
            continue
        if start > end:
            start, end = end, start
        windows.append((start, end))
    if not windows:
        return "unknown", None, None, []
    windows.sort()
    spans = [{"start": s.isoformat(), "end": e.isoformat()} for s, e in windows]
    return "window", windows[0][0], max(e for _, e in windows), spans


def _date(value: str) -> date | None:
    try:
        return datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        return None


def _timestamp(value: str) -> datetime | None:
    for layout in ("%Y-%m-%d %H:%M:%S", "%Y%m%d%H%M%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, layout).replace(tzinfo=KST)
        except ValueError:
            continue
    return None
