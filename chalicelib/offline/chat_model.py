"""The offline chat model: local mode's stand-in for Bedrock, with no network or download.

Owns the two calls of ports.ChatModel for local mode: the rule-based reading of a turn is kept
as it is, and the answer is the plan's own grounded text, streamed word by word like a model's
token stream.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from chalicelib.agent.turns import Turn
from chalicelib.ports import AnswerPlan
from chalicelib.tokens import count_tokens


class OfflineChatModel:
    """Keeps the rule-based reading and writes the planned answer, without any network."""

    model_id = "finq-offline-composer"

    def understand(self, turn: Turn, usage: dict[str, int]) -> Turn:
        """Return the rule-based reading unchanged (counting the message's tokens as read)."""
        usage["input_tokens"] = usage.get("input_tokens", 0) + count_tokens(turn.text)
        return turn

    def stream_answer(self, plan: AnswerPlan, usage: dict[str, int]) -> Iterator[str]:
        """Stream the plan's text word by word, keeping the spacing."""
        text = plan["text"]
        usage["output_tokens"] = usage.get("output_tokens", 0) + count_tokens(plan["lead"] + text)
        yield from re.findall(r"\S+\s*|\s+", text)
