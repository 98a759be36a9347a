"""The advisor's answers as structured sections, rendered to Korean or English text.

Owns what an answer says and in which order: the question that was asked first (verdict with
its deciding criterion, window relative to today, documents, amount, how to apply), then related
policies only when the caller marks them; the honest "not found" answer, the crisis answer (crisis
lines first), and brief declines without citations. Pure: takes policy rows, facts and a date.
"""

# ruff: noqa: E501  (answer text in Hangul reads best on one line; Hangul is double width)

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from chalicelib.agent.answer_parts import (
    BUILDERS,
    Section,
    name_of,
    who,
    window_part,
    window_sentence,
)
from chalicelib.agent.facts import Facts
from chalicelib.agent.labels import label
from chalicelib.agent.overlap import overlap_lines
from chalicelib.agent.policy_text import whole_sentences, window
from chalicelib.agent.verdicts import judge

CRISIS_LINES = (
    ("자살예방상담전화", "Suicide Prevention Hotline", "109"),
    ("정신건강위기상담", "Mental Health Crisis Line", "1577-0199"),
)
_CONTACT = re.compile(
    r"(청년정책\s*상담센터|온통청년[^()\n]{0,12}상담[^()\n]{0,8})\s*\(\s*(\d{2,4}-\d{3,4}(?:-\d{4})?)\s*\)"
)
_DEFAULT_ASKS = ("details",)


@dataclass(frozen=True)
class Answer:
    """A whole answer: sections in order, the policies it cites, and related ones (marked)."""

    kind: str
    language: str
    sections: tuple[Section, ...]
    citations: tuple[str, ...] = ()
    related: tuple[str, ...] = field(default_factory=tuple)

    def section(self, kind: str) -> Section | None:
        """Return the first section of ``kind``, if any."""
        return next((s for s in self.sections if s.kind == kind), None)

    def render(self) -> str:
        """Return the answer as text: titled sections, list lines as bullets."""
        blocks = []
        for section in self.sections:
            lines = [f"- {line}" if section.kind in _LISTS else line for line in section.lines]
            blocks.append("\n".join(([f"**{section.title}**"] if section.title else []) + lines))
        return "\n\n".join(blocks)


_LISTS = {"documents", "conditions", "exclusions", "related", "next_steps", "comparison"}


def answer_policy(
    policy: dict[str, Any],
    asks: Sequence[str],
    profile: dict[str, Any],
    today: date,
    language: str,
    *,
    facts: Facts | None = None,
    subject: str = "",
    related: Iterable[dict[str, Any]] = (),
) -> Answer:
    """Answer ``asks`` about one resolved policy, the asked part first.

    Args:
        policy: The policy row (discovery's row shape).
        asks: The turn's asks in priority order (empty: a general description).
        profile: The stored profile with the stated facts on top (``Facts.over``).
        today: Today in KST.
        language: ``ko`` or ``en``.
        facts: The facts stated in the conversation (benefits and statuses for exclusions).
        subject: What an exclusion question asks about ("국민취업지원제도 참여중").
        related: Policies that answer the same need, appended after the answer, marked.
    """
    wanted = [a for a in asks if a in BUILDERS]
    # About a named policy, "뭐 있어?" or "tell me" only matter when nothing specific is asked.
    specific = [a for a in wanted if a not in ("recommendation", "details")]
    wanted = specific or list(_DEFAULT_ASKS)
    sections = [Section("policy", name_of(policy, language), ())]
    for ask in wanted:
        sections += BUILDERS[ask](policy, profile, today, language, facts, subject)
    if "window" not in wanted and window(policy, today).state in ("ended", "closed"):
        sections.append(window_part(policy, profile, today, language, facts, subject)[0])
    related_rows = list(related)
    if related_rows:
        sections.append(_related(related_rows, language, today))
    return Answer(
        "policy",
        language,
        _dedupe(sections),
        (policy["plcy_no"],),
        tuple(r["plcy_no"] for r in related_rows),
    )


def answer_comparison(
    policies: Sequence[dict[str, Any]],
    profile: dict[str, Any],
    today: date,
    language: str,
    both: bool = False,
) -> Answer:
    """Compare named policies side by side: who, how much, when, and the verdict if known.

    With ``both`` (the person asks about taking them together) the duplicate-benefit rule
    comes first, from the policies' own exclusion texts.
    """
    sections = []
    if both:
        sections.append(
            Section("overlap", label("overlap", language), overlap_lines(policies, language))
        )
    for policy in policies:
        state = window(policy, today)
        lines = [
            f"{label('who', language)}: {who(policy, language)}",
            f"{label('amount', language)}: {_one_line(policy.get('support_content'))}",
            f"{label('window', language)}: {window_sentence(state, language)}",
        ]
        if profile:
            lines.append(
                f"{label('verdict', language)}: {_short_verdict(policy, profile, today, language)}"
            )
        sections.append(Section("comparison", name_of(policy, language), tuple(lines)))
    return Answer("comparison", language, tuple(sections), tuple(p["plcy_no"] for p in policies))


