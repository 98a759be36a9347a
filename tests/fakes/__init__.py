"""In-memory fakes of FinQ's ports for service unit tests.

Each fake is kept honest by a contract test in tests/contract/ that runs the same assertions
against the fake and the real adapter.
"""
