"""The agent graph's state: a narrow input (one user turn) and the full working state.

Owns the state's keys and reducers. ``messages`` accumulate across turns in the checkpoint;
``focus`` (the policies or need under discussion and what was asked of them), ``pending`` (the
question the advisor asked back) and ``stated_facts`` (what the person said about themselves)
carry the conversation from turn to turn, checkpointed in PostgreSQL with the rest.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, Literal, TypedDict

from chalicelib.ports import AnswerPlan

Pending = Literal["region", "age"]


class Focus(TypedDict):
    """What the conversation is about: named policies (best first) or a need, and the asks."""

    plcy_nos: list[str]
    need: str | None
    asks: list[str]


class InputState(TypedDict):
    """What one turn brings in."""

    messages: Annotated[list[dict[str, Any]], operator.add]
    profile: dict[str, Any]


class ChatState(InputState, total=False):
    """Everything the nodes read and write during a turn."""

    reading: dict[str, Any]  # the supervisor's reading of this turn (agent/reading.py)
    intent: str  # the answer's kind ("human" when the person asked for one)
    language: Literal["ko", "en"]
    focus: Focus | None
    pending: Pending | None
    stated_facts: dict[str, Any]
    plan: AnswerPlan
    citations: list[dict[str, Any]]
    answer: str
    handoff: bool
    usage: dict[str, int]
    news_request: dict[str, Any] | None  # what the news tool searches this turn (agent/news.py)
    news: list[dict[str, Any]]  # web news shown apart from the answer, never its evidence
    news_tokens: int  # the news text's tokens, counted against the daily budget
