"""Build the advisor graph: understand (turn, focus, answer plan) -> respond (+ handoff).

Compiles nothing at import; ``build_graph`` is called by providers with the chat model, the
tools and the PostgreSQL checkpointer (thread = chat).
"""

from __future__ import annotations

from typing import Any

from langgraph.graph import END, START, StateGraph

from chalicelib.agent.nodes import Nodes, route_after_understanding
from chalicelib.agent.state import ChatState, InputState
from chalicelib.agent.tools import AgentTools
from chalicelib.ports import ChatModel


def build_graph(llm: ChatModel, tools: AgentTools, checkpointer: Any = None) -> Any:
    """Return the compiled graph."""
    nodes = Nodes(llm, tools)
    graph = StateGraph(ChatState, input_schema=InputState)
    graph.add_node("understand", nodes.understand)
    graph.add_node("respond", nodes.respond)
    graph.add_node("handoff", nodes.handoff)
    graph.add_edge(START, "understand")
    graph.add_conditional_edges("understand", route_after_understanding)
    graph.add_edge("handoff", "respond")
    graph.add_edge("respond", END)
    return graph.compile(checkpointer=checkpointer)
