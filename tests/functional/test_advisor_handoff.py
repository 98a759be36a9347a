"""The advisor's hand-off reaches a person locally: the operator tenant's demo staff see it."""

from __future__ import annotations

import json

from devstack.runner import ensure_demo_credentials
from tests.factories import bearer, post_json, sign_up_and_log_in


def test_the_demo_operator_staff_see_a_chat_handoff_with_its_eta(client, stack, tmp_path):
    settings = stack.settings.model_copy(update={"home": tmp_path})
    credentials = ensure_demo_credentials(settings, stack)
    operator = credentials["operator_staff"]
    assert json.loads((tmp_path / "demo-credentials.json").read_text()) == credentials
    login = post_json(client, "/api/auth/login", operator)
    assert login.status_code == 200, login.body
    staff_token = login.json_body["id_token"]

    user = sign_up_and_log_in(client)
    chat = post_json(client, "/api/chats", {"title": "상담"}, **bearer(user["id_token"]))
    chat_id = chat.json_body["id"]
    text = "상담원이랑 직접 얘기하고 싶어요"
    sent = post_json(
        client, f"/api/chats/{chat_id}/messages", {"text": text}, **bearer(user["id_token"])
    )
    assert sent.status_code == 201, sent.body
    chats = client.http.get("/api/chats", headers=bearer(user["id_token"])).json_body["items"]
    handoff = next(c for c in chats if c["id"] == chat_id)["handoff"]
    # What happens next and when: a person of the operator desk, by the estimated time.
    assert handoff["status"] == "escalated" and handoff["eta_minutes"] > 0
    assert handoff["estimated_response_time"] > sent.json_body["created_at"][:19]

    listed = client.http.get("/api/admin/inquiries?status=escalated", headers=bearer(staff_token))
    assert listed.status_code == 200, listed.body
    [mine] = [i for i in listed.json_body["items"] if i["inquiry_id"] == handoff["inquiry_id"]]
    assert mine["category"] == "advisor_handoff" and mine["customer_email"] == user["email"]
    assert mine["source"] == {"chat_id": chat_id} and text in mine["content"]
    assert mine["estimated_response_time"] == handoff["estimated_response_time"]
