"""Sections of an answer about one policy: verdict, window, documents, amount, how to apply.

Owns each section's content in Korean and English from the policy's own fields; ``answers``
orders them. Pure: takes a policy row, a profile, facts and a date.
"""

# ruff: noqa: E501  (answer text in Hangul reads best on one line; Hangul is double width)

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from chalicelib.agent.english import apply_ways, document_name, figures, gloss
from chalicelib.agent.facts import Facts
from chalicelib.agent.labels import label
from chalicelib.agent.policy_text import (
    Window,
    documents,
    exclusion_items,
    region_names,
    see_notice,
    whole_sentences,
    window,
)
from chalicelib.agent.verdicts import age_rule, judge


@dataclass(frozen=True)
class Section:
    """One part of an answer: a kind (for callers and tests), a title and its lines."""

    kind: str
    title: str
    lines: tuple[str, ...]


def name_of(policy: dict[str, Any], language: str) -> str:
    """Return the policy's name as shown: the Korean name, with an English gloss in English."""
    if language != "en":
        return str(policy["name"])
    english = gloss(policy["name"])
    return f"{policy['name']} ({english})" if english else str(policy["name"])


def who(policy: dict[str, Any], language: str) -> str:
    """Return who the policy is for: the age rule and where it applies."""
    parts = []
    if policy.get("min_age") or policy.get("max_age"):
        parts.append(age_rule(policy, language))
    where = region_names(policy)
    parts.append(("nationwide" if where == "전국" else where) if language == "en" else where)
    return ", ".join(p for p in parts if p)


def _eligibility(
    policy: dict[str, Any],
    profile: dict[str, Any],
    today: date,
    language: str,
    facts: Facts | None,
    subject: str,
) -> list[Section]:
    verdict = judge(policy, profile, today, facts, subject)
    headline = verdict.headline(language)
    others = tuple(f.text(language) for f in verdict.findings if f.text(language) != headline)
    return [
        Section("verdict", label("verdict", language), (headline,)),
        *([Section("conditions", label("conditions", language), others)] if others else []),
    ]


def _exclusion(
    policy: dict[str, Any],
    profile: dict[str, Any],
    today: date,
    language: str,
    facts: Facts | None,
    subject: str,
) -> list[Section]:
    sections = _eligibility(policy, profile, today, language, facts, subject)
    items = tuple(exclusion_items(policy))
    if items:
        sections.append(Section("exclusions", label("exclusions", language), items))
    return sections


def window_part(  # noqa: D103  (a section builder like the others; see BUILDERS)
    policy: dict[str, Any],
    profile: dict[str, Any],
    today: date,
    language: str,
    facts: Facts | None,
    subject: str,
) -> list[Section]:
    return [
        Section(
            "window",
            label("window", language),
            (window_sentence(window(policy, today), language),),
        )
    ]


def window_sentence(state: Window, language: str) -> str:
    """Return where the window stands, relative to today, in one sentence."""
    span = (
        f"{state.start.isoformat()} ~ {state.end.isoformat()}" if state.start and state.end else ""
    )
    en = language == "en"
    if state.state == "open":
        dday = "D-day" if state.days_left == 0 else f"D-{state.days_left}"
        return (
            f"Open now until {state.end} ({dday}); window {span}."
            if en
            else f"지금 신청할 수 있어요. {state.end}까지({dday}), 신청 기간 {span}."
        )
    if state.state == "upcoming":
        return (
            f"Not open yet: applications start on {state.start} (window {span})."
            if en
            else f"아직 신청 전이에요. {state.start}부터 신청할 수 있어요(신청 기간 {span})."
        )
    if state.state == "ended":
        return (
            f"The application window has ended (it ran {span})."
            if en
            else f"신청 기간이 끝났어요(신청 기간 {span})."
        )
    if state.state == "closed":
        return "Applications for this policy are closed." if en else "이 정책은 신청이 마감됐어요."
    if state.state == "always":
        return "You can apply at any time (always open)." if en else "상시 신청할 수 있어요."
    return (
        "The window is not stated; check the official notice."
        if en
        else "신청 기간이 정해져 있지 않아요. 공고를 확인해 주세요."
    )


