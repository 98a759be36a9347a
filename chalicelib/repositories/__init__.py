"""Repositories: the real stores behind FinQ (PostgreSQL, DynamoDB); no in-memory twins."""
