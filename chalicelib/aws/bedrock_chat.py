"""The Bedrock chat provider: Claude through Converse (langchain-aws), reader and responder.

Owns each call's model and temperature (reader 0.1 with structured output, responder 0.3
streamed), how Claude's reading refines the rule-based one, the answer prompt built from the
plan, and token usage. langchain-aws is imported here only (it costs ~1.5 s of cold start).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator, Mapping
from typing import Any, Literal

from pydantic import BaseModel, Field

from chalicelib.agent import prompts
from chalicelib.agent.facts import region_in
from chalicelib.agent.turns import Turn
from chalicelib.desk_rules import DRAFTER_PROMPT
from chalicelib.ports import AnswerPlan, DraftAnswer

AskName = Literal[
    "eligibility", "exclusion", "documents", "window", "amount", "how_to_apply", "comparison",
    "recommendation", "news", "human", "about", "small_talk", "details",
]  # fmt: skip
# Plans answered word for word: nothing for the model to add, nothing to spend.
_FIXED = {"clarify_region", "clarify_need", "decline", "human", "about", "small_talk"}


class TurnReading(BaseModel):
    """The reader's structured output."""

    asks: list[AskName] = Field(default_factory=list)
    policy_names: list[str] = Field(default_factory=list)
    search_query: str = Field(default="", max_length=200)
    crisis: bool = False
    injection: bool = False
    off_topic: bool = False
    refers_to_previous: bool = False
    age: int | None = Field(default=None, ge=0, le=120)
    region: str | None = None


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


def _rule_reading(turn: Turn) -> str:
    return json.dumps(
        {
            "asks": list(turn.asks),
            "policy_names": list(turn.named_text_spans),
            "crisis": turn.crisis,
            "injection": turn.injection,
            "off_topic": turn.off_topic,
            "refers_to_previous": turn.refers_to_focus,
            "age": turn.facts.age,
        },
        ensure_ascii=False,
    )


def refine(turn: Turn, reading: TurnReading) -> Turn:
    """Return ``turn`` refined by Claude's reading: safety flags only ever add up."""
    facts = turn.facts
    if facts.age is None and reading.age is not None:
        facts = dataclasses.replace(facts, age=reading.age)
    if facts.region_code is None and reading.region and (code := region_in(reading.region)):
        facts = dataclasses.replace(facts, region_code=code)
    names = tuple(dict.fromkeys((*turn.named_text_spans, *reading.policy_names)))
    return dataclasses.replace(
        turn,
        asks=tuple(reading.asks) or turn.asks,
        facts=facts,
        named_text_spans=names,
        query=reading.search_query or turn.query,
        crisis=turn.crisis or reading.crisis,
        injection=turn.injection or reading.injection,
        off_topic=turn.off_topic or (reading.off_topic and not turn.named_text_spans),
        refers_to_focus=turn.refers_to_focus or reading.refers_to_previous,
    )


def answer_prompt(plan: AnswerPlan) -> str:
    """Return the responder's human message for ``plan`` (data in tagged blocks)."""

    def data(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, default=str)

    return (
        f"Answer type: {plan['kind']}\nAsked: {', '.join(plan['asks']) or 'details'}\n"
        f"<facts>{data(plan['facts'])}</facts>\n"
        f"<policies>{data(plan['policies'])}</policies>\n"
        f"<answer_plan>{plan['text']}</answer_plan>\n"
        f"<message>{plan['message']}</message>"
    )


class BedrockChatModel:
    """Claude on Bedrock behind ports.ChatModel: refine the reading, write the answer."""

    def __init__(self, client: Any, *, model_id: str, supervisor_model_id: str) -> None:
        """Build the reader and responder models on one ``bedrock-runtime`` client."""
        from langchain_aws import ChatBedrockConverse

        self.model_id = model_id
        self._reader = ChatBedrockConverse(
            model=supervisor_model_id, client=client, temperature=0.1, max_tokens=400
        ).with_structured_output(TurnReading, include_raw=True)
        # Low temperature: the answer restates checked facts, it does not invent.
        self._responder = ChatBedrockConverse(
            model=model_id, client=client, temperature=0.3, max_tokens=1500
        )

    def understand(self, turn: Turn, usage: dict[str, int]) -> Turn:
        """Refine the rule-based reading with Claude's structured reading of the message."""
        human = f"Rule-based reading: {_rule_reading(turn)}\n<message>{turn.text}</message>"
        result = self._reader.invoke([("system", prompts.READER), ("human", human)])
        raw, parsed = _structured(result)
        _add_usage(usage, getattr(raw, "usage_metadata", None))
        return turn if parsed is None else refine(turn, parsed)

    def stream_answer(self, plan: AnswerPlan, usage: dict[str, int]) -> Iterator[str]:
        """Stream Claude's answer written from the plan (fixed answers are given as they are)."""
        if plan["kind"] in _FIXED:
            yield plan["text"]
            return
        language = "English" if plan["language"] == "en" else "Korean"
        system = prompts.RESPONDER.format(language=language)
        for chunk in self._responder.stream([("system", system), ("human", answer_prompt(plan))]):
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
