"""Decide one turn's answer above the provider: focus, the policies it is about, the plan.

Owns the conversation rules every provider shares: crisis lines first; declines without
citations; a named policy is answered about (closed or not); two or more named are compared; a
name that resolves to nothing gets an honest not-found; a need is searched and only the
policies that fit are cited; follow-ups keep the focus and a reply to the advisor's question
completes the pending one. Calls the tools handed in, never a store or a model.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from chalicelib.agent.answers import (
    Answer,
    answer_comparison,
    answer_crisis,
    answer_decline,
    answer_not_found,
    answer_policy,
    no_open_care,
    with_related,
)
from chalicelib.agent.facts import Facts
from chalicelib.agent.focus import combine, is_status, named_in, pick
from chalicelib.agent.overlap import asks_both
from chalicelib.agent.plan import answer_recommendation, fixed_answer, make_plan, news_note
from chalicelib.agent.related import (
    INSTEAD,
    MAX_RELATED,
    applicable_first,
    need_of,
    needs_related,
    open_alternatives,
    open_now,
)
from chalicelib.agent.relevance import (
    LOCAL,
    concepts,
    fitting,
    local_first,
    relevant,
    search_text,
    usable,
    with_local,
)
from chalicelib.agent.state import Focus, Pending
from chalicelib.agent.tools import AgentTools
from chalicelib.agent.turns import Turn, asks_in, speaks_of_policy
from chalicelib.ports import AnswerPlan

# Policies for someone in crisis, searched after the crisis lines.
_CRISIS_NEED = "청년 마음건강 심리상담 지원"
_SPECIFIC = {"documents", "window", "amount", "how_to_apply", "eligibility", "exclusion"}


@dataclass(frozen=True)
class Decision:
    """One turn decided: the plan, and what the conversation carries to the next turn."""

    plan: AnswerPlan
    focus: Focus | None
    pending: Pending | None
    facts: Facts
    handoff: bool = False


@dataclass(frozen=True)
class _Turn:
    turn: Turn
    facts: Facts
    profile: dict[str, Any]
    today: date
    language: str


class Advisor:
    """The advisor's turn rules over the tools (catalogue, policies, discovery)."""

    def __init__(self, tools: AgentTools) -> None:
        """Use ``tools`` for every lookup."""
        self._tools = tools

    def decide(
        self,
        turn: Turn,
        profile: dict[str, Any],
        focus: Focus | None,
        pending: Pending | None,
        stated: Facts,
    ) -> Decision:
        """Return the plan for ``turn`` and the focus, pending question and facts after it."""
        facts = combine(stated, turn.facts)
        now = _Turn(turn, facts, facts.over(profile), self._tools.today(), turn.language)
        if turn.crisis:
            return self._crisis(now, focus)
        if turn.injection or turn.off_topic:
            reason = "injection" if turn.injection else "off_topic"
            return self._fixed(now, answer_decline(reason, now.language), focus)
        if turn.primary == "human":
            return self._fixed(
                now, fixed_answer("human", now.language, self._tools.contact()), focus, handoff=True
            )
        if turn.primary == "about" or (turn.small_talk and not turn.named_text_spans):
            kind = "about" if turn.primary == "about" else "small_talk"
            return self._fixed(now, fixed_answer(kind, now.language), focus)
        return self._about_policies(now, focus, pending)

    def _about_policies(self, now: _Turn, focus: Focus | None, pending: Pending | None) -> Decision:
        turn = now.turn
        asks: list[str] = list(turn.asks)
        if turn.is_reply_to_pending and focus:
            return self._answer(now, focus["plcy_nos"], focus["need"], focus["asks"], None)
        candidates = self._tools.resolve(turn.text)
        for span in turn.named_text_spans if not candidates else ():
            candidates = candidates or self._tools.resolve(span)  # e.g. a model's reading
        if focus and focus["plcy_nos"] and all(is_status(c, turn.text) for c in candidates):
            candidates = []  # "대학원 재학 중이면 안 돼?": the person's status, asked of the focus
        if focus and focus["plcy_nos"] and not candidates and INSTEAD.search(turn.text):
            return self._instead(now, focus)
        if candidates:
            return self._answer(
                now, named_in(candidates, asks, turn.text, focus), None, asks, pending
            )
        if focus and turn.refers_to_focus:
            if not asks and not turn.facts.is_empty() and focus["plcy_nos"]:
                asks = ["eligibility"]  # "나 35살이면?": the stated fact against the policy
            asks = asks or focus["asks"]
            fresh_facts = not turn.facts.is_empty() and not set(turn.asks) & _SPECIFIC
            if focus["need"] and (fresh_facts or not focus["plcy_nos"]):
                carried = self._answer(now, [], focus["need"], asks, pending)
                if carried.plan["citations"] or carried.pending or focus["plcy_nos"]:
                    return carried
                # The need carried over found nothing before and again: this message asks anew.
                return self._answer(now, [], turn.query or turn.text, asks, pending)
            many = "comparison" in asks and len(focus["plcy_nos"]) > 1
            named = focus["plcy_nos"] if many else pick(focus["plcy_nos"], turn.text)
            return self._answer(now, named, None, asks, pending)
        if turn.named_text_spans:
            span = turn.named_text_spans[0]
            answer = answer_not_found(now.language, span, self._tools.contact())
            return self._decision(now, answer, [], None, None)
        return self._answer(now, [], turn.query or turn.text, asks, pending)

    def _answer(
        self,
        now: _Turn,
        named: list[str],
        need: str | None,
        asks: list[str],
        pending: Pending | None,
    ) -> Decision:
        rows = [row for n in named if (row := self._tools.policy(n)) is not None]
        if not rows:
            return self._need(now, need or now.turn.text, asks, pending)
        focus: Focus = {"plcy_nos": [r["plcy_no"] for r in rows], "need": None, "asks": asks}
        if "comparison" in asks and len(rows) > 1:
            both = asks_both(now.turn.text)
            answer = answer_comparison(rows, now.profile, now.today, now.language, both)
            return self._decision(now, answer, rows, focus, None)
        row = rows[0]
        focus["plcy_nos"] = [row["plcy_no"]]
        # Without an age the verdict says what the age rule is and asks; the reply completes it.
        waiting: Pending | None = "age" if self._needs_age(row, asks, now.profile) else None
        # Only "X여도 돼?" names a status to check against the exclusions.
        subject = now.turn.text if "exclusion" in asks else ""
        related = self._related(now, row)
        answer = answer_policy(
            row, asks, now.profile, now.today, now.language, facts=now.facts, subject=subject,
            related=related,
        )  # fmt: skip
        answer = _with_news(answer, asks, self._tools.news_enabled)
        return self._decision(now, answer, rows[:1] + related, focus, waiting, asks)

    def _related(self, now: _Turn, row: dict[str, Any]) -> list[dict[str, Any]]:
        """Open policies for the same need, when the named one cannot be used now."""
        if not needs_related(row, now.profile, now.today, now.facts):
            return []
        found = fitting(self._tools.find_for(search_text(need_of(row)), now.profile), 0.05)
        return open_alternatives(found, {row["plcy_no"]}, now.profile, now.today, now.facts)

    def _instead(self, now: _Turn, focus: Focus) -> Decision:
        """Answer "대신 할 수 있는 거 있어?": open policies for the focus policy's need."""
        row = self._tools.policy(focus["plcy_nos"][0])
        need = need_of(row) if row else now.turn.text
        found = self._tools.find_for(search_text(need), now.profile)
        rows = open_alternatives(found, set(focus["plcy_nos"]), now.profile, now.today, now.facts)
        if not rows:
            answer = answer_not_found(now.language, contact=self._tools.contact())
            return self._decision(now, answer, [], focus, None)
        answer = answer_recommendation(rows, now.profile, now.today, now.language, now.facts)
        new_focus: Focus = {"plcy_nos": [r["plcy_no"] for r in rows], "need": need, "asks": []}
        return self._decision(now, answer, rows, new_focus, None)

    def _need(self, now: _Turn, need: str, asks: list[str], pending: Pending | None) -> Decision:
        fresh = need in (now.turn.text, now.turn.query)  # not a need carried from before
        broad_asks = set(asks) <= {"recommendation", "amount", "eligibility", "details"}
        if fresh and broad_asks and not concepts(need) and now.turn.facts.is_empty():
            # "내가 받을 수 있는 혜택 뭐 있어?": no need, nothing about the person yet and no
            # criterion of its own (news, deadlines), so any list would be arbitrary: ask.
            return self._fixed(now, fixed_answer("clarify_need", now.language), None)
        found = self._tools.find_for(search_text(need), now.profile)
        # Only genuine matches are cited (no nearest-three padding); a region cannot add one.
        rows = relevant(need, found)
        focus: Focus = {"plcy_nos": [], "need": need, "asks": asks}
        if not rows and fresh and not speaks_of_policy(now.turn.text):
            return self._fixed(now, answer_decline("off_topic", now.language), None)
        if rows and self._needs_region(now, rows) and pending != "region":
            return self._decision(
                now, fixed_answer("clarify_region", now.language), [], focus, "region"
            )
        usable_rows = usable(rows, now.profile, now.today, now.facts)
        ordered = local_first(applicable_first(usable_rows, now.today), need, now.profile)
        local = bool(LOCAL.search(need) or now.turn.facts.region_code)  # asked, or said where
        local = local and bool(now.profile.get("region_code"))
        chosen = with_local(fitting(ordered), ordered, local)
        if not chosen:
            # What answers the need but rules the person out is shown only as related, marked.
            blocked = rows[:MAX_RELATED]
            answer = answer_not_found(now.language, contact=self._tools.contact())
            answer = with_related(answer, blocked, now.today)
            return self._decision(now, answer, blocked, focus, None)
        focus["plcy_nos"] = [r["plcy_no"] for r in chosen]
        answer = answer_recommendation(chosen, now.profile, now.today, now.language, now.facts)
        answer = _with_news(answer, asks, self._tools.news_enabled)
        return self._decision(now, answer, chosen, focus, None)

    def _crisis(self, now: _Turn, focus: Focus | None) -> Decision:
        crisis = answer_crisis(now.language)
        lines = crisis.sections[0].lines
        # Only what can be applied for now is offered; a closed programme is no help today.
        rows = fitting(open_now(self._tools.find_for(_CRISIS_NEED, now.profile), now.today))
        if rows:
            body = answer_recommendation(rows, now.profile, now.today, now.language, now.facts)
            answer = Answer(
                "crisis", now.language, crisis.sections[1:] + body.sections, body.citations
            )
        else:
            answer = Answer(
                "crisis", now.language, (*crisis.sections[1:], no_open_care(now.language))
            )
        plan = make_plan(
            answer, rows, asks=list(asks_in(now.turn.text)), message=now.turn.text,
            profile=now.profile, facts=now.facts, today=now.today, lead=lines,
        )  # fmt: skip
        return Decision(plan, focus, None, now.facts)

    def _fixed(
        self, now: _Turn, answer: Answer, focus: Focus | None, handoff: bool = False
    ) -> Decision:
        decision = self._decision(now, answer, [], focus, None)
        return Decision(decision.plan, focus, None, now.facts, handoff)

    def _decision(
        self, now: _Turn, answer: Answer, rows: list[dict[str, Any]], focus: Focus | None,
        pending: Pending | None, asks: list[str] | None = None,
    ) -> Decision:  # fmt: skip
        plan = make_plan(
            answer, rows, asks=list(now.turn.asks if asks is None else asks), message=now.turn.text,
            profile=now.profile, facts=now.facts, today=now.today,
        )  # fmt: skip
        return Decision(plan, focus, pending, now.facts)

    @staticmethod
    def _needs_age(row: dict[str, Any], asks: list[str], profile: dict[str, Any]) -> bool:
        asked = bool({"eligibility", "exclusion"} & set(asks))
        limited = row.get("min_age") is not None or row.get("max_age") is not None
        known = profile.get("age") is not None or profile.get("birth_date") is not None
        return asked and limited and not known

    @staticmethod
    def _needs_region(now: _Turn, rows: list[dict[str, Any]]) -> bool:
        if now.profile.get("region_code"):
            return False
        if LOCAL.search(now.turn.text):
            return True
        # The region changes the answer only when what fits is local.
        return bool(rows) and not any(r.get("nationwide") for r in rows)


def _with_news(answer: Answer, asks: list[str], searched: bool) -> Answer:
    if "news" not in asks:
        return answer
    return Answer(
        answer.kind, answer.language, (news_note(answer.language, searched), *answer.sections),
        answer.citations, answer.related,
    )  # fmt: skip