def _documents(
    policy: dict[str, Any],
    profile: dict[str, Any],
    today: date,
    language: str,
    facts: Facts | None,
    subject: str,
) -> list[Section]:
    items, notes = documents(policy)
    lines = [document_name(i) for i in items] if language == "en" else list(items)
    raw = (policy.get("documents_text") or "").strip()
    if not items and re.fullmatch(r"(해당\s*)?없음", raw):
        notes = [raw]
    other = [n for n in notes if not see_notice([n])]
    if not items and other:
        lines.append(
            f"The policy says no separate documents are needed ({'; '.join(other)})."
            if language == "en"
            else f"별도로 낼 서류는 없다고 적혀 있어요({'; '.join(other)})."
        )
    elif other:
        lines.append(("Note: " if language == "en" else "참고: ") + "; ".join(other))
    if see_notice(notes) or not (items or notes):
        lines.append(
            "Check the official notice for the full list."
            if language == "en"
            else "자세한 제출 서류는 공고문을 확인해 주세요."
        )
    return [Section("documents", label("documents", language), tuple(lines))]


def _amount(
    policy: dict[str, Any],
    profile: dict[str, Any],
    today: date,
    language: str,
    facts: Facts | None,
    subject: str,
) -> list[Section]:
    text = whole_sentences(policy.get("support_content"), 400) or label("not_stated", language)
    if language == "en" and (found := figures(text)):
        return [
            Section(
                "amount",
                label("amount", language),
                (f"In short: {', '.join(found)}.", f"The policy says (in Korean): {_flat(text)}"),
            )
        ]
    return [
        Section(
            "amount",
            label("amount", language),
            tuple(line.strip(" -○•") for line in text.split("\n") if line.strip(" -○•")),
        )
    ]


def _how_to_apply(
    policy: dict[str, Any],
    profile: dict[str, Any],
    today: date,
    language: str,
    facts: Facts | None,
    subject: str,
) -> list[Section]:
    method = whole_sentences(policy.get("apply_method"), 300)
    lines = [method or label("not_stated", language)]
    if language == "en" and (ways := apply_ways(method)):
        lines = [f"Apply {', then '.join(ways)}.", f"The policy says (in Korean): {method}"]
    if policy.get("apply_url"):
        lines.append(f"{label('apply_url', language)}: {policy['apply_url']}")
    return [Section("how_to_apply", label("how_to_apply", language), tuple(lines))]


def _details(
    policy: dict[str, Any],
    profile: dict[str, Any],
    today: date,
    language: str,
    facts: Facts | None,
    subject: str,
) -> list[Section]:
    about = Section("about", "", (whole_sentences(policy.get("description"), 300),))
    if language == "en":
        english = gloss(policy["name"])
        about = Section(
            "about",
            "",
            (
                f"A Korean youth policy{f' ({english})' if english else ''}; its details are below, with the policy's own words quoted in Korean.",
            ),
        )
    audience = Section("who", label("who", language), (who(policy, language),))
    return [
        about,
        audience,
        *_amount(policy, profile, today, language, facts, subject),
        *window_part(policy, profile, today, language, facts, subject),
    ]


BUILDERS: dict[str, Callable[[dict[str, Any], dict[str, Any], date, str, Facts | None, str], list[Section]]] = {
    "eligibility": _eligibility, "exclusion": _exclusion, "window": window_part, "documents": _documents,
    "amount": _amount, "how_to_apply": _how_to_apply, "details": _details, "recommendation": _details,
}  # fmt: skip


def _flat(text: str) -> str:
    return "; ".join(line.strip(" -○•") for line in text.split("\n") if line.strip(" -○•"))
