"""FinQ's application code: everything below app.py's routing layer."""
