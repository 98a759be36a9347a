"""The words for a policy change, in Korean and English.

Owns the sentences (one per change kind), date formats (``2026-04-15`` in Korean, ``15 Apr 2026``
in English) and Korean particles after numbers. Strings only: what changed is decided in
chalicelib.policies.changes, from which the stored ``{"kind", "before", "after"}`` come.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from chalicelib import codes

Sentence = Callable[[Any, Any, bool], str]
_LIMIT_LABELS = 3
_CONDITION_NAMES = {
    "job_codes": ("취업 상태", "employment status"),
    "school_codes": ("학력", "education"),
    "marital_code": ("혼인 여부", "marital status"),
    "major_codes": ("전공", "field of study"),
    "special_codes": ("특화 대상", "special groups"),
    "additional_conditions": ("추가 자격 조건", "additional requirements"),
    "participant_target": ("참여 제한 대상", "who may not take part"),
}


def describe(change: dict[str, Any], language: str = "ko") -> str:
    """Return one sentence saying what changed (``language``: ``ko`` or ``en``)."""
    kind, before, after = change["kind"], change.get("before"), change.get("after")
    en = language == "en"
    if kind.startswith("window_"):
        return _window(kind, before, after, en)
    sentence = _SENTENCES.get(kind)
    if sentence is None:
        raise ValueError(f"unknown change kind {kind!r}")
    return sentence(before, after, en)


def _status(kind: str) -> Sentence:
    def sentence(before: Any, after: Any, en: bool) -> str:
        if kind == "withdrawn":
            return (
                "The policy was withdrawn: it no longer takes applications."
                if en
                else "정책이 철회되어 더 이상 신청할 수 없습니다."
            )
        return "The policy is available again." if en else "정책이 다시 게시되었습니다."

    return sentence


def _amount(before: Any, after: Any, en: bool) -> str:
    return f"The support changed to: {after}" if en else f"지원 내용이 바뀌었습니다: {after}"


def _age_change(before: Any, after: Any, en: bool) -> str:
    old, new = _ages(before, en), _ages(after, en)
    if en:
        return f"The age limit changed from {old} to {new}."
    return f"지원 연령이 {old}에서 {new}{_ro(new)} 바뀌었습니다."


def _region_change(before: Any, after: Any, en: bool) -> str:
    old, new = _region(before, en), _region(after, en)
    if en:
        return f"The region changed to {new} (was {old})."
    return f"지원 지역이 {old}에서 {new}{_ro(new)} 바뀌었습니다."


def _income_change(before: Any, after: Any, en: bool) -> str:
    old, new = _income(before, en), _income(after, en)
    if en:
        return f"The income condition changed to {new} (was {old})."
    return f"소득 조건이 바뀌었습니다: {old} → {new}"


def _conditions(before: Any, after: Any, en: bool) -> str:
    names = ", ".join(_CONDITION_NAMES[f][1 if en else 0] for f in after["fields"])
    if en:
        return f"Other eligibility conditions changed: {names}."
    return f"그 밖의 자격 조건이 바뀌었습니다: {names}"


def subject(count: int, language: str = "ko") -> str:
    """Return the subject of the mail that lists ``count`` changed saved policies."""
    if language == "en":
        return (
            f"[FinQ] {count} of your saved policies changed"
            if count > 1
            else ("[FinQ] A policy you saved changed")
        )
    return f"[FinQ] 저장하신 정책 {count}건이 바뀌었습니다"


def title(policy_name: str, source: str, language: str = "ko") -> str:
    """Return a notification's title (news is marked as unconfirmed)."""
    if source == "news":
        return (
            f"Unconfirmed news about '{policy_name}'"
            if language == "en"
            else f"'{policy_name}' 관련 확인되지 않은 뉴스"
        )
    return (
        f"'{policy_name}' changed" if language == "en" else f"'{policy_name}' 정책이 바뀌었습니다"
    )


def mail_body(items: list[dict[str, Any]], language: str = "ko") -> str:
    """Return the text of one mail listing changed policies (name, changes, link each)."""
    en = language == "en"
    lines = [
        "Policies you saved in FinQ have changed:"
        if en
        else "FinQ에 저장하신 정책이 바뀌었습니다.",
        "",
    ]
    for item in items:
        lines.append(f"■ {title(item['policy_name'], item['source'], language)}")
        lines.extend(f"  - {describe(change, language)}" for change in item["changes"])
        if item.get("url"):
            lines.append(f"  {item['url']}")
        lines.append("")
    lines.append(
        "See every notification in the FinQ app."
        if en
        else "자세한 내용과 전체 알림은 FinQ 앱에서 확인하세요."
    )
    return "\n".join(lines)


def _day(value: str | None, en: bool) -> str:
    if not value:
        return "?"
    return date.fromisoformat(value).strftime("%-d %b %Y") if en else value


def _span(window: dict[str, Any], en: bool) -> str:
    status = window["status"]
    if status == "always":
        return "open all year" if en else "상시 모집"
    if status == "closed":
        return "closed" if en else "마감"
    if status == "unknown":
        return "not announced" if en else "미정"
    if en:
        return f"{_day(window['start'], en)} – {_day(window['end'], en)}"
    return f"{window['start']}~{window['end']}"


