"""The answer plan handed to the chat model: the grounded answer, its policies and citations.

Owns turning an ``answers.Answer`` into a JSON-safe ``ports.AnswerPlan`` (sections, rendered
text with ``[plcyNo]`` marks, each cited policy's fields with its verdict and its exclusions
labelled as exclusions), the recommendation listing, and the short fixed answers (clarifying
question, hand-off, about FinQ, greeting). The same plan goes to every provider. Pure.
"""

# ruff: noqa: E501  (answer text in Hangul reads best on one line; Hangul is double width)

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from typing import Any

from chalicelib.agent.answer_parts import Section, name_of, who, window_sentence
from chalicelib.agent.answers import Answer
from chalicelib.agent.facts import Facts
from chalicelib.agent.labels import label
from chalicelib.agent.policy_text import documents, exclusion_items, whole_sentences, window
from chalicelib.agent.verdicts import judge
from chalicelib.ports import AnswerPlan


def make_plan(
    answer: Answer,
    rows: Sequence[dict[str, Any]],
    *,
    asks: Sequence[str],
    message: str,
    profile: dict[str, Any],
    facts: Facts,
    today: date,
    lead: tuple[str, ...] = (),
) -> AnswerPlan:
    """Return the plan for ``answer``, about ``rows`` (exactly the policies it cites)."""
    by_no = {r["plcy_no"]: r for r in rows}
    cited = [by_no[n] for n in answer.citations if n in by_no]
    # Only "X여도 돼?" names a status to check against the exclusions; other words are not.
    subject = message if "exclusion" in asks else ""
    verdicts = {r["plcy_no"]: judge(r, profile, today, facts, subject) for r in cited}
    sections = _marked(answer, cited)
    return {
        "kind": answer.kind,
        "language": answer.language,
        "asks": list(asks),
        "message": message,
        "lead": "\n".join(lead),
        "text": _render(sections),
        "sections": [dataclasses.asdict(s) | {"lines": list(s.lines)} for s in sections],
        "policies": [
            _policy_fields(r, verdicts[r["plcy_no"]], answer.language, today) for r in cited
        ],
        "related": [{"plcyNo": n, "name": by_no[n]["name"]} for n in answer.related if n in by_no],
        "facts": _facts(facts),
        "citations": [
            {
                "plcyNo": r["plcy_no"],
                "name": r["name"],
                "apply_url": r.get("apply_url") or "",
                "verdict": verdicts[r["plcy_no"]].overall,
            }
            for r in cited
        ],
    }


def answer_recommendation(
    rows: Sequence[dict[str, Any]],
    profile: dict[str, Any],
    today: date,
    language: str,
    facts: Facts,
) -> Answer:
    """List the policies that fit a need: who, what, when, the verdict and how to apply."""
    en = language == "en"
    intro = (
        f"{len(rows)} {'policy fits' if len(rows) == 1 else 'policies fit'} what you asked for."
        if en
        else f"말씀하신 내용에 맞는 정책 {len(rows)}개를 찾았어요."
    )
    sections = [Section("intro", "", (intro,))]
    for row in rows:
        verdict = judge(row, profile, today, facts)
        lines = [
            f"{label('who', language)}: {who(row, language)}",
            f"{label('amount', language)}: {whole_sentences(row.get('support_content'), 160)}",
            f"{label('window', language)}: {window_sentence(window(row, today), language)}",
            f"{label('verdict', language)}: {_verdict_line(verdict, language)}",
            f"{label('how_to_apply', language)}: {whole_sentences(row.get('apply_method'), 160)}",
        ]
        sections.append(
            Section(
                "listing",
                name_of(row, language),
                tuple(line for line in lines if not line.endswith(": ")),
            )
        )
    return Answer("recommendation", language, tuple(sections), tuple(r["plcy_no"] for r in rows))


def fixed_answer(kind: str, language: str, contact: str | None = None) -> Answer:
    """A short answer that needs no policy: clarify_region, clarify_need, human, about, small_talk."""
    en = language == "en"
    texts = {
        "clarify_region": ("Which city or district do you live in? What you can get depends on where you live."
                           if en else "어느 지역(시·군·구)에 살고 계신가요? 지역에 따라 받을 수 있는 정책이 달라져요."),
        "clarify_need": ("Tell me what kind of help you need and I'll find the policies that fit: housing (rent, deposit loans), jobs "
                         "(job search, interviews, starting a business), savings, education and training, or living costs (transport, "
                         "culture, mental health). Add your age, region and whether you study, work or are looking for work, and I'll "
                         "pick only what you can apply for." if en else
                         "어떤 도움이 필요하신지 알려 주시면 맞는 정책을 찾아 드릴게요. 예를 들면 주거(월세·전세), 일자리(취업·면접·창업), "
                         "자산 형성(적금·계좌), 교육·훈련, 생활(교통비·문화·마음건강) 같은 분야요. 나이, 사는 지역, 학생·구직·재직 여부도 "
                         "알려 주시면 신청할 수 있는 정책만 골라 드려요."),
        "human": (_human_en(contact) if en else _human_ko(contact)),
        "about": ("I'm FinQ. Tell me your age, region and situation and I'll find Korean youth policies you can apply for, "
                  "with eligibility, deadlines, documents and how to apply." if en else
                  "저는 FinQ예요. 나이·지역·상황을 알려주시면 받을 수 있는 청년 정책을 찾아 자격, 마감일, 준비 서류, 신청 방법까지 정리해 드려요."),
        "small_talk": ("Hello! Tell me what kind of support you're looking for, with your age and region."
                       if en else "안녕하세요! 어떤 지원이 필요하신지 말씀해 주세요. 나이와 사는 지역을 함께 알려주시면 더 정확해요."),
    }  # fmt: skip
    return Answer(kind, language, (Section(kind, "", (texts[kind],)),))


