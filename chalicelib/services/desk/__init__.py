"""The AI inquiry desk, split by responsibility.

``tenants`` (tenants, API keys, who may act), ``limits`` (rate limits), ``inquiries`` (a
customer's inquiry: submission, triage, drafts, escalation), ``attachments``, ``staff`` (the
staff list and replies), ``metrics``, ``notices`` (escalation and reply mail, notifications) and
``records`` (the life cycle and the views every part shares). They depend on ports only.
"""