def _window(kind: str, before: Any, after: Any, en: bool) -> str:
    old, new = _span(before, en), _span(after, en)
    if en:
        return {
            "window_opened": f"Applications are open: {new}.",
            "window_extended": f"The application window was extended to {_day(after['end'], en)}"
            f" (was {old}).",
            "window_closed_early": (
                f"The application window now closes earlier, on {_day(after['end'], en)}"
                f" (was {old})."
                if after["status"] == "window"
                else f"Applications closed early (the window was {old})."
            ),
            "window_moved": f"The application window moved to {new} (was {old}).",
            "window_closed": "Applications are closed.",
        }[kind]
    verb = {
        "window_opened": "열렸습니다",
        "window_extended": "연장되었습니다",
        "window_closed_early": "앞당겨 마감되었습니다",
        "window_moved": "변경되었습니다",
        "window_closed": "마감되었습니다",
    }[kind]
    if kind == "window_opened":
        return f"신청이 {verb}: {new}."
    if kind == "window_closed" or after["status"] == "closed":
        return f"신청이 {verb} (기존 신청 기간 {old})."
    return f"신청 기간이 {old}에서 {new}{_ro(new)} {verb}."


def _ro(text: str) -> str:
    """The particle 로/으로 after ``text``.

    A date (``2026-04-30``) is read with 일 and takes 로; another number follows its last
    digit read in Sino-Korean (0, 3 and 6 take 으로).
    """
    last = text[-1:] if text else ""
    if re.search(r"\d{4}-\d{2}-\d{2}$", text):
        return "로"
    if last.isdigit():
        return "으로" if last in "036" else "로"
    if "가" <= last <= "힣":
        final = (ord(last) - ord("가")) % 28
        return "로" if final in (0, 8) else "으로"  # no final consonant, or ㄹ
    return "(으)로"


def _ages(ages: dict[str, int | None], en: bool) -> str:
    low, high = ages["min"], ages["max"]
    if low is None and high is None:
        return "no limit" if en else "제한 없음"
    if low is None:
        return f"up to {high}" if en else f"{high}세 이하"
    if high is None:
        return f"{low} or older" if en else f"{low}세 이상"
    return f"{low}–{high}" if en else f"{low}~{high}세"


def _region(region: dict[str, Any], en: bool) -> str:
    if region["nationwide"]:
        return "nationwide" if en else "전국"
    names = [codes.provinces().get(p, p) for p in region["provinces"]]
    names += [_district(d) for d in region["districts"]]
    if not names:
        return "unspecified" if en else "지정 없음"
    shown = ", ".join(names[:_LIMIT_LABELS])
    more = len(names) - _LIMIT_LABELS
    if more > 0:
        shown += f" and {more} more" if en else f" 외 {more}곳"
    return shown


def _district(code: str) -> str:
    try:
        return codes.district_label(code)
    except KeyError:
        return code


def _income(income: dict[str, Any], en: bool) -> str:
    low, high, text = income["min"], income["max"], income["text"]
    parts = []
    if low is not None or high is not None:
        parts.append(_income_range(low, high, en))
    if text:
        parts.append(text)
    return "; ".join(parts) if parts else ("no condition" if en else "조건 없음")


def _income_range(low: int | None, high: int | None, en: bool) -> str:
    """An annual income range in 만원 (Ontong's unit), as KRW in English."""
    if en:
        won = {k: f"{v * 10_000:,} KRW" for k, v in (("low", low), ("high", high)) if v}
        if low and high:
            return f"annual income {won['low']}–{won['high']}"
        return f"annual income up to {won['high']}" if high else f"annual income from {won['low']}"
    if low and high:
        return f"연소득 {low:,}만원~{high:,}만원"
    return f"연소득 {high:,}만원 이하" if high else f"연소득 {low:,}만원 이상"


def _documents(before: Any, after: dict[str, Any], en: bool) -> str:
    added, removed = after["added"], after["removed"]
    parts = []
    if added:
        parts.append(("now required: " if en else "추가: ") + ", ".join(added))
    if removed:
        parts.append(("no longer required: " if en else "제외: ") + ", ".join(removed))
    head = "The required documents changed" if en else "제출 서류가 바뀌었습니다"
    return f"{head} ({'; '.join(parts)})."


def _news(before: Any, after: dict[str, Any], en: bool) -> str:
    when = after.get("published") or ("date unknown" if en else "날짜 미상")
    source = after.get("source") or ""
    if en:
        return f"News ({source}, {when}), not confirmed by the policy's data: {after['title']}"
    return f"뉴스({source}, {when}), 정책 자료로 확인되지 않음: {after['title']}"


_SENTENCES: dict[str, Sentence] = {
    "withdrawn": _status("withdrawn"),
    "restored": _status("restored"),
    "amount": _amount,
    "age": _age_change,
    "region": _region_change,
    "income": _income_change,
    "conditions": _conditions,
    "documents": _documents,
    "news": _news,
}
