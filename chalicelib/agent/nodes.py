"""The agent graph's nodes: supervisor, policy search, response generator, handoff.

Each node takes the state and returns a partial update; routing functions return node names.
Nodes call the chat model and tools handed to them, never boto3.
"""

from __future__ import annotations

from typing import Any, Literal

from langgraph.config import get_stream_writer

from chalicelib.agent.state import ChatState
from chalicelib.agent.tools import AgentTools
from chalicelib.ports import ChatModel

# Profile fields a message's slots override for the turn.
_SLOT_TO_PROFILE = {
    "age": "age",
    "region": "region_code",
    "job": "job_status",
    "school": "school_status",
    "annual_income": "annual_income",
    "interests": "interests",
}


def _last_user_text(state: ChatState) -> str:
    return next((m["content"] for m in reversed(state["messages"]) if m["role"] == "user"), "")


class Nodes:
    """Node functions bound to one chat model and one tool set."""

    def __init__(self, model: ChatModel, tools: AgentTools) -> None:
        """Bind the nodes to the chat model and the tools."""
        self._model = model
        self._tools = tools

    def supervisor(self, state: ChatState) -> dict[str, Any]:
        """Classify the turn and merge the message's slots over the stored profile."""
        usage: dict[str, int] = {}
        text = _last_user_text(state)
        understood = self._model.understand(text, bool(state.get("policies")), usage)
        slots = understood["slots"]
        criteria = dict(state.get("profile") or {})
        for slot, field in _SLOT_TO_PROFILE.items():
            if slot in slots:
                criteria[field] = slots[slot]
        if "age" in slots:
            criteria.pop("birth_date", None)
        # Earlier turns' slots still hold unless this message restates them.
        for field, value in (state.get("criteria") or {}).items():
            if field not in criteria or (
                field in _SLOT_TO_PROFILE.values() and criteria.get(field) is None
            ):
                criteria[field] = value
        return {
            "intent": understood["intent"],
            "language": understood["language"],
            "slots": slots,
            "criteria": criteria,
            "clarification": None,
            "usage": usage,
        }

    def policy_search(self, state: ChatState) -> dict[str, Any]:
        """Search policies for the turn, or ask once for a missing region that matters."""
        usage = dict(state.get("usage") or {})
        criteria = state.get("criteria") or {}
        plan = self._model.plan_search(_last_user_text(state), criteria, usage)
        policies = self._tools.search_policies(plan["query"], criteria)
        # The region changes the answer only when what fits is local: ask once, then.
        local_only = not any(p.get("region") == "전국" for p in policies)
        if plan.get("clarify") and not state.get("asked_region") and local_only:
            return {
                "clarification": plan["clarify"],
                "asked_region": True,
                "policies": [],
                "usage": usage,
            }
        return {"query": plan["query"], "policies": policies, "usage": usage}

    def respond(self, state: ChatState) -> dict[str, Any]:
        """Write the answer from the retrieved policies, streaming tokens as they come."""
        usage = dict(state.get("usage") or {})
        writer = get_stream_writer()
        policies = state.get("policies") or []
        request: dict[str, Any] = {
            "intent": state.get("intent"),
            "language": state.get("language", "ko"),
            "message": _last_user_text(state),
            "clarification": state.get("clarification"),
            "policies": policies if state.get("intent") in ("policy_question", "follow_up") else [],
            "history": state["messages"][-6:],
        }
        pieces = []
        for piece in self._model.stream_answer(request, usage):
            pieces.append(piece)
            writer({"token": piece})
        answer = "".join(pieces)
        cited = [p for p in request["policies"] if f"[{p['plcyNo']}]" in answer]
        citations = [
            {
                "plcyNo": p["plcyNo"],
                "name": p["name"],
                "apply_url": p.get("apply_url", ""),
                "verdict": p["verdict"]["overall"],
            }
            for p in cited
        ]
        return {
            "answer": answer,
            "citations": citations,
            "usage": usage,
            "messages": [{"role": "assistant", "content": answer, "citations": citations}],
        }

    def handoff(self, state: ChatState) -> dict[str, Any]:
        """Record that the user asked for a human; the answer says how one will reach them."""
        return {"handoff": True, "policies": state.get("policies") or []}


def route_after_supervisor(state: ChatState) -> Literal["policy_search", "respond", "handoff"]:
    """Policy questions search; a human request hands off; everything else answers directly."""
    intent = state.get("intent")
    if intent == "policy_question":
        return "policy_search"
    if intent == "human":
        return "handoff"
    return "respond"
