"""What each HTTP route promises: summary, credentials, request models, a response model per status.

app.py declares one `Operation` beside each route with `@documented(...)`; the OpenAPI document
and the test that validates every response read it from the route's view function, so no second
list of routes exists. No I/O and no Chalice imports here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from pydantic import BaseModel

Auth = Literal["none", "bearer", "optional", "api_key"]
View = TypeVar("View", bound=Callable[..., Any])

_ATTRIBUTE = "__finq_operation__"


@dataclass(frozen=True)
class Operation:
    """One route's contract.

    Attributes:
        summary: One line for the document.
        auth: ``bearer`` (a Cognito ID token), ``optional`` (public; a token adds to the
            answer), ``api_key`` (a tenant's ``x-api-key``) or ``none``.
        body: The request body's model, if the route reads one.
        query: The query string's model, if the route reads one.
        responses: The model of each declared status's body; None for a status with no body.
            Any other 4xx/5xx answers with `models.Error`.
    """

    summary: str
    auth: Auth = "none"
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    responses: Mapping[int, type[BaseModel] | None] = field(default_factory=dict)


def documented(
    summary: str,
    *,
    responses: Mapping[int, type[BaseModel] | None],
    auth: Auth = "none",
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
) -> Callable[[View], View]:
    """Attach a route's `Operation` to its view function (place it under ``@app.route``).

    Raises:
        ValueError: ``responses`` names no success status, or a status that is not HTTP's.
    """
    if not any(100 <= status < 400 for status in responses) or any(
        not 100 <= status < 600 for status in responses
    ):
        raise ValueError(f"{summary!r}: declare each success status, e.g. {{200: Model}}")
    operation = Operation(summary, auth, body, query, dict(responses))

    def attach(view: View) -> View:
        setattr(view, _ATTRIBUTE, operation)
        return view

    return attach


def operation_of(view: Callable[..., Any]) -> Operation | None:
    """Return the `Operation` declared on a view function, or None when it has none."""
    found = getattr(view, _ATTRIBUTE, None)
    return found if isinstance(found, Operation) else None
