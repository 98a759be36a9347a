"""The Bedrock chat provider: Claude through Converse (langchain-aws), for the three agents.

Owns each agent's model and temperature (supervisor 0.1, search 0.3, responder 0.7), the
structured outputs of the first two, the streamed answer of the third, and token usage.
langchain-aws is imported here only (it costs ~1.5 s of cold start).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any, Literal

from pydantic import BaseModel, Field

from chalicelib import ports
from chalicelib.agent import prompts
from chalicelib.agent.understanding import language_of, region_in, strip_instructions
from chalicelib.desk_rules import DRAFTER_PROMPT
from chalicelib.ports import DraftAnswer

_JOBS = {
    "employed": "0013001", "self_employed": "0013002", "unemployed": "0013003",
    "freelancer": "0013004", "founder": "0013006",
}  # fmt: skip
_SCHOOLS = {"high_school": "0049002", "university": "0049005", "graduated": "0049007"}


class Understanding(BaseModel):
    """The supervisor's structured output."""

    intent: Literal[
        "policy_question", "follow_up", "about_finq", "small_talk", "human", "out_of_scope"
    ]
    language: Literal["ko", "en"]
    age: int | None = Field(default=None, ge=0, le=120)
    region: str | None = None
    job: (
        Literal["employed", "unemployed", "self_employed", "freelancer", "founder", "student"]
        | None
    ) = None
    school: Literal["high_school", "university", "graduated"] | None = None
    annual_income: int | None = Field(default=None, ge=0)
    interests: list[Literal["일자리", "주거", "교육", "복지문화", "참여권리"]] = Field(
        default_factory=list
    )


class SearchPlan(BaseModel):
    """The search agent's structured output."""

    query: str = Field(max_length=200)
    clarify: str | None = None


def _structured(result: object) -> tuple[Any, Any]:
    """Split a structured output made with ``include_raw=True`` into (raw, parsed or None)."""
    assert isinstance(result, dict)
    return result["raw"], result.get("parsed")


def _add_usage(usage: dict[str, int], metadata: Mapping[str, Any] | None) -> None:
    if metadata:
        usage["input_tokens"] = usage.get("input_tokens", 0) + int(metadata.get("input_tokens", 0))
        usage["output_tokens"] = usage.get("output_tokens", 0) + int(
            metadata.get("output_tokens", 0)
        )


class BedrockChatModel:
    """Claude on Bedrock behind the same three calls as the offline model (a ports.ChatModel)."""

    def __init__(self, client: Any, *, model_id: str, supervisor_model_id: str) -> None:
        """Build the three agents' models on one ``bedrock-runtime`` client."""
        from langchain_aws import ChatBedrockConverse

        self.model_id = model_id
        self._supervisor = ChatBedrockConverse(
            model=supervisor_model_id, client=client, temperature=0.1, max_tokens=400
        ).with_structured_output(Understanding, include_raw=True)
        self._search = ChatBedrockConverse(
            model=supervisor_model_id, client=client, temperature=0.3, max_tokens=200
        ).with_structured_output(SearchPlan, include_raw=True)
        self._responder = ChatBedrockConverse(
            model=model_id, client=client, temperature=0.7, max_tokens=1500
        )

    def understand(
        self, text: str, has_results: bool, usage: dict[str, int]
    ) -> ports.Understanding:
        """Supervisor: intent, language and slots."""
        context = (
            "Earlier turns retrieved policies." if has_results else "No policies retrieved yet."
        )
        result = self._supervisor.invoke(
            [("system", prompts.SUPERVISOR), ("human", f"{context}\n<message>{text}</message>")]
        )
        raw, parsed = _structured(result)
        _add_usage(usage, getattr(raw, "usage_metadata", None))
        if parsed is None:
            return {"intent": "policy_question", "language": language_of(text), "slots": {}}
        slots: dict[str, Any] = {}
        if parsed.age is not None:
            slots["age"] = parsed.age
        if parsed.region and (code := region_in(parsed.region)):
            slots["region"] = code
        if parsed.job in _JOBS:
            slots["job"] = _JOBS[parsed.job]
        if parsed.school:
            slots["school"] = _SCHOOLS[parsed.school]
        if parsed.annual_income is not None:
            slots["annual_income"] = parsed.annual_income
        if parsed.interests:
            slots["interests"] = list(parsed.interests)
        return {"intent": parsed.intent, "language": parsed.language, "slots": slots}

    def plan_search(
        self, text: str, criteria: dict[str, Any], usage: dict[str, int]
    ) -> ports.SearchPlan:
        """Search agent: a search query, and a clarifying question if the region is missing."""
        known = "known" if criteria.get("region_code") else "unknown"
        result = self._search.invoke(
            [
                ("system", prompts.SEARCH),
                (
                    "human",
                    f"Region: {known}.\n<message>{strip_instructions(text) or text}</message>",
                ),
            ]
        )
        raw, plan = _structured(result)
        _add_usage(usage, getattr(raw, "usage_metadata", None))
        if plan is None:
            return {"query": text, "clarify": None}
        return {
            "query": plan.query or text,
            "clarify": plan.clarify if known == "unknown" else None,
        }

    def stream_answer(self, request: dict[str, Any], usage: dict[str, int]) -> Iterator[str]:
        """Response generator: stream the grounded answer."""
        if request.get("clarification"):
            yield str(request["clarification"])
            return
        language = "Korean" if request.get("language") == "ko" else "English"
        policies = [
            {
                key: policy.get(key)
                for key in ("plcyNo", "name", "support", "region", "apply_status", "apply_start",
                            "apply_end", "apply_method", "apply_url", "documents", "verdict")
            }
            for policy in request.get("policies") or []
        ]  # fmt: skip
        human = (
            f"Intent: {request.get('intent')}\n"
            f"<policies>{json.dumps(policies, ensure_ascii=False, default=str)}</policies>\n"
            f"<message>{request.get('message', '')}</message>"
        )
        for chunk in self._responder.stream(
            [("system", prompts.RESPONDER.format(language=language)), ("human", human)]
        ):
            _add_usage(usage, chunk.usage_metadata)
            text = (
                chunk.content
                if isinstance(chunk.content, str)
                else "".join(
                    part.get("text", "") for part in chunk.content if isinstance(part, dict)
                )
            )
            if text:
                yield text