def answer_not_found(language: str, span: str = "", contact: str | None = None) -> Answer:
    """Say plainly that no policy fits, and what the person can do next."""
    if language == "en":
        head = (
            f"I could not find a policy called '{span}'."
            if span
            else "I could not find a policy that fits."
        )
        steps = ("Search more broadly by need (for example rent, jobs, savings) and I will look again.",
                 f"Ask the national youth policy counselling service (온통청년{f', {contact}' if contact else ', youthcenter.go.kr'}).")  # fmt: skip
    else:
        head = (
            f"'{span}'(이)라는 정책은 찾지 못했어요."
            if span
            else "조건에 맞는 정책을 찾지 못했어요."
        )
        steps = ("필요한 분야(예: 월세, 취업, 자산형성)로 넓게 물어봐 주시면 다시 찾아볼게요.",
                 f"온통청년 청년정책 상담{f'({contact})' if contact else '(youthcenter.go.kr)'}에서도 안내받을 수 있어요.")  # fmt: skip
    return Answer(
        "not_found",
        language,
        (
            Section("not_found", "", (head,)),
            Section("next_steps", label("next_steps", language), steps),
        ),
    )


def answer_crisis(language: str) -> Answer:
    """Give the crisis lines first, then gentle help; no policy comes before them."""
    if language == "en":
        lines = tuple(f"{en}: {number} (24 hours)" for _, en, number in CRISIS_LINES)
        first = "If you are thinking of harming yourself or feel you cannot go on, please call now:"
        care = ("You do not have to handle this alone. In an emergency call 119 or 112.",
                "When you are ready, I can also look for youth mental-health support programmes with you.")  # fmt: skip
    else:
        lines = tuple(f"{ko} {number} (24시간)" for ko, _, number in CRISIS_LINES)
        first = "지금 많이 힘드시다면 바로 전화해 주세요:"
        care = ("혼자 견디지 않으셔도 돼요. 위급하면 119나 112에 연락해 주세요.",
                "괜찮아지시면 청년 마음건강 지원 정책도 함께 찾아볼게요.")  # fmt: skip
    return Answer(
        "crisis", language, (Section("crisis", "", (first, *lines)), Section("care", "", care))
    )


def no_open_care(language: str) -> Section:
    """Say that no mental-health programme is open now, and where free help is anyway."""
    text = ("No youth mental-health programme is open for applications right now; your local mental health welfare centre (1577-0199) offers free counselling."
            if language == "en" else "지금 신청할 수 있는 청년 마음건강 지원 정책은 찾지 못했어요. 가까운 정신건강복지센터(1577-0199)에서 무료 상담을 받을 수 있어요.")  # fmt: skip
    return Section("care", "", (text,))


def answer_decline(reason: str, language: str) -> Answer:
    """Decline an off-topic question or an instruction to the assistant, briefly, no citations."""
    if reason == "injection":
        text = ("I can't follow that request. Ask me about youth policies and I will help."
                if language == "en" else "그 요청은 따를 수 없어요. 청년 정책에 대해 물어봐 주시면 도와드릴게요.")  # fmt: skip
    else:
        text = ("I can only help with youth policies: housing, jobs, education and welfare support."
                if language == "en" else "저는 청년 정책 상담만 도와드릴 수 있어요. 주거·일자리·교육·복지 지원이 궁금하면 물어봐 주세요.")  # fmt: skip
    return Answer("decline", language, (Section("decline", "", (text,)),))


def counselling_contact(policies: Iterable[dict[str, Any]]) -> str | None:
    """Return the youth policy counselling number as the catalogue states it (None if absent)."""
    for policy in policies:
        for key in ("apply_method", "support_content", "description"):
            if match := _CONTACT.search(policy.get(key) or ""):
                return match.group(2)
    return None


def with_related(answer: Answer, rows: list[dict[str, Any]], today: date) -> Answer:
    """Return ``answer`` with ``rows`` listed after it under the related label (not cited)."""
    if not rows:
        return answer
    section = _related(rows, answer.language, today)
    return Answer(
        answer.kind, answer.language, (*answer.sections, section), answer.citations,
        tuple(r["plcy_no"] for r in rows),
    )  # fmt: skip


def _related(rows: list[dict[str, Any]], language: str, today: date) -> Section:
    """List related policies after the answer: the name and where its window stands."""
    lines = tuple(
        f"{name_of(r, language)}: {window_sentence(window(r, today), language)}"
        + ("" if language == "en" else f" {whole_sentences(r.get('description'), 100)}")
        for r in rows
    )
    return Section("related", label("related", language), lines)


def _dedupe(sections: list[Section]) -> tuple[Section, ...]:
    seen: set[tuple[str, tuple[str, ...]]] = set()
    kept = []
    for section in sections:
        key = (section.kind, section.lines)
        if key not in seen:
            seen.add(key)
            kept.append(section)
    return tuple(kept)


def _one_line(text: str | None) -> str:
    lines = [line.strip(" -○•") for line in (text or "").replace("\\n", "\n").split("\n")]
    return whole_sentences("; ".join(line for line in lines if line), 200)


def _short_verdict(
    policy: dict[str, Any], profile: dict[str, Any], today: date, language: str
) -> str:
    verdict = judge(policy, profile, today)
    if verdict.overall != "needs_check":
        return verdict.headline(language)
    return (
        "Basic rules may fit; some conditions need checking."
        if language == "en"
        else "기본 조건은 맞을 수 있어요(일부 조건은 확인 필요)."
    )
