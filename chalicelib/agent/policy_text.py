"""Clean, speakable pieces of one policy's fields for the advisor's answers.

Owns: whole-sentence excerpts (never cut mid-word), document lists without debris, exclusion
items, region names instead of code lists, and the application window relative to a day in KST.
Pure: reads a policy row (the discovery row shape) and a date; no I/O.
"""

# ruff: noqa: E501  (patterns in Hangul read best on one line; Hangul is double width)

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from chalicelib import codes
from chalicelib.policies.documents import parse_required_documents

WindowState = Literal["open", "upcoming", "ended", "closed", "always", "unknown"]
_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+|(?<=다\.)|(?<=요\.)|\n+")
# Not documents: "no documents needed" notes, "see the notice", bare separators.
_NOT_AN_ITEM = re.compile(
    r"별도\s*(제출)?\s*서류\s*(는\s*)?없|서류\s*없음|^(공고문?\s*참조|별도\s*공지)$|^해당\s*없음$|^없음$|^[-/.,·\s]*$"
)
_SEE_NOTICE = re.compile(r"공고문?\s*참조|별도\s*공지")
_EXCEPTION = re.compile(r"\(([^)]*(가능|예외|제외하고|허용)[^)]*)\)")


@dataclass(frozen=True)
class Window:
    """Where a policy's application stands on one day."""

    state: WindowState
    start: date | None = None
    end: date | None = None
    days_left: int | None = None


def whole_sentences(text: str | None, limit: int = 300) -> str:
    """Return the leading whole sentences of ``text`` that fit in ``limit`` characters.

    When even the first sentence is longer, it is cut at the last space before the limit and
    marked with an ellipsis, so no word is ever cut.
    """
    clean = re.sub(r"[ \t]+", " ", (text or "").replace("\\n", "\n")).strip()
    if len(clean) <= limit:
        return clean
    kept = ""
    for sentence in (s.strip() for s in _SENTENCE_END.split(clean) if s and s.strip()):
        joined = f"{kept} {sentence}".strip()
        if len(joined) > limit:
            break
        kept = joined
    if kept:
        return kept
    cut = clean[:limit].rsplit(" ", 1)[0].rstrip(" ,;·")
    return f"{cut}…"


def documents(policy: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Return (documents to prepare, notes) parsed from the policy's documents text.

    Items are split on " / " too; "no separate documents" and "see the notice" become notes.
    """
    text = policy.get("documents_text") or ""
    items: list[str] = []
    notes: list[str] = []
    for part in parse_required_documents(text):
        for piece in re.split(r"\s+/\s*|\s*/\s+", part):
            item = piece.strip(" /,;.·")
            if not item:
                continue
            if _NOT_AN_ITEM.search(item):
                notes.append(item)
            elif item not in items:
                items.append(item)
    return items, notes


def exclusion_items(policy: dict[str, Any]) -> list[str]:
    """Return the policy's exclusions (참여제한대상, ``ptcpPrpTrgtCn``) one item each."""
    items: list[str] = []
    for part in parse_required_documents(policy.get("participant_target") or ""):
        item = part.strip(" .;")
        if item and item not in items:
            items.append(item)
    return items


def exception_in(item: str) -> str | None:
    """Return the exception an exclusion item grants ("단기근로자는 참여 가능"), if any."""
    match = _EXCEPTION.search(item)
    return match.group(1) if match else None


def region_names(policy: dict[str, Any], limit: int = 3) -> str:
    """Return where a policy applies in words ("전국", "부산광역시", "서울특별시 마포구 외 2곳")."""
    if policy.get("nationwide"):
        return "전국"
    provinces = codes.provinces()
    wide = list(policy.get("province_wide") or [])
    labels = [provinces.get(code, code) for code in wide]
    for code in policy.get("district_codes") or []:
        if code[:2] not in wide:
            labels.append(codes.district_label(code) if code in codes.districts() else code)
    if not labels:
        labels = [provinces.get(code, code) for code in policy.get("province_codes") or []]
    if not labels:
        return ""
    extra = len(labels) - limit
    return ", ".join(labels[:limit]) + (f" 외 {extra}곳" if extra > 0 else "")


def place_name(region_code: str) -> str:
    """Return the name of a 2-digit province or 5-digit district code."""
    if len(region_code) == 2:
        return codes.provinces().get(region_code, region_code)
    return codes.district_label(region_code) if region_code in codes.districts() else region_code


def window(policy: dict[str, Any], today: date) -> Window:
    """Return the application window's state on ``today`` (a KST date)."""
    status = policy.get("apply_status")
    if status == "always":
        return Window("always")
    if status == "closed":
        return Window("closed")
    spans = sorted(
        (_as_date(w["start"]), _as_date(w["end"])) for w in policy.get("apply_windows") or []
    )
    if not spans:
        return Window("unknown")
    for start, end in spans:
        if start <= today <= end:
            return Window("open", start, end, (end - today).days)
    upcoming = [(s, e) for s, e in spans if s > today]
    if upcoming:
        start, end = upcoming[0]
        return Window("upcoming", start, end, (start - today).days)
    start, end = spans[-1]
    return Window("ended", start, end)


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def see_notice(notes: list[str]) -> bool:
    """True when the notes say the list is in the announcement."""
    return any(_SEE_NOTICE.search(note) for note in notes)
