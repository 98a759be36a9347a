"""The invitation mail's wording: who, which tenant, the login and the first-password request."""

from __future__ import annotations

import json

from chalicelib.ports import Invitation
from chalicelib.services.desk.invitations import invitation_text

INVITATION = Invitation(tenant_id="acme", tenant_name="Acme\n쇼핑", invited_by="boss@acme.test")


def _request_body(body: str) -> dict:
    lines = {line for line in body.splitlines() if line.startswith("{")}
    assert len(lines) == 1  # both languages show the same request
    return json.loads(lines.pop())


def test_the_mail_says_who_invited_whom_where_and_how_to_set_the_first_password():
    body = invitation_text(
        "kim@acme.test", "Tmp#pass-w0rd", INVITATION, api_url="http://127.0.0.1:8000/"
    )
    assert "boss@acme.test 님이 Acme 쇼핑의 FinQ 문의 데스크 직원으로 초대했습니다." in body
    assert "boss@acme.test invited you to the FinQ inquiry desk of Acme 쇼핑" in body
    assert "로그인 이메일: kim@acme.test" in body and "Login email: kim@acme.test" in body
    assert "임시 비밀번호: Tmp#pass-w0rd" in body and "Temporary password: Tmp#pass-w0rd" in body
    assert body.count("POST http://127.0.0.1:8000/api/auth/first-password") == 2
    assert body.count("POST http://127.0.0.1:8000/api/auth/login") == 2
    assert _request_body(body) == {
        "email": "kim@acme.test",
        "temporary_password": "Tmp#pass-w0rd",
        "new_password": "<NEW PASSWORD>",
    }


def test_without_an_api_address_the_mail_names_the_routes():
    body = invitation_text("kim@acme.test", "x", INVITATION)
    assert "POST /api/auth/first-password" in body
