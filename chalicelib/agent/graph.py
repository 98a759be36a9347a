"""Build the advisor graph: supervisor -> policy search -> (handoff) -> response generator.

The news tool runs beside the response generator when the turn looks up news: nodes of one step
run concurrently, so the answer streams while the news search waits on the network. Compiles
nothing at import; ``build_graph`` is called by providers with the chat model, the tools and the
PostgreSQL checkpointer (thread = chat).
"""

from __future__ import annotations

from typing import Any

from langgraph.graph import END, START, StateGraph

from chalicelib.agent.nodes import Nodes, route_after_search
from chalicelib.agent.state import ChatState, InputState
from chalicelib.agent.tools import AgentTools
from chalicelib.ports import ChatModel


def build_graph(llm: ChatModel, tools: AgentTools, checkpointer: Any = None) -> Any:
    """Return the compiled graph."""
    nodes = Nodes(llm, tools)
    graph = StateGraph(ChatState, input_schema=InputState)
    graph.add_node("supervisor", nodes.supervisor)
    graph.add_node("policy_search", nodes.policy_search)
    graph.add_node("handoff", nodes.handoff)
    graph.add_node("respond", nodes.respond)
    graph.add_node("news", nodes.news)
    graph.add_edge(START, "supervisor")
    graph.add_edge("supervisor", "policy_search")
    graph.add_conditional_edges("policy_search", route_after_search, ["respond", "handoff", "news"])
    graph.add_edge("handoff", "respond")
    graph.add_edge("respond", END)
    graph.add_edge("news", END)
    return graph.compile(checkpointer=checkpointer)
