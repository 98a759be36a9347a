"""GET /api/health reports each dependency, and names the one that is down."""

from __future__ import annotations

from devstack.services import free_port


def test_health_is_200_when_every_dependency_is_up(client):
    response = client.http.get("/api/health")
    assert response.status_code == 200
    body = response.json_body
    assert body["status"] == "ok"
    assert set(body["dependencies"]) == {"postgres", "milvus", "dynamodb", "s3", "policy_index"}
    assert all(part["status"] == "up" for part in body["dependencies"].values())


def test_health_is_503_naming_the_dependency_that_is_down(client, monkeypatch):
    # Point Milvus at a port where nothing listens; everything else stays up.
    monkeypatch.setenv("FINQ_MILVUS_PORT", str(free_port()))
    from chalicelib import providers

    providers.reset()
    response = client.http.get("/api/health")
    assert response.status_code == 503
    deps = response.json_body["dependencies"]
    assert deps["milvus"]["status"] == deps["policy_index"]["status"] == "down"
    assert deps["postgres"]["status"] == deps["dynamodb"]["status"] == deps["s3"]["status"] == "up"