class Draft(BaseModel):
    """The drafter's structured output: an answer and its judgement of whether the FAQ answers."""

    answer: str
    answers_question: bool = Field(
        description="true only if one FAQ entry answers this exact question, not only its topic"
    )
    entry_index: int | None = Field(
        default=None, ge=0, description="0-based index of that FAQ entry, or null"
    )
    confidence: float = Field(ge=0, le=1, description="how sure the FAQ answers this inquiry")


class BedrockDrafter:
    """Draft an inquiry's answer from the tenant's FAQ and domain context with Claude."""

    def __init__(self, client: Any, *, model_id: str) -> None:
        """Build the drafting model on a ``bedrock-runtime`` client."""
        from langchain_aws import ChatBedrockConverse

        self.model_id = model_id
        self._model = ChatBedrockConverse(
            model=model_id, client=client, temperature=0.2, max_tokens=1000
        ).with_structured_output(Draft, include_raw=True)

    def draft(self, inquiry: dict[str, Any], tenant: dict[str, Any]) -> DraftAnswer:
        """Return the answer with Claude's judgement: does an FAQ entry answer, which, how sure."""
        entries = tenant.get("faq") or []
        faq = [
            {"index": i, "question": e["question"], "answer": e["answer"]}
            for i, e in enumerate(entries)
        ]
        human = (
            f"<context>{tenant.get('domain_context', '')}</context>\n"
            f"<faq>{json.dumps(faq, ensure_ascii=False)}</faq>\n"
            f"<inquiry><title>{inquiry['title']}</title><content>{inquiry['content']}</content></inquiry>"
        )
        result = self._model.invoke([("system", DRAFTER_PROMPT), ("human", human)])
        assert isinstance(result, dict)  # include_raw=True: {"raw", "parsed", "parsing_error"}
        usage: dict[str, int] = {}
        _add_usage(usage, getattr(result["raw"], "usage_metadata", None))
        parsed: Draft | None = result.get("parsed")
        if parsed is None:
            return {
                "answer": "",
                "confidence": 0.0,
                "source": None,
                "usage": usage,
                "answers_question": False,
                "entry_index": None,
            }
        index = parsed.entry_index
        valid = index is not None and index < len(entries)
        answers = parsed.answers_question and valid
        return {
            "answer": parsed.answer,
            # An answer not tied to a real entry is not grounded: no confidence in it.
            "confidence": parsed.confidence if answers else min(parsed.confidence, 0.3),
            "source": (entries[index].get("id") or entries[index]["question"])
            if valid and index is not None
            else None,
            "usage": usage,
            "answers_question": answers,
            "entry_index": index if valid else None,
        }
