"""Web news adapters for ports.NewsSearch: Tavily over HTTP, and the off switch without a key."""
