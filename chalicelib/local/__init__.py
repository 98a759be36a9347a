"""Local mode: the embedded stand-ins for AWS parts, and the runner that starts them.

Nothing in here is imported in aws mode; providers reach it only from local branches.
"""
