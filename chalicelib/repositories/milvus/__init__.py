"""Milvus adapters: the connection and the policy index (filter expressions stay here)."""
