"""The offline chat model: local mode's stand-in for Bedrock, with no network or download.

Owns the three calls of ports.ChatModel for local mode: understanding from agent.understanding's
rules plus a nearest-centroid intent classifier over the embedding model (built here), a search
plan from the message, and the answer written by agent.composer, streamed word by word.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from chalicelib.agent.composer import compose, count_tokens
from chalicelib.agent.understanding import (
    EXAMPLES,
    IntentClassifier,
    extract_slots,
    language_of,
    strip_instructions,
)
from chalicelib.offline.centroids import NearestCentroid
from chalicelib.ports import SearchPlan, Understanding

_STOPWORDS = re.compile(
    r"(\d{2}\s*(살|세)|받을 수 있어\??|있어\??|있나요\??|알려줘|찾아줘|추천해줘|사는데|살고 있는데|"
    r"can i get|is there|are there|any|please|\?)",
    re.I,
)


def _tokens(text: str) -> Iterator[str]:
    # Stream word by word, keeping the spacing, like a model's token stream.
    yield from re.findall(r"\S+\s*|\s+", text)


class OfflineChatModel:
    """Understands, plans and answers without any network or model download."""

    model_id = "finq-offline-composer"

    def __init__(self, embed: Callable[[Sequence[str]], list[list[float]]]) -> None:
        """Use the offline embedding model for intent classification."""
        self._classifier = IntentClassifier(NearestCentroid(embed, EXAMPLES).label)

    def understand(self, text: str, has_results: bool, usage: dict[str, int]) -> Understanding:
        """Supervisor: intent, language and slots of one message."""
        usage["input_tokens"] = usage.get("input_tokens", 0) + count_tokens(text)
        return {
            "intent": self._classifier.classify(text, has_results),
            "language": language_of(text),
            "slots": extract_slots(text),
        }

    def plan_search(self, text: str, criteria: dict[str, Any], usage: dict[str, int]) -> SearchPlan:
        """Search agent: the search text, and a clarifying question when the region is missing."""
        # Instructions aimed at the assistant are not part of what to search for.
        question = strip_instructions(text) or text
        query = _STOPWORDS.sub(" ", question).strip() or question
        clarify = None
        if not criteria.get("region_code"):
            clarify = (
                "어느 지역(시·군·구)에 살고 계신가요? 지역에 따라 받을 수 있는 정책이 달라져요."
                if language_of(text) == "ko"
                else "Which city or district do you live in? "
                "Many policies depend on where you live."
            )
        return {"query": query, "clarify": clarify}

    def stream_answer(self, request: dict[str, Any], usage: dict[str, int]) -> Iterator[str]:
        """Response generator: the answer, streamed word by word."""
        text = compose(request)
        usage["output_tokens"] = usage.get("output_tokens", 0) + count_tokens(text)
        yield from _tokens(text)
