"""The supervisor's reading of a turn in the graph state: a ``Turn`` to and from plain data.

Owns the checkpoint form of a reading (lists for tuples, the facts as their dict), so the policy
search node reads exactly what the supervisor decided, whatever the checkpoint's serializer.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from chalicelib.agent.focus import facts_from_state, facts_to_state
from chalicelib.agent.turns import Turn

_TUPLES = ("asks", "named_text_spans", "flags")


def reading_to_state(turn: Turn) -> dict[str, Any]:
    """Return ``turn`` as JSON-safe data for the graph state."""
    data = {field.name: getattr(turn, field.name) for field in dataclasses.fields(Turn)}
    data["facts"] = facts_to_state(turn.facts)
    for key in _TUPLES:
        data[key] = list(data[key])
    return data


def reading_from_state(saved: dict[str, Any]) -> Turn:
    """Return the ``Turn`` that ``reading_to_state`` stored."""
    known = {field.name for field in dataclasses.fields(Turn)}
    values = {key: value for key, value in saved.items() if key in known}
    values["facts"] = facts_from_state(values.get("facts"))
    for key in _TUPLES:
        if key in values:
            values[key] = tuple(values[key])
    return Turn(**values)
