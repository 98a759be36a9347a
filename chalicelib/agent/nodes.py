"""The agent graph's nodes: supervisor, policy search, handoff, response generator, news.

Each node takes the state and returns a partial update; routing functions return node names.
The supervisor reads the turn (the chat model may refine the rule-based reading); the policy
search resolves the focus, searches and judges, and decides what the answer says (the plan) the
same way for every provider; the response generator writes it. The news node runs beside the
response generator (never before it) and only fills ``news``. Nodes never call boto3.
"""

from __future__ import annotations

from typing import Any, Literal

from langgraph.config import get_stream_writer

from chalicelib.agent.advisor import Advisor
from chalicelib.agent.focus import facts_from_state, facts_to_state
from chalicelib.agent.news import MAX_RESULTS, news_request, news_to_state, news_tokens
from chalicelib.agent.reading import reading_from_state, reading_to_state
from chalicelib.agent.state import ChatState
from chalicelib.agent.tools import AgentTools
from chalicelib.agent.turns import Turn, strip_instructions, understand_turn
from chalicelib.ports import AnswerPlan, ChatModel


def _last_user_text(state: ChatState) -> str:
    return next((m["content"] for m in reversed(state["messages"]) if m["role"] == "user"), "")


class Nodes:
    """Node functions bound to one chat model and one tool set."""

    def __init__(self, model: ChatModel, tools: AgentTools) -> None:
        """Bind the nodes to the chat model and the tools."""
        self._model = model
        self._tools = tools
        self._advisor = Advisor(tools)

    def supervisor(self, state: ChatState) -> dict[str, Any]:
        """Read the turn: what is asked, which policies are named, the facts stated, safety."""
        usage: dict[str, int] = {}
        turn = self._read(_last_user_text(state), state, usage)
        return {"reading": reading_to_state(turn), "language": turn.language, "usage": usage}

    def policy_search(self, state: ChatState) -> dict[str, Any]:
        """Keep the focus, search and judge the policies, and decide what the answer says."""
        decision = self._advisor.decide(
            reading_from_state(state["reading"]),
            dict(state.get("profile") or {}),
            state.get("focus"),
            state.get("pending"),
            facts_from_state(state.get("stated_facts")),
        )
        return {
            "intent": "human" if decision.handoff else decision.plan["kind"],
            "language": decision.plan["language"],
            "focus": decision.focus,
            "pending": decision.pending,
            "stated_facts": facts_to_state(decision.facts),
            "plan": decision.plan,
            "news_request": None if decision.handoff else self._news_request(decision.plan),
            "news": [],  # this turn's news only: the node below replaces it when it runs
            "news_tokens": 0,
        }

    def _news_request(self, plan: AnswerPlan) -> dict[str, Any] | None:
        if not self._tools.news_enabled:
            return None
        cited = [self._tools.policy(c["plcyNo"]) for c in plan["citations"]]
        return news_request(plan, [r for r in cited if r is not None], self._tools.today())

    def news(self, state: ChatState) -> dict[str, Any]:
        """Look up recent web news for the answer (shown apart; a failure is just no news)."""
        request = state.get("news_request") or {}
        items = self._tools.search_news(request["query"], MAX_RESULTS, request.get("days"))
        return {"news": news_to_state(items), "news_tokens": news_tokens(items)}

    def _read(self, text: str, state: ChatState, usage: dict[str, int]) -> Turn:
        pending, has_focus = state.get("pending"), bool(state.get("focus"))
        turn = self._model.understand(
            understand_turn(text, pending=pending, has_focus=has_focus), usage
        )
        if turn.injection and not turn.crisis:
            # An instruction to the assistant is ignored; a real question beside it is answered.
            question = strip_instructions(text)
            rest = understand_turn(question, pending=pending, has_focus=has_focus)
            if question and (rest.asks or rest.named_text_spans) and not rest.off_topic:
                return rest
        return turn

    def respond(self, state: ChatState) -> dict[str, Any]:
        """Write the answer: the plan's lead first (crisis lines), then the model's stream."""
        usage = dict(state.get("usage") or {})
        writer = get_stream_writer()
        plan = state["plan"]
        pieces = []
        if plan["lead"]:
            pieces.append(plan["lead"] + "\n\n")
            writer({"token": pieces[0]})
        for piece in self._model.stream_answer(plan, usage):
            pieces.append(piece)
            writer({"token": piece})
        answer = "".join(pieces).strip()
        citations = plan["citations"]
        return {
            "answer": answer,
            "citations": citations,
            "usage": usage,
            "messages": [{"role": "assistant", "content": answer, "citations": citations}],
        }

    def handoff(self, state: ChatState) -> dict[str, Any]:
        """Record that the user asked for a human; the answer says how one will reach them."""
        return {"handoff": True}


Route = Literal["respond", "handoff", "news"]


def route_after_search(state: ChatState) -> Route | list[Route]:
    """Hand off a request for a human; answer anything else, with news beside it if asked.

    The news search runs at the same time as the answer, so it never delays its first token.
    """
    if state.get("intent") == "human":
        return "handoff"
    return ["respond", "news"] if state.get("news_request") else "respond"
