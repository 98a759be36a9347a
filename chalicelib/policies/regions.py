"""Region rules for policies: ``zipCd`` to districts, provinces and a nationwide flag.

Falls back to the registering institution's name when ``zipCd`` is empty.

Owns what "nationwide" and "province-wide" mean for a policy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from chalicelib import codes

# A policy listing at least this share of all districts is nationwide; listing this share of a
# province's districts makes it province-wide. The API marks national policies by listing
# every district, and lists drift by a few codes as districts merge or split.
NATIONWIDE_SHARE = 0.9
PROVINCE_WIDE_SHARE = 0.9

_ALIASES = {
    "서울": "11", "부산": "26", "대구": "27", "인천": "28", "광주": "29", "대전": "30",
    "울산": "31", "세종": "36", "경기": "41", "충북": "43", "충청북도": "43", "충남": "44",
    "충청남도": "44", "전남": "46", "전라남도": "46", "경북": "47", "경상북도": "47",
    "경남": "48", "경상남도": "48", "제주": "50", "강원": "51", "전북": "52", "전라북도": "52",
}  # fmt: skip
# Central agencies register national policies (ministries 부/처/청, committees, public bodies).
_CENTRAL = re.compile(r"(부|처|청|위원회|공단|공사|진흥원|재단|센터)$")


@dataclass(frozen=True)
class RegionScope:
    """Where a policy applies."""

    nationwide: bool
    province_codes: tuple[str, ...] = ()
    district_codes: tuple[str, ...] = ()
    province_wide: tuple[str, ...] = ()
    unknown_codes: tuple[str, ...] = field(default=(), compare=False)


def scope_from_zip_codes(zip_codes: str, institutions: list[str]) -> RegionScope:
    """Return the region scope of a policy.

    Args:
        zip_codes: The record's ``zipCd``: comma-separated 5-digit district codes (may be empty).
        institutions: Registering/supervising institution names, most specific first, used
            when ``zip_codes`` is empty.
    """
    known = codes.districts()
    listed = [code.strip() for code in zip_codes.replace(";", ",").split(",") if code.strip()]
    unknown = tuple(code for code in listed if code not in known)
    districts = sorted({code for code in listed if code in known})
    if not districts:
        return _scope_from_institutions(institutions, unknown)
    return _scope_from_districts(districts, unknown)


def _scope_from_districts(districts: list[str], unknown: tuple[str, ...]) -> RegionScope:
    provinces = sorted({code[:2] for code in districts})
    total = len(codes.districts())
    if len(districts) >= NATIONWIDE_SHARE * total or len(provinces) == len(codes.provinces()):
        return RegionScope(nationwide=True, unknown_codes=unknown)
    listed = set(districts)
    wide = tuple(
        province
        for province in provinces
        if len(listed & _province_districts(province))
        >= PROVINCE_WIDE_SHARE * len(_province_districts(province))
    )
    return RegionScope(
        nationwide=False,
        province_codes=tuple(provinces),
        district_codes=tuple(districts),
        province_wide=wide,
        unknown_codes=unknown,
    )


def _scope_from_institutions(institutions: list[str], unknown: tuple[str, ...]) -> RegionScope:
    for name in institutions:
        name = (name or "").strip()
        if not name:
            continue
        province = _province_in(name)
        if province is None:
            if _CENTRAL.search(name.split()[-1]):
                return RegionScope(nationwide=True, unknown_codes=unknown)
            continue
        districts = _districts_in(name, province)
        if districts:
            return RegionScope(
                nationwide=False,
                province_codes=(province,),
                district_codes=districts,
                unknown_codes=unknown,
            )
        return RegionScope(
            nationwide=False,
            province_codes=(province,),
            district_codes=tuple(sorted(_province_districts(province))),
            province_wide=(province,),
            unknown_codes=unknown,
        )
    # No region and no recognizable institution: treat as unknown-but-searchable nationwide
    # would over-match, so the policy gets no region and region filters will not match it.
    return RegionScope(nationwide=False, unknown_codes=unknown)


def _province_in(name: str) -> str | None:
    for code, full in codes.provinces().items():
        if name.startswith(full):
            return code
    for alias, code in _ALIASES.items():
        if name.startswith(alias):
            return code
    return None


def _districts_in(name: str, province: str) -> tuple[str, ...]:
    """Districts named after the province in ``name`` ("경기도 성남시" -> its three gu)."""
    parts = name.split()
    if len(parts) < 2:
        return ()
    city, rest = parts[1], " ".join(parts[1:])
    matches = [
        code
        for code, district in codes.districts_of(province).items()
        if rest.startswith(district) or district.split()[0] == city
    ]
    exact = [code for code in matches if rest.startswith(codes.districts()[code])]
    longest = max((len(codes.districts()[code]) for code in exact), default=0)
    chosen = [code for code in exact if len(codes.districts()[code]) == longest] or matches
    return tuple(sorted(chosen))


@lru_cache(maxsize=32)
def _province_districts(province: str) -> frozenset[str]:
    return frozenset(codes.districts_of(province))
