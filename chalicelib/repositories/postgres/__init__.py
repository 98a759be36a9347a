"""PostgreSQL adapters (pg8000): users, policies, discovery, bookmarks, chats, checkpoints."""
