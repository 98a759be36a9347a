"""The OpenAPI document is derived from the route table: no second list of routes to keep."""

from __future__ import annotations

import pytest
from chalice import Chalice

from chalicelib.models import Chat, ChatCreate, Error, MessageListQuery
from chalicelib.openapi import UndocumentedRoute, build_document
from chalicelib.operations import documented


def _app() -> Chalice:
    app = Chalice(app_name="sample")

    @app.route("/api/things/{chat_id}", methods=["POST"])
    @documented(
        "Make a thing",
        auth="bearer",
        body=ChatCreate,
        query=MessageListQuery,
        responses={201: Chat},
    )
    def make_thing(chat_id: str) -> dict[str, str]:
        """Make a thing."""
        return {}

    return app


def test_a_route_added_to_an_app_is_documented_from_its_declaration():
    document = build_document(_app().routes)

    operation = document["paths"]["/api/things/{chat_id}"]["post"]
    assert operation["summary"] == "Make a thing"
    assert operation["operationId"] == "post_api_things_chat_id"
    assert operation["security"] == [{"cognitoIdToken": []}]
    assert operation["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ChatCreate"
    }
    created = operation["responses"]["201"]["content"]["application/json"]["schema"]
    assert created == {"$ref": "#/components/schemas/Chat"}
    error = operation["responses"]["4XX"]["content"]["application/json"]["schema"]
    assert error == {"$ref": "#/components/schemas/Error"}
    names = [(p["name"], p["in"]) for p in operation["parameters"]]
    assert names == [("chat_id", "path"), ("before", "query"), ("limit", "query")]
    schemas = document["components"]["schemas"]
    assert {"Chat", "ChatCreate", "Error", "ErrorDetail"} <= set(schemas)
    assert schemas["Chat"]["additionalProperties"] is False


def test_a_route_without_a_declaration_is_refused_by_name():
    app = _app()

    @app.route("/api/bare", methods=["GET"])
    def bare() -> dict[str, str]:
        """Answer without a declaration."""
        return {}

    with pytest.raises(UndocumentedRoute, match="GET /api/bare"):
        build_document(app.routes)


def test_a_declaration_needs_a_success_status():
    with pytest.raises(ValueError, match="success status"):
        documented("No answer", responses={})
    with pytest.raises(ValueError, match="success status"):
        documented("Only a failure", responses={404: Error})


def test_the_served_document_is_the_one_derived_from_app_routes(client):
    from app import app

    served = client.http.get("/api/openapi.json")

    assert served.status_code == 200
    assert served.json_body == build_document(app.routes)
    documented_ops = sum(len(methods) for methods in served.json_body["paths"].values())
    assert documented_ops == sum(len(methods) for methods in app.routes.values())
