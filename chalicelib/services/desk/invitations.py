"""The invitation mail a new staff login receives when FinQ (not Cognito) delivers it.

Owns its wording, in Korean and English: who invited the person to which tenant's desk, the
login email, the temporary password and how to set the first password. Sending is the Mailer
port; the password is only ever put in the mail, never logged.
"""

from __future__ import annotations

import json

from chalicelib.ports import Invitation, Mailer

FIRST_PASSWORD_ROUTE = "/api/auth/first-password"
LOGIN_ROUTE = "/api/auth/login"


def _one_line(text: str) -> str:
    """Return ``text`` with its whitespace runs (newlines too) folded to single spaces."""
    return " ".join(text.split())


def invitation_text(
    email: str, temporary_password: str, invitation: Invitation, api_url: str = ""
) -> str:
    """Return an invitation mail's text (Korean, then English); ``api_url`` prefixes routes."""
    tenant = _one_line(invitation["tenant_name"]) or invitation["tenant_id"]
    inviter = _one_line(invitation["invited_by"])
    request = json.dumps(
        {
            "email": email,
            "temporary_password": temporary_password,
            "new_password": "<NEW PASSWORD>",
        },
        ensure_ascii=False,
    )
    base = api_url.rstrip("/")
    first, login = f"POST {base}{FIRST_PASSWORD_ROUTE}\n{request}", f"POST {base}{LOGIN_ROUTE}"
    return (
        f"{inviter} 님이 {tenant}의 FinQ 문의 데스크 직원으로 초대했습니다.\n\n"
        f"로그인 이메일: {email}\n임시 비밀번호: {temporary_password}\n\n"
        "처음 한 번, 임시 비밀번호를 직접 정한 비밀번호로 바꾸세요 "
        "(<NEW PASSWORD> 자리에 새 비밀번호):\n"
        f"{first}\n"
        "응답의 id_token이 로그인 토큰입니다 (Authorization: Bearer). 그다음부터는 "
        f"이메일과 새 비밀번호로 로그인하세요: {login}\n"
        "초대를 예상하지 못했다면 이 메일을 무시하세요.\n\n"
        "----\n\n"
        f"{inviter} invited you to the FinQ inquiry desk of {tenant} as staff.\n\n"
        f"Login email: {email}\nTemporary password: {temporary_password}\n\n"
        "Once, replace the temporary password with your own (put it in place of "
        "<NEW PASSWORD>):\n"
        f"{first}\n"
        "The response's id_token is your login token (Authorization: Bearer). From then "
        f"on, log in with your email and new password: {login}\n"
        "If you did not expect this invitation, ignore this mail.\n"
    )


class InvitationMail:
    """Mails invitations to new staff logins (ports.InvitationSender over a Mailer)."""

    def __init__(self, mailer: Mailer, api_url: str = "") -> None:
        """Send with ``mailer``; ``api_url`` (no trailing slash) prefixes the routes when known."""
        self._mailer = mailer
        self._api_url = api_url.rstrip("/")

    def send(self, email: str, temporary_password: str, invitation: Invitation) -> None:
        """Mail ``email`` its invitation with the temporary password."""
        tenant = _one_line(invitation["tenant_name"]) or invitation["tenant_id"]
        subject = f"[FinQ] {tenant} 문의 데스크 초대 / Invitation to the {tenant} desk"
        text = invitation_text(email, temporary_password, invitation, self._api_url)
        self._mailer.send(email, subject, text)
