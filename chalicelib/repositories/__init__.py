"""Repositories and indexes: one package per backend; key schema, SQL and filters stay inside."""
