"""What app.py declares to API Gateway in a deployed stage: CORS and the Cognito authorizer.

``chalice package`` imports app.py with the stage's environment, so each case imports a fresh
copy of the module with that environment and inspects the routes and the generated swagger.
"""

from __future__ import annotations

import importlib.util
import itertools
import sys
from pathlib import Path
from types import ModuleType

import pytest
from chalice.app import Chalice, CognitoUserPoolAuthorizer
from chalice.config import Config
from chalice.deploy.swagger import CFNSwaggerGenerator
from chalice.local import LocalGateway
from chalice.test import Client

from chalicelib.openapi import operations
from tests.factories import bearer

ROOT = Path(__file__).resolve().parents[2]
POOL_ARN = "arn:aws:cognito-idp:ap-northeast-2:123456789012:userpool/ap-northeast-2_Abc"
PREFLIGHT_HEADERS = "authorization, content-type, idempotency-key, x-api-key"
_copies = itertools.count()


def fresh_app(monkeypatch: pytest.MonkeyPatch, **env: str) -> ModuleType:
    """Import a new copy of app.py with ``env`` set, as ``chalice package`` would."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    name = f"finq_app_copy_{next(_copies)}"
    spec = importlib.util.spec_from_file_location(name, ROOT / "app.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[name]
    return module


def _login_only(module: ModuleType) -> set[tuple[str, str]]:
    return {(p, m) for p, m, op in operations(module.app.routes) if op.auth == "bearer"}


def test_deployed_stage_puts_the_cognito_authorizer_on_login_only_routes(monkeypatch):
    module = fresh_app(monkeypatch, FINQ_COGNITO_USER_POOL_ARN=POOL_ARN)
    guarded = {
        (path, method)
        for path, methods in module.app.routes.items()
        for method, entry in methods.items()
        if isinstance(entry.authorizer, CognitoUserPoolAuthorizer)
    }
    assert guarded == _login_only(module)
    assert ("/api/me", "GET") in guarded
    # Optional logins, API keys and public routes stay open at the gateway.
    for open_route in (
        ("/api/policies", "GET"),
        ("/api/policies/{plcyNo}", "GET"),
        ("/api/inquiries", "POST"),
        ("/api/auth/login", "POST"),
        ("/api/health", "GET"),
    ):
        assert open_route not in guarded
    assert module.LOGIN_REQUIRED.to_swagger()["x-amazon-apigateway-authorizer"]["providerARNs"] == [
        POOL_ARN
    ]


def test_swagger_has_security_on_exactly_the_login_only_routes(monkeypatch):
    module = fresh_app(monkeypatch, FINQ_COGNITO_USER_POOL_ARN=POOL_ARN)
    swagger = CFNSwaggerGenerator().generate_swagger(module.app)
    secured = {
        (path, method.upper())
        for path, methods in swagger["paths"].items()
        for method, operation in methods.items()
        if operation.get("security")
    }
    assert secured == _login_only(module)
    assert set(swagger["securityDefinitions"]) == {"finq-users"}
    assert swagger["securityDefinitions"]["finq-users"]["x-amazon-apigateway-authtype"] == (
        "cognito_user_pools"
    )
    # Every path has a gateway-generated preflight (one allowed origin).
    assert all("options" in methods for methods in swagger["paths"].values())


def test_local_stage_has_no_gateway_authorizer():
    import app

    assert app.LOGIN_REQUIRED is None
    assert all(
        entry.authorizer is None
        for methods in app.app.routes.values()
        for entry in methods.values()
    )


def _preflight(app: Chalice, path: str, method: str, origin: str) -> tuple[int, dict[str, str]]:
    """Send a browser's preflight through chalice local's gateway; return status and headers.

    Through ``LocalGateway`` (what ``chalice local`` and the test client serve with): the test
    client's response parser fails on the gateway-generated preflight's ``None`` body.
    """
    gateway = LocalGateway(app, Config.create(chalice_stage="local"))
    headers = {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": PREFLIGHT_HEADERS,
    }
    response = gateway.handle_request(method="OPTIONS", path=path, headers=headers, body=b"")
    return response["statusCode"], response["headers"]


def _allows_requested_headers(headers: dict[str, str]) -> bool:
    allowed = {h.strip().lower() for h in headers["Access-Control-Allow-Headers"].split(",")}
    return set(PREFLIGHT_HEADERS.split(", ")) <= allowed


def test_preflight_is_answered_for_every_route_by_default():
    from app import app

    for path, methods in app.routes.items():
        concrete = path.replace("{plcyNo}", "P1").replace("{", "").replace("}", "")
        for method in methods:
            status, headers = _preflight(app, concrete, method, "https://web.example")
            assert status == 200, (path, method)
            assert headers["Access-Control-Allow-Origin"] == "*"
            assert method in headers["Access-Control-Allow-Methods"].split(",")
            assert _allows_requested_headers(headers)
            assert "Access-Control-Allow-Credentials" not in headers


def test_responses_and_errors_carry_cors_headers(client):
    origin = {"Origin": "https://web.example"}
    for response in (
        client.http.get("/api/openapi.json", headers=origin),  # 200
        client.http.get("/api/me", headers=origin),  # 401 from FinQ
        client.http.get("/api/me", headers={**origin, **bearer("not-a-jwt")}),  # 401
        client.http.patch("/api/openapi.json", headers=origin),  # 405 from Chalice
        client.http.post("/api/auth/login", headers={**origin, "Content-Type": "text/plain"}),
    ):
        assert response.headers["Access-Control-Allow-Origin"] == "*", response.status_code
        assert response.headers["Access-Control-Expose-Headers"] == "Retry-After"
        assert "Access-Control-Allow-Credentials" not in response.headers


def test_several_origins_echo_a_listed_origin_and_answer_every_preflight(monkeypatch, stack):
    web, pwa = "https://finq.example", "https://app.finq.example:8443"
    module = fresh_app(monkeypatch, FINQ_CORS_ORIGINS=f"{web}, {pwa}")
    with Client(module.app, stage_name="local") as client:
        for path, methods in module.app.routes.items():
            concrete = path.replace("{plcyNo}", "P1").replace("{", "").replace("}", "")
            wanted = next(m for m in methods if m != "OPTIONS")
            status, headers = _preflight(module.app, concrete, wanted, pwa)
            assert status == 200, path
            assert headers["Access-Control-Allow-Origin"] == pwa
            assert headers["Vary"] == "Origin"
            assert wanted in headers["Access-Control-Allow-Methods"].split(",")
            assert _allows_requested_headers(headers)
        listed = client.http.get("/api/me", headers={"Origin": web})
        assert listed.status_code == 401
        assert listed.headers["Access-Control-Allow-Origin"] == web
        stranger = client.http.get("/api/me", headers={"Origin": "https://evil.example"})
        assert "Access-Control-Allow-Origin" not in stranger.headers
        _, refused = _preflight(module.app, "/api/me", "GET", "https://evil.example")
        assert "Access-Control-Allow-Origin" not in refused
    # The OpenAPI document lists no preflights.
    document = module.openapi_document.__wrapped__()
    assert not any("options" in methods for methods in document["paths"].values())
