"""The agent graph's state: a narrow input (one user turn) and the full working state.

Owns the state's keys and reducers; ``messages`` accumulate across turns in the checkpoint.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, Literal, TypedDict

Intent = Literal[
    "policy_question", "follow_up", "about_finq", "small_talk", "human", "out_of_scope"
]


class InputState(TypedDict):
    """What one turn brings in."""

    messages: Annotated[list[dict[str, Any]], operator.add]
    profile: dict[str, Any]


class ChatState(InputState, total=False):
    """Everything the nodes read and write during a turn."""

    intent: Intent
    language: Literal["ko", "en"]
    slots: dict[str, Any]
    criteria: dict[str, Any]
    query: str
    policies: list[dict[str, Any]]
    citations: list[dict[str, Any]]
    clarification: str | None
    asked_region: bool
    answer: str
    handoff: bool
    usage: dict[str, int]
