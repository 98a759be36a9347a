"""Benchmark helpers for FinQ (synthetic data generators and the like)."""
