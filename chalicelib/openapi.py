"""The OpenAPI 3.1 document, derived from the app's routes and the models they declare.

Walks Chalice's route table (``app.routes[path][method]``) and reads each view function's
`operations.Operation`, so a route added to app.py is documented with no second list. Owns the
declarations of what validation enforces beyond the models' own schemas (path parameter
formats, code lists, characters no store keeps), so every request the document calls valid is
one the API accepts. Imports nothing from app.py: the caller passes the routes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, Protocol

from pydantic import BaseModel

from chalicelib import codes, models
from chalicelib.operations import Operation, operation_of
from chalicelib.policies.filters import PLCY_NO_PATTERN


class RouteEntry(Protocol):
    """What the document reads of a Chalice ``RouteEntry``."""

    view_function: Callable[..., Any]
    view_name: str


# Path parameters as app.py and the services check them.
_UUID = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
_PATH_PARAMETERS: dict[str, dict[str, Any]] = {
    "plcyNo": {"type": "string", "pattern": PLCY_NO_PATTERN},
    "documentId": {"type": "string", "pattern": "^[0-9]{1,18}$"},
    "chat_id": {"type": "string", "format": "uuid", "pattern": _UUID},
    "notification_id": {"type": "string", "pattern": "^[0-9]{1,18}$"},
}
# Any text: NUL (and lone surrogates, which JSON generators do not make) is refused everywhere.
_STORABLE = "^[^\\x00]*$"
# Required text is stripped first: it needs a character that is neither whitespace nor control.
_NOT_BLANK = "^[^\\x00]*[^\\s\\x00-\\x20\\x7f-\\x9f][^\\x00]*$"
# A birth date is a past date after 1900; stated as a pattern of dates that are always valid.
_BIRTH_DATE = "^(19[0-9]{2}|20[01][0-9])-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$"


def _code_lists() -> dict[str, list[str]]:
    """Properties whose values must come from a code list, by property name."""
    regions = sorted(codes.provinces()) + sorted(codes.districts())
    return {
        "region": regions,
        "region_code": regions,
        "job_status": sorted(codes.JOB_CODES),
        "school_status": sorted(codes.SCHOOL_CODES),
        "marital_status": sorted(codes.MARITAL_CODES),
    }


def _declare(schema: Any, code_lists: dict[str, list[str]], name: str = "") -> Any:
    """Add to a generated schema what validators enforce that JSON Schema cannot derive."""
    if isinstance(schema, list):
        return [_declare(item, code_lists, name) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {
        key: (
            {prop: _declare(sub, code_lists, prop) for prop, sub in value.items()}
            if key == "properties"
            else _declare(value, code_lists, name)
        )
        for key, value in schema.items()
    }
    if out.get("type") == "string" and name in code_lists and "enum" not in out:
        out = {"type": "string", "enum": code_lists[name]}
    elif out.get("type") == "string" and name == "birth_date":
        out = {"type": "string", "pattern": _BIRTH_DATE, "description": "a past date after 1900"}
    elif out.get("type") == "string" and not ({"pattern", "enum", "format", "const"} & set(out)):
        out["pattern"] = _NOT_BLANK if out.get("minLength", 0) >= 1 else _STORABLE
    return out


def _schema(model: type[BaseModel], components: dict[str, Any]) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    lists = _code_lists()
    for name, definition in schema.pop("$defs", {}).items():
        components[name] = _declare(definition, lists)
    components[model.__name__] = _declare(schema, lists)
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _query_schema(prop: dict[str, Any], name: str) -> dict[str, Any]:
    """A query parameter's schema: an absent parameter is the null, which a URL cannot carry."""
    variants = [v for v in prop.get("anyOf", [prop]) if v.get("type") != "null"]
    schema = {k: v for k, v in prop.items() if k not in ("anyOf", "default", "title")}
    if len(variants) == 1:
        schema.update(variants[0])
    else:
        schema["anyOf"] = variants
    return _declare(schema, _code_lists(), name)


Routes = Mapping[str, Mapping[str, RouteEntry]]


class UndocumentedRoute(LookupError):
    """A route's view function carries no `Operation` (add ``@documented`` under its route)."""


def operations(routes: Routes) -> Iterator[tuple[str, str, Operation]]:
    """Yield ``(path, METHOD, operation)`` for every route, in the app's declaration order.

    Raises:
        UndocumentedRoute: A route has no declared operation.
    """
    for path, methods in routes.items():
        for method, entry in methods.items():
            if method == "OPTIONS":
                continue  # CORS preflights (app.py), not operations of the API
            operation = operation_of(entry.view_function)
            if operation is None:
                raise UndocumentedRoute(f"{method} {path} ({entry.view_name}) has no @documented")
            yield path, method, operation


def _parameters(path: str, op: Operation) -> list[dict[str, Any]]:
    params = [
        {
            "name": part[1:-1],
            "in": "path",
            "required": True,
            "schema": _PATH_PARAMETERS.get(part[1:-1], {"type": "string", "pattern": _STORABLE}),
        }
        for part in path.split("/")
        if part.startswith("{")
    ]
    if op.query is not None:
        schema = op.query.model_json_schema()
        for name, prop in schema["properties"].items():
            params.append(
                {
                    "name": name,
                    "in": "query",
                    "required": False,
                    "schema": _query_schema(prop, name),
                }
            )
    return params


def _content(model: type[BaseModel], components: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": _schema(model, components)}}


def _responses(op: Operation, components: dict[str, Any]) -> dict[str, Any]:
    error = _content(models.Error, components)
    responses: dict[str, Any] = {
        "4XX": {"description": "Client error", "content": error},
        "5XX": {"description": "Server error", "content": error},
    }
    for status, model in op.responses.items():
        response: dict[str, Any] = {"description": "Success" if status < 400 else "Failure"}
        if model is not None:
            response["content"] = _content(model, components)
        responses[str(status)] = response
    return responses


_SECURITY: dict[str, list[dict[str, list[str]]]] = {
    "bearer": [{"cognitoIdToken": []}],
    "optional": [{}, {"cognitoIdToken": []}],
    "api_key": [{"tenantApiKey": []}],
}


def _operation(path: str, method: str, op: Operation, components: dict[str, Any]) -> Any:
    name = path.strip("/").replace("/", "_").replace("{", "").replace("}", "")
    operation: dict[str, Any] = {
        "summary": op.summary,
        "operationId": f"{method.lower()}_{name}",
        "parameters": _parameters(path, op),
        "responses": _responses(op, components),
    }
    if op.body is not None:
        operation["requestBody"] = {"required": True, "content": _content(op.body, components)}
    if op.auth in _SECURITY:
        operation["security"] = _SECURITY[op.auth]
    return operation


def build_document(routes: Routes) -> dict[str, Any]:
    """Return the OpenAPI document of every route in ``routes`` (Chalice's ``app.routes``).

    Raises:
        UndocumentedRoute: A route has no declared operation.
    """
    components: dict[str, Any] = {}
    paths: dict[str, dict[str, Any]] = {}
    for path, method, op in operations(routes):
        paths.setdefault(path, {})[method.lower()] = _operation(path, method, op, components)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "FinQ",
            "version": "1.0.0",
            "description": "Youth-policy advisor and AI inquiry desk.",
        },
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "cognitoIdToken": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
                "tenantApiKey": {"type": "apiKey", "in": "header", "name": "x-api-key"},
            },
        },
    }
