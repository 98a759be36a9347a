"""DynamoDB adapters: the inquiry desk and WebSocket connections (key names stay here)."""
