"""The advisor's LangGraph agent: state, prompts, tools, nodes, graph, checkpointer."""