def news_note(language: str, searched: bool = False) -> Section:
    """Say where news is (apart, for reference) or that it is not searched; the policy data rules."""
    if searched:
        return Section("news", "", ((
            "Recent news, if any is found, is listed separately below with its source and date. News is for reference only; "
            "eligibility, dates and amounts follow the policy information here."
            if language == "en" else "최근 뉴스는 찾은 경우 답변 아래 '뉴스'에 출처·날짜와 함께 따로 보여드려요. 뉴스는 참고용이고, 자격·기간·금액은 여기 정책 정보가 기준이에요."),))  # fmt: skip
    return Section("news", "", ((
        "I can't search the latest news here; this is what the current policy information says."
        if language == "en" else "최신 뉴스·소식은 여기서 검색할 수 없어서, 현재 정책 정보를 기준으로 알려드릴게요."),))  # fmt: skip


def _human_ko(contact: str | None) -> str:
    tail = f" 급하면 청년정책 상담센터({contact})에 문의하실 수도 있어요." if contact else ""
    return (
        "상담원 연결을 요청하셨어요. 문의가 접수되었고, 담당자가 확인 후 이메일로 연락드릴 거예요."
        + tail
    )


def _human_en(contact: str | None) -> str:
    tail = (
        f" For urgent questions you can also call the youth policy counselling centre ({contact})."
        if contact
        else ""
    )
    return (
        "You asked for a person. Your request has been passed to our support team, who will reply by email."
        + tail
    )


def _verdict_line(verdict: Any, language: str) -> str:
    if verdict.overall != "needs_check":
        return str(verdict.headline(language))
    return ("Basic rules may fit; some conditions need checking."
            if language == "en" else "기본 조건은 맞을 수 있어요(일부 조건은 확인 필요).")  # fmt: skip


def _marked(answer: Answer, cited: list[dict[str, Any]]) -> list[Section]:
    """Mark each cited policy's heading with its ``[plcyNo]`` (the answer's citation marks)."""
    numbers = iter(r["plcy_no"] for r in cited)
    marked = []
    for section in answer.sections:
        if section.kind in ("policy", "comparison", "listing"):
            number = next(numbers, None)
            if number is not None:
                section = dataclasses.replace(section, title=f"{section.title} [{number}]")
        marked.append(section)
    return marked


def _render(sections: Sequence[Section]) -> str:
    blocks = []
    for section in sections:
        bullet = section.kind in (
            "documents",
            "conditions",
            "exclusions",
            "related",
            "next_steps",
            "comparison",
            "listing",
        )
        lines = [f"- {line}" if bullet else line for line in section.lines]
        blocks.append("\n".join(([f"**{section.title}**"] if section.title else []) + lines))
    return "\n\n".join(blocks)


def _policy_fields(row: dict[str, Any], verdict: Any, language: str, today: date) -> dict[str, Any]:
    """One cited policy as the model sees it: its own fields, the verdict, exclusions apart."""
    items, notes = documents(row)
    return {
        "plcyNo": row["plcy_no"],
        "name": row["name"],
        "description": whole_sentences(row.get("description"), 300),
        "who": who(row, language),
        "support": whole_sentences(row.get("support_content"), 400),
        "window": window_sentence(window(row, today), language),
        "how_to_apply": whole_sentences(row.get("apply_method"), 300),
        "apply_url": row.get("apply_url") or "",
        "documents": items,
        "document_notes": notes,
        "verdict": verdict.overall,
        "criteria": [
            {"criterion": f.criterion, "verdict": f.verdict, "reason": f.text(language)}
            for f in verdict.findings
        ],
        "exclusions_who_cannot_apply": exclusion_items(row),
    }


def _facts(facts: Facts) -> dict[str, Any]:
    return {
        k: list(v) if isinstance(v, tuple) else v
        for k, v in dataclasses.asdict(facts).items()
        if v not in (None, (), [])
    }
