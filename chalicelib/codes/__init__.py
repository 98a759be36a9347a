"""Code lists for the Ontong Youth (온통청년) policy API and Korean administrative regions.

Two JSON files sit next to this module and are read once, lazily:

* ``regions.json`` - the 17 provinces (시도, 2-digit codes) and their si/gun/gu districts
  (시군구, 5-digit codes, the values the Ontong API puts in ``zipCd``).
* ``ontong_codes.json`` - code -> Korean label tables for the coded ``getPlcy`` fields.

Example:
    >>> from chalicelib import codes
    >>> codes.provinces()["11"]
    '서울특별시'
    >>> codes.province_of("41135")
    '41'
    >>> codes.JOB_CODES["0013003"]
    '미취업자'
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
_REGIONS_PATH = _HERE / "regions.json"
_ONTONG_PATH = _HERE / "ontong_codes.json"

__all__ = [
    "APPLY_PERIOD_CODES",
    "APPROVAL_STATUS_CODES",
    "BIZ_PERIOD_CODES",
    "EARN_CONDITION_CODES",
    "JOB_CODES",
    "MAJOR_CODES",
    "MARITAL_CODES",
    "PROVISION_METHOD_CODES",
    "SCHOOL_CODES",
    "SPECIAL_CODES",
    "district_label",
    "districts",
    "districts_of",
    "ontong_codes",
    "province_of",
    "provinces",
]


def _read_json(path: Path) -> Any:
    """Read a UTF-8 JSON file.

    Args:
        path: File to read.

    Returns:
        The decoded JSON document.
    """
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


@lru_cache(maxsize=1)
def _regions() -> dict[str, dict[str, Any]]:
    """Load the ``provinces`` mapping of ``regions.json`` once.

    Returns:
        ``{sido_code: {"name": str, "districts": {sigungu_code: str}}}``.
    """
    return _read_json(_REGIONS_PATH)["provinces"]


@lru_cache(maxsize=1)
def provinces() -> dict[str, str]:
    """Return the 17 provinces (시도).

    Returns:
        Mapping of 2-digit province code to Korean name, e.g. ``{"11": "서울특별시"}``.
        The dict is cached and shared: do not mutate it.
    """
    return {code: entry["name"] for code, entry in _regions().items()}


@lru_cache(maxsize=1)
def districts() -> dict[str, str]:
    """Return every district (시군구) of every province.

    Returns:
        Mapping of 5-digit district code to district name, e.g.
        ``{"11110": "종로구", "41135": "성남시 분당구"}``. Names are not unique
        across provinces (``"중구"`` exists in six of them); use :func:`district_label`
        for a display name. The dict is cached and shared: do not mutate it.
    """
    merged: dict[str, str] = {}
    for entry in _regions().values():
        merged.update(entry["districts"])
    return merged


def districts_of(province_code: str) -> dict[str, str]:
    """Return the districts of one province.

    Args:
        province_code: 2-digit province code, e.g. ``"26"``.

    Returns:
        A new mapping of 5-digit district code to district name.

    Raises:
        KeyError: If ``province_code`` is not a known province.
    """
    return dict(_regions()[province_code]["districts"])


def province_of(district_code: str) -> str:
    """Return the province code a district belongs to.

    Args:
        district_code: 5-digit district code, e.g. ``"26350"``. Surrounding
            whitespace is ignored.

    Returns:
        The 2-digit province code, e.g. ``"26"``.

    Raises:
        KeyError: If ``district_code`` is not a known district.
    """
    code = district_code.strip()
    if code not in districts():
        raise KeyError(f"unknown district code: {district_code!r}")
    return code[:2]


def district_label(district_code: str) -> str:
    """Return a display name that includes the province.

    Args:
        district_code: 5-digit district code.

    Returns:
        For example ``"부산광역시 해운대구"``; for Sejong, which has no districts,
        just ``"세종특별자치시"``.

    Raises:
        KeyError: If ``district_code`` is not a known district.
    """
    province = provinces()[province_of(district_code)]
    name = districts()[district_code.strip()]
    return province if name == province else f"{province} {name}"


@lru_cache(maxsize=1)
def ontong_codes() -> dict[str, dict[str, str]]:
    """Return every Ontong code table, keyed by the API field name.

    Returns:
        Mapping such as ``{"jobCd": {"0013001": "재직자", ...}, "sBizCd": {...}}``.
        The dict is cached and shared: do not mutate it.
    """
    raw = _read_json(_ONTONG_PATH)
    return {field: table for field, table in raw.items() if not field.startswith("_")}


def _table(field: str) -> dict[str, str]:
    """Return a copy of one Ontong code table.

    Args:
        field: API field name, e.g. ``"jobCd"``.

    Returns:
        Mapping of code to Korean label.
    """
    return dict(ontong_codes()[field])


JOB_CODES: dict[str, str] = _table("jobCd")
"""정책취업요건코드 (``jobCd``)."""
SCHOOL_CODES: dict[str, str] = _table("schoolCd")
"""정책학력요건코드 (``schoolCd``)."""
MARITAL_CODES: dict[str, str] = _table("mrgSttsCd")
"""결혼상태코드 (``mrgSttsCd``)."""
EARN_CONDITION_CODES: dict[str, str] = _table("earnCndSeCd")
"""소득조건구분코드 (``earnCndSeCd``)."""
APPLY_PERIOD_CODES: dict[str, str] = _table("aplyPrdSeCd")
"""신청기간구분코드 (``aplyPrdSeCd``)."""
APPROVAL_STATUS_CODES: dict[str, str] = _table("plcyAprvSttsCd")
"""정책승인상태코드 (``plcyAprvSttsCd``)."""
MAJOR_CODES: dict[str, str] = _table("plcyMajorCd")
"""정책전공요건코드 (``plcyMajorCd``)."""
SPECIAL_CODES: dict[str, str] = _table("sBizCd")
"""정책특화요건코드 (``sBizCd``; the live API spells the field ``sbizCd``)."""
PROVISION_METHOD_CODES: dict[str, str] = _table("plcyPvsnMthdCd")
"""정책제공방법코드 (``plcyPvsnMthdCd``)."""
BIZ_PERIOD_CODES: dict[str, str] = _table("bizPrdSeCd")
"""사업기간구분코드 (``bizPrdSeCd``)."""
