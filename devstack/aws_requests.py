"""Which of the local endpoint's persisted backends an HTTP request may change.

Owns reading the API action out of a request (JSON ``X-Amz-Target``, query or form ``Action=``)
and the services moto touches on another's behalf (an S3 upload notifies SQS, say), so the
server knows what to journal or save before it answers.
"""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import parse_qs

from devstack.aws_state import PERSISTED

# Actions that only read (by name, after an optional "Admin"). ReceiveMessage is among them on
# purpose: it long-polls, and gating it would stall every save for the poll; what it changes
# (visibility, receive counts) is saved with the next SQS write that is not a send (or at
# shutdown), and a message received but not yet deleted when the endpoint dies is delivered
# again, as SQS does.
_READ_PREFIXES = ("Get", "List", "Describe", "Query", "Scan", "BatchGet", "Head", "Receive")
# moto delivers some events across services within one request (an S3 upload notifies SQS, an
# SNS publish fills SQS subscriptions, SES sends through SNS): save those backends too.
_ALSO_TOUCHES = {
    "s3": ("s3", "sqs", "sns"),
    "sns": ("sns", "sqs"),
    "ses": ("ses", "sesv2", "sns", "sqs"),
    "sesv2": ("sesv2", "ses", "sns", "sqs"),
}

_BY_MODULE = {name.replace("-", ""): name for name in PERSISTED}


def action_of(environ: dict[str, Any]) -> str | None:
    """Return the API action a JSON (X-Amz-Target) or query (Action=) request names."""
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        return str(target).rsplit(".", 1)[-1]
    query = parse_qs(environ.get("QUERY_STRING", "")).get("Action")
    if query:
        return query[0]
    if str(environ.get("CONTENT_TYPE", "")).startswith("application/x-www-form-urlencoded"):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)  # moto reads it again
        form = parse_qs(body.decode("utf-8", "replace")).get("Action")
        return form[0] if form else None
    return None


def touched_backends(dispatcher: Any, environ: dict[str, Any]) -> tuple[str, ...]:
    """Return the persisted backends a request may change (none for a read)."""
    method = environ.get("REQUEST_METHOD", "GET")
    if method in ("GET", "HEAD", "OPTIONS"):
        return ()
    path = environ.get("PATH_INFO", "")
    if path.startswith("/moto-api"):
        return PERSISTED  # reset, seeding and the like change anything
    action = action_of(environ)
    if action and action.removeprefix("Admin").startswith(_READ_PREFIXES):
        return ()
    host = dispatcher.infer_service_region_host(environ, path)
    module = dispatcher.get_backend_for_host(host) if host else "s3"
    backend = _BY_MODULE.get(module, module)  # moto's module "cognitoidp" is "cognito-idp"
    names = _ALSO_TOUCHES.get(backend, (backend,))
    return tuple(name for name in names if name in PERSISTED)
