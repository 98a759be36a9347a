"""The inquiry desk end to end: tenants, keys, triage, drafts, escalation (SES, SNS), staff."""

from __future__ import annotations

import json
import logging
import urllib.request

import pytest

from chalicelib import providers
from chalicelib.errors import TooManyRequests
from chalicelib.services.desk.limits import RateLimiter
from tests.factories import PASSWORD, bearer, post_json, sign_up_and_log_in, unique_email

FAQ = [
    {
        "question": "비밀번호를 잊어버렸어요. 어떻게 재설정하나요?",
        "answer": "로그인 화면의 '비밀번호 찾기'에서 재설정 링크를 받으세요.",
    },
    {
        "question": "환불은 어떻게 받나요?",
        "answer": "결제 후 7일 안에 결제 내역에서 환불을 신청하세요.",
    },
]


def _member(client, stack, group: str) -> dict:
    email = unique_email(group[:10])
    post_json(client, "/api/auth/signup", {"email": email, "password": PASSWORD})
    stack.identity_provider.ensure_group(group)
    stack.identity_provider.add_to_group(email, group)
    tokens = post_json(client, "/api/auth/login", {"email": email, "password": PASSWORD}).json_body
    return {**tokens, "email": email}


def _sent_mail(stack) -> list[dict]:
    url = f"http://127.0.0.1:{stack.settings.aws_port}/moto-api/data.json"
    return (
        json.loads(urllib.request.urlopen(url, timeout=60).read()).get("ses", {}).get("Message", [])
    )


def _tenant(client, stack, admin, name="Acme"):
    sns, sqs = stack.aws_client("sns"), stack.aws_client("sqs")
    topic = sns.create_topic(Name=f"esc-{unique_email()[:12].replace('@', '')}")["TopicArn"]
    queue = sqs.create_queue(QueueName=f"esc-{unique_email()[:12].replace('@', '')}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
    created = post_json(
        client,
        "/api/tenants",
        {
            "name": name,
            "faq": FAQ,
            "tier": "pro",
            "staff_email": f"staff-{name.lower()}@example.com",
            "sns_topic_arn": topic,
        },
        **bearer(admin["id_token"]),
    )
    assert created.status_code == 201, created.body
    tenant = created.json_body
    key = post_json(
        client, f"/api/tenants/{tenant['tenant_id']}/api-keys", {}, **bearer(admin["id_token"])
    )
    assert key.status_code == 201
    return {
        **tenant,
        "api_key": key.json_body["api_key"],
        "key_id": key.json_body["key_id"],
        "queue": queue,
    }


@pytest.fixture
def desk(client, stack):
    admin = _member(client, stack, "platform-admins")
    acme = _tenant(client, stack, admin, "Acme")
    other = _tenant(client, stack, admin, "Other")
    staff = _member(client, stack, f"tenant-{acme['tenant_id']}-staff")
    other_staff = _member(client, stack, f"tenant-{other['tenant_id']}-staff")
    return {
        "admin": admin,
        "acme": acme,
        "other": other,
        "staff": staff,
        "other_staff": other_staff,
    }


def deliver_desk_queue(stack, retry_delay: int = 0) -> int:
    """Deliver the desk queue's (and dead letters') messages as the local poller does.

    The same code path as ``make run``: devstack's poller receives from moto's SQS and calls
    app.py's ``@app.on_sqs_message`` handlers with Lambda's SQS event, deleting a message on
    success and leaving it (visible again after ``retry_delay`` seconds) on failure.
    """
    from app import on_inquiry_dead_letter, process_inquiry
    from devstack.events import QueuePoller

    sqs = stack.aws_client("sqs")
    settings = stack.settings
    poller = QueuePoller(sqs, None, None, retry_delay=retry_delay)
    for name, handler in (
        (settings.desk_queue_name, process_inquiry),
        (settings.desk_dead_letter_queue_name, on_inquiry_dead_letter),
    ):
        poller.sqs_trigger(sqs.get_queue_url(QueueName=name)["QueueUrl"], handler)
    return poller.drain()


def _submit(client, tenant, body, **headers):
    """Submit an inquiry, let the desk's worker run, and answer with the inquiry's view.

    Submission answers ``pending`` at once; the AI's steps run in the worker, so the view after
    the queue is drained is what the submission answered before the pipeline existed.
    """
    headers = {"x-api-key": tenant["api_key"], **headers}
    response = post_json(client, "/api/inquiries", body, **headers)
    if response.status_code != 201:
        return response
    assert response.json_body["status"] in ("pending", "escalated"), response.body
    deliver_desk_queue(providers.container())  # the container the app under test uses
    view = client.http.get(f"/api/inquiries/{response.json_body['inquiry_id']}", headers=headers)
    response.body = view.body
    return response


FAQ_QUESTION = {
    "customer_email": "kim@example.com",
    "title": "비밀번호 재설정",
    "content": "비밀번호를 잊어버렸는데 어떻게 재설정하나요?",
}
COMPLAINT = {
    "customer_email": "lee@example.com",
    "category": "billing",
    "title": "결제가 두 번 됐어요",
    "content": "어제 결제가 두 번 됐어요. 정말 화가 납니다. 당장 환불해 주세요.",
    "urgency": "high",
}


def test_a_question_the_faq_answers_gets_an_instant_ai_answer(client, desk):
    response = _submit(client, desk["acme"], FAQ_QUESTION)
    assert response.status_code == 201, response.body
    body = response.json_body
    assert body["status"] == "ai_responded" and body["eta_minutes"] == 0
    assert "비밀번호 찾기" in body["answers"][0]["content"]


def test_an_angry_billing_complaint_is_escalated_by_mail_and_notification(client, desk, stack):
    before = len(_sent_mail(stack))
    body = _submit(client, desk["acme"], COMPLAINT).json_body
    assert (
        body["status"] == "escalated" and body["priority"] == "urgent" and body["eta_minutes"] > 0
    )
    mails = _sent_mail(stack)[before:]
    assert mails[0]["destinations"]["ToAddresses"] == ["staff-acme@example.com"]
    assert "AI draft" in mails[0]["body"] and "결제가 두 번" in mails[0]["body"]
    sqs = stack.aws_client("sqs")
    [message] = sqs.receive_message(QueueUrl=desk["acme"]["queue"], WaitTimeSeconds=1)["Messages"]
    note = json.loads(json.loads(message["Body"])["Message"])
    assert (
        note["inquiry_id"] == body["inquiry_id"]
        and note["priority"] == "urgent"
        and "ai_draft" in note
    )


def test_idempotency_key_returns_the_same_inquiry_once(client, desk, stack):
    first = _submit(client, desk["acme"], COMPLAINT, **{"Idempotency-Key": "retry-1"}).json_body
    mails = len(_sent_mail(stack))
    again = _submit(client, desk["acme"], COMPLAINT, **{"Idempotency-Key": "retry-1"}).json_body
    assert again["inquiry_id"] == first["inquiry_id"]
    assert len(_sent_mail(stack)) == mails
    listed = client.http.get(
        "/api/admin/inquiries", headers=bearer(desk["staff"]["id_token"])
    ).json_body["items"]
    assert [i["inquiry_id"] for i in listed] == [first["inquiry_id"]]


def test_tenants_see_nothing_of_each_other(client, desk):
    inquiry = _submit(client, desk["acme"], FAQ_QUESTION).json_body["inquiry_id"]
    other_key = {"x-api-key": desk["other"]["api_key"]}
    assert client.http.get(f"/api/inquiries/{inquiry}", headers=other_key).status_code == 404
    assert (
        post_json(client, f"/api/inquiries/{inquiry}/escalate", {}, **other_key).status_code == 404
    )
    other_staff = bearer(desk["other_staff"]["id_token"])
    assert (
        client.http.get(f"/api/admin/inquiries/{inquiry}", headers=other_staff).status_code == 404
    )
    assert client.http.get("/api/admin/inquiries", headers=other_staff).json_body["items"] == []
    assert (
        post_json(
            client, f"/api/admin/inquiries/{inquiry}/reply", {"content": "x"}, **other_staff
        ).status_code
        == 404
    )
    assert (
        client.http.get(
            f"/api/tenants/{desk['acme']['tenant_id']}", headers=other_staff
        ).status_code
        == 404
    )


@pytest.mark.parametrize("headers", [{}, {"x-api-key": "fq_not-a-key"}])
def test_a_missing_or_unknown_api_key_is_401(client, desk, headers):
    response = post_json(client, "/api/inquiries", FAQ_QUESTION, **headers)
    assert response.status_code == 401 and response.json_body["error"]["code"] == "invalid_api_key"


@pytest.mark.parametrize(
    "body",
    [
        {**FAQ_QUESTION, "customer_email": "nope"},
        {**FAQ_QUESTION, "category": "gossip"},
        {**FAQ_QUESTION, "content": "x" * 10_001},
        {**FAQ_QUESTION, "urgency": "now"},
        {"title": "x"},
    ],
)
def test_bad_inquiries_are_400_and_store_nothing(client, desk, body):
    response = _submit(client, desk["acme"], body)
    assert response.status_code == 400
    assert (
        client.http.get(
            "/api/admin/inquiries", headers=bearer(desk["staff"]["id_token"])
        ).json_body["items"]
        == []
    )


def test_status_only_moves_forward_and_a_new_message_reopens(client, desk, stack):
    inquiry = _submit(client, desk["acme"], FAQ_QUESTION).json_body["inquiry_id"]
    key = {"x-api-key": desk["acme"]["api_key"]}
    assert (
        post_json(client, f"/api/inquiries/{inquiry}/escalate", {}, **key).json_body["status"]
        == "escalated"
    )
    again = post_json(client, f"/api/inquiries/{inquiry}/escalate", {}, **key)
    assert again.status_code == 409
    before = len(_sent_mail(stack))
    staff = bearer(desk["staff"]["id_token"])
    replied = post_json(
        client, f"/api/admin/inquiries/{inquiry}/reply", {"content": "도와드렸습니다."}, **staff
    ).json_body
    assert replied["status"] == "resolved"
    assert _sent_mail(stack)[before]["destinations"]["ToAddresses"] == ["kim@example.com"]
    assert post_json(client, f"/api/inquiries/{inquiry}/escalate", {}, **key).status_code == 409
    reopened = post_json(
        client, f"/api/inquiries/{inquiry}/messages", {"content": "아직 안 돼요"}, **key
    ).json_body
    assert reopened["status"] == "pending"
    view = client.http.get(f"/api/inquiries/{inquiry}", headers=key).json_body
    assert [a["from"] for a in view["answers"]] == ["ai", "staff"]


def test_feedback_and_metrics(client, desk):
    key = {"x-api-key": desk["acme"]["api_key"]}
    answered = _submit(client, desk["acme"], FAQ_QUESTION).json_body["inquiry_id"]
    _submit(client, desk["acme"], COMPLAINT)
    assert (
        post_json(
            client,
            f"/api/inquiries/{answered}/feedback",
            {"satisfaction": 5, "comment": "빨라요"},
            **key,
        ).status_code
        == 200
    )
    assert (
        post_json(
            client, f"/api/inquiries/{answered}/feedback", {"satisfaction": 6}, **key
        ).status_code
        == 400
    )
    metrics = client.http.get(
        "/api/admin/metrics", headers=bearer(desk["staff"]["id_token"])
    ).json_body
    assert metrics["inquiries"] == 2
    assert metrics["escalation_rate"] == 0.5 and metrics["ai_auto_resolution_rate"] == 0.5
    # The AI answers from the worker now, a moment after the submission (not in it).
    assert metrics["csat"] == 5 and 0 < metrics["median_first_response_seconds"] < 60
    assert metrics["tokens"]["input"] > 0 and metrics["cost_usd"] >= 0


def test_admin_list_filters_and_pages_newest_first(client, desk):
    ids = [
        _submit(client, desk["acme"], {**FAQ_QUESTION, "title": f"비밀번호 {n}"}).json_body[
            "inquiry_id"
        ]
        for n in range(3)
    ]
    _submit(client, desk["acme"], COMPLAINT)
    staff = bearer(desk["staff"]["id_token"])
    answered = client.http.get("/api/admin/inquiries?status=ai_responded", headers=staff).json_body[
        "items"
    ]
    assert [i["inquiry_id"] for i in answered] == ids[::-1]
    first = client.http.get("/api/admin/inquiries?limit=2", headers=staff).json_body
    second = client.http.get(
        f"/api/admin/inquiries?limit=2&next={first['next']}", headers=staff
    ).json_body
    assert len(first["items"]) == 2 and len(second["items"]) == 2
    assert client.http.get("/api/admin/inquiries?next=garbage", headers=staff).status_code == 400


def test_only_platform_admins_create_tenants_and_keys_are_revocable(client, desk):
    user = sign_up_and_log_in(client)
    denied = post_json(
        client, "/api/tenants", {"name": "X", "staff_email": "a@b.co"}, **bearer(user["id_token"])
    )
    assert denied.status_code == 403
    acme = desk["acme"]
    revoke = client.http.delete(
        f"/api/tenants/{acme['tenant_id']}/api-keys/{acme['key_id']}",
        headers=bearer(desk["admin"]["id_token"]),
    )
    assert revoke.status_code == 204
    assert _submit(client, acme, FAQ_QUESTION).status_code == 401


def test_rate_limits_per_key_and_per_ip(stack, client, desk):
    service = RateLimiter(stack.desk_repository, key_limits={"pro": 3}, ip_limit=5)
    tenant = desk["acme"]["tenant_id"]
    for _ in range(3):
        service.check_rate(tenant, "key-a", "10.0.0.1")
    with pytest.raises(TooManyRequests) as over:
        service.check_rate(tenant, "key-a", "10.0.0.1")
    assert 0 < over.value.retry_after <= 3600
    # Every request from this address counts, refused or not: key-a x4 and key-b make five;
    # key-c is the sixth, over the address limit of 5, though its own key is fresh.
    service.check_rate(tenant, "key-b", "10.0.0.1")
    with pytest.raises(TooManyRequests, match="address"):
        service.check_rate(tenant, "key-c", "10.0.0.1")


def _png_with_text(text: str) -> bytes:
    import io

    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (900, 120), "white")
    ImageDraw.Draw(image).text((20, 30), text, fill="black", font=ImageFont.load_default(size=40))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _upload(upload: dict, body: bytes, content_type: str) -> int:
    """POST a file to a presigned S3 upload (multipart form), as a browser would."""
    boundary = "finqboundary"
    parts = []
    for name, value in {**upload["fields"]}.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="f"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
        + body
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    request = urllib.request.Request(
        upload["url"],
        b"".join(parts),
        {"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def _deliver_attachment_events(stack) -> None:
    from app import on_attachment_uploaded
    from devstack.events import QueuePoller

    sqs = stack.aws_client("sqs")
    url = sqs.get_queue_url(QueueName=stack.settings.attachment_events_queue_name)["QueueUrl"]
    QueuePoller(sqs, url, on_attachment_uploaded).drain()


def test_an_attachment_is_uploaded_read_by_ocr_and_joins_the_inquiry(client, desk, stack):
    key = {"x-api-key": desk["acme"]["api_key"]}
    inquiry = _submit(client, desk["acme"], COMPLAINT).json_body["inquiry_id"]
    image = _png_with_text("Order 48213 was charged twice")
    ticket = post_json(
        client,
        f"/api/inquiries/{inquiry}/attachments",
        {"filename": "receipt.png", "content_type": "image/png", "size": len(image)},
        **key,
    )
    assert ticket.status_code == 201, ticket.body
    assert _upload(ticket.json_body["upload"], image, "image/png") in (200, 201, 204)
    _deliver_attachment_events(stack)  # moto bucket -> SQS -> the same SQS handler Lambda runs
    view = client.http.get(f"/api/inquiries/{inquiry}", headers=key).json_body
    assert view["attachments"] == [
        {
            "attachment_id": ticket.json_body["attachment_id"],
            "filename": "receipt.png",
            "state": "read",
        }
    ]
    staff = client.http.get(
        f"/api/admin/inquiries/{inquiry}", headers=bearer(desk["staff"]["id_token"])
    ).json_body
    [attachment] = [e for e in staff["entries"] if e.get("kind") == "attachment"]
    assert "48213" in attachment["text"]
    assert any(e.get("after_attachment") == attachment["entry_id"] for e in staff["entries"])


def test_an_attachment_ocr_cannot_read_is_marked_and_the_inquiry_goes_on(client, desk, stack):
    key = {"x-api-key": desk["acme"]["api_key"]}
    inquiry = _submit(client, desk["acme"], FAQ_QUESTION).json_body["inquiry_id"]
    fake = b"%PDF-1.4 not really a pdf"
    ticket = post_json(
        client,
        f"/api/inquiries/{inquiry}/attachments",
        {"filename": "scan.pdf", "content_type": "application/pdf", "size": len(fake)},
        **key,
    ).json_body
    _upload(ticket["upload"], fake, "application/pdf")
    _deliver_attachment_events(stack)
    view = client.http.get(f"/api/inquiries/{inquiry}", headers=key).json_body
    assert view["status"] == "ai_responded"
    [attachment] = view["attachments"]
    assert attachment["state"] == "not_read" and attachment["reason"]


@pytest.mark.parametrize(
    "body",
    [
        {"filename": "a.exe", "content_type": "application/x-msdownload", "size": 10},
        {"filename": "a.png", "content_type": "image/png", "size": 6 * 1024 * 1024},
        {"filename": "", "content_type": "image/png", "size": 10},
    ],
)
def test_attachment_types_and_sizes_are_limited(client, desk, body):
    key = {"x-api-key": desk["acme"]["api_key"]}
    inquiry = _submit(client, desk["acme"], FAQ_QUESTION).json_body["inquiry_id"]
    assert (
        post_json(client, f"/api/inquiries/{inquiry}/attachments", body, **key).status_code == 400
    )


def test_the_open_queue_follows_status_changes_and_stretches_the_eta(client, desk, stack):
    repo, tenant = stack.desk_repository, desk["acme"]["tenant_id"]
    key = {"x-api-key": desk["acme"]["api_key"]}
    first = _submit(client, desk["acme"], COMPLAINT).json_body
    assert repo.open_count(tenant) == 1
    second = _submit(client, desk["acme"], {**COMPLAINT, "title": "또 결제 오류"}).json_body
    assert second["eta_minutes"] > first["eta_minutes"]  # one more inquiry ahead in the queue
    post_json(
        client,
        f"/api/admin/inquiries/{first['inquiry_id']}/reply",
        {"content": "처리했습니다"},
        **bearer(desk["staff"]["id_token"]),
    )
    assert repo.open_count(tenant) == 1
    post_json(
        client, f"/api/inquiries/{first['inquiry_id']}/messages", {"content": "아직이요"}, **key
    )
    assert repo.open_count(tenant) == 2


def test_a_tenant_with_its_own_korean_categories_classifies_inquiries_by_them(client, stack):
    admin = _member(client, stack, "platform-admins")
    created = post_json(
        client,
        "/api/tenants",
        {
            "name": "한빛",
            "faq": FAQ,
            "staff_email": "staff-hanbit@example.com",
            "categories": [{"name": "일반문의", "weight": 0}, {"name": "기술문의", "weight": 20}],
        },
        **bearer(admin["id_token"]),
    )
    assert created.status_code == 201, created.body
    assert created.json_body["categories"][1] == {"name": "기술문의", "weight": 20}
    tenant_id = created.json_body["tenant_id"]
    key = post_json(client, f"/api/tenants/{tenant_id}/api-keys", {}, **bearer(admin["id_token"]))
    tenant = {"api_key": key.json_body["api_key"]}
    accepted = _submit(client, tenant, {**FAQ_QUESTION, "category": "기술문의"})
    assert accepted.status_code == 201, accepted.body
    refused = _submit(client, tenant, {**FAQ_QUESTION, "category": "billing"})
    assert refused.status_code == 400
    assert refused.json_body["error"]["code"] == "unknown_category"


def _staff_emails(client, admin_token: str) -> list[str]:
    listed = client.http.get("/api/admin/staff", headers=bearer(admin_token))
    assert listed.status_code == 200, listed.body
    return [m["email"] for m in listed.json_body["items"]]


def test_tenant_admins_invite_list_and_remove_their_staff(client, desk, stack):
    acme = desk["acme"]["tenant_id"]
    boss = _member(client, stack, f"tenant-{acme}-admin")
    token, newcomer = boss["id_token"], unique_email("newcomer")

    added = post_json(client, "/api/admin/staff", {"email": newcomer}, **bearer(token))
    assert added.status_code == 201, added.body
    assert added.json_body["email"] == newcomer
    assert (added.json_body["enabled"], added.json_body["status"]) == (
        True,
        "FORCE_CHANGE_PASSWORD",
    )
    again = post_json(client, "/api/admin/staff", {"email": newcomer}, **bearer(token))
    assert (again.status_code, again.json_body) == (200, added.json_body)
    assert sorted(_staff_emails(client, token)) == sorted([desk["staff"]["email"], newcomer])

    # The existing staff member is removed: out of the group, and the login is disabled.
    gone = client.http.delete(f"/api/admin/staff/{desk['staff']['email']}", headers=bearer(token))
    assert gone.status_code == 204, gone.body
    assert _staff_emails(client, token) == [newcomer]
    assert stack.staff_directory.member(desk["staff"]["email"])["enabled"] is False
    login = {"email": desk["staff"]["email"], "password": PASSWORD}
    assert post_json(client, "/api/auth/login", login).status_code in (401, 403)
    again = client.http.delete(f"/api/admin/staff/{desk['staff']['email']}", headers=bearer(token))
    assert again.status_code == 404


def test_staff_admin_routes_refuse_other_tenants_plain_staff_and_bad_input(client, desk, stack):
    acme = desk["acme"]["tenant_id"]
    token = _member(client, stack, f"tenant-{acme}-admin")["id_token"]
    other_staff = desk["other_staff"]["email"]

    foreign = client.http.delete(f"/api/admin/staff/{other_staff}", headers=bearer(token))
    assert foreign.status_code == 404 and foreign.json_body["error"]["code"] == "not_found"
    taken = post_json(client, "/api/admin/staff", {"email": other_staff}, **bearer(token))
    assert taken.status_code == 409 and taken.json_body["error"]["code"] == "staff_unavailable"
    assert stack.staff_directory.member(other_staff)["enabled"] is True
    other_group = f"tenant-{desk['other']['tenant_id']}-staff"
    assert stack.staff_directory.groups_of(other_staff) == [other_group]

    too_long = "x" * 300 + "@example.com"
    extra = {"email": unique_email(), "role": "admin"}
    # Addresses no mail service delivers to (SES: no SMTPUTF8, RFC 5322 specials) are a 400
    # before any login is made, never a login deleted after a refused mail (a 503).
    undeliverable = [{"email": e} for e in ("홍길동@example.com", "a,b@example.com", "a>b@x.io")]
    for body in ({"email": "not-an-email"}, {"email": too_long}, extra, {}, [], *undeliverable):
        refused = post_json(client, "/api/admin/staff", body, **bearer(token))
        assert refused.status_code == 400, (body, refused.body)
        assert set(refused.json_body["error"]) >= {"code", "message"}
    assert _staff_emails(client, token) == [desk["staff"]["email"]]

    plain = desk["staff"]["id_token"]
    assert client.http.get("/api/admin/staff", headers=bearer(plain)).status_code == 403
    refused = post_json(client, "/api/admin/staff", {"email": unique_email()}, **bearer(plain))
    assert refused.status_code == 403
    kept = client.http.delete(f"/api/admin/staff/{desk['staff']['email']}", headers=bearer(plain))
    assert kept.status_code == 403
    assert client.http.get("/api/admin/staff").status_code == 401
    assert _staff_emails(client, token) == [desk["staff"]["email"]]


def test_tenants_and_inquiries_use_the_seeds_field_names(client, desk, stack):
    admin = desk["admin"]["id_token"]
    seed_tenant = {
        "name": "Seedco",
        "staff_email": "staff-seed@example.com",
        "subscription_tier": "enterprise",
        "faq_data": FAQ,
        "domain_context": "쇼핑몰 고객센터",
    }
    created = post_json(client, "/api/tenants", seed_tenant, **bearer(admin))
    assert created.status_code == 201, created.body
    tenant = created.json_body
    assert tenant["subscription_tier"] == tenant["tier"] == "enterprise"
    assert [e["question"] for e in tenant["faq_data"]] == [e["question"] for e in FAQ]
    assert tenant["faq"] == tenant["faq_data"] and tenant["domain_context"] == "쇼핑몰 고객센터"
    clash = {**seed_tenant, "tier": "basic"}  # both names: the seed's wins
    both = post_json(client, "/api/tenants", clash, **bearer(admin))
    assert both.status_code == 201, both.body
    assert both.json_body["subscription_tier"] == both.json_body["tier"] == "enterprise"

    body = _submit(client, desk["acme"], {**FAQ_QUESTION, "urgency": "low"}).json_body
    assert body["urgency"] == "low" and body["estimated_response_time"]
    assert "비밀번호 찾기" in body["ai_response"] and body["human_response"] is None
    token = desk["staff"]["id_token"]
    detail = client.http.get(f"/api/admin/inquiries/{body['inquiry_id']}", headers=bearer(token))
    staff_view = detail.json_body
    assert staff_view["ai_response"] == body["ai_response"]
    assert staff_view["estimated_response_time"] == staff_view["first_response_at"]
    [sent] = [e for e in staff_view["entries"] if e.get("sent_to_customer")]
    assert sent["model_used"] == sent["model"] and sent["model_used"]
    assert sent["response_quality_score"] == sent["confidence"]
    assert sent["prompt_tokens"] >= 0 and sent["completion_tokens"] >= 0
    reply = {"content": "추가로 안내드립니다"}
    path = f"/api/admin/inquiries/{body['inquiry_id']}/reply"
    assert post_json(client, path, reply, **bearer(token)).status_code == 200
    view = client.http.get(
        f"/api/inquiries/{body['inquiry_id']}", headers={"x-api-key": desk["acme"]["api_key"]}
    )
    assert view.json_body["human_response"] == "추가로 안내드립니다"


def test_the_worker_writes_each_inquirys_metrics_to_the_log_in_emf(client, desk, capsys):
    capsys.readouterr()
    body = _submit(client, desk["acme"], FAQ_QUESTION).json_body
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines() if '"_aws"' in x]
    [record] = [r for r in lines if r.get("InquiryId") == body["inquiry_id"]]
    [directive] = record["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == "FinQ/Desk" and directive["Dimensions"] == [["TenantId"]]
    names = {m["Name"] for m in directive["Metrics"]}
    assert names == {
        "PromptTokens",
        "CompletionTokens",
        "Escalated",
        "AutoAnswered",
        "ResponseQualityScore",
    }
    assert record["TenantId"] == desk["acme"]["tenant_id"] and record["AutoAnswered"] == 1
    path = f"/api/inquiries/{body['inquiry_id']}/feedback"
    headers = {"x-api-key": desk["acme"]["api_key"]}
    assert post_json(client, path, {"satisfaction": 4}, **headers).status_code == 200
    [rated] = [json.loads(x) for x in capsys.readouterr().out.splitlines() if '"_aws"' in x]
    assert rated["CustomerSatisfaction"] == 4 and rated["InquiryId"] == body["inquiry_id"]


def _invitation_password(mail: dict) -> str:
    """Return the temporary password from an invitation mail's first-password request body."""
    [request] = {line for line in mail["body"].splitlines() if line.startswith('{"email"')}
    return json.loads(request)["temporary_password"]


def test_an_invited_person_gets_a_mail_sets_their_password_and_works_the_desk(
    client, desk, stack, capsys, caplog
):
    caplog.set_level(logging.INFO)
    acme = desk["acme"]["tenant_id"]
    boss = _member(client, stack, f"tenant-{acme}-admin")
    newcomer, before = unique_email("invited"), len(_sent_mail(stack))

    added = post_json(client, "/api/admin/staff", {"email": newcomer}, **bearer(boss["id_token"]))
    assert added.status_code == 201, added.body
    [mail] = _sent_mail(stack)[before:]
    assert mail["destinations"]["ToAddresses"] == [newcomer]
    assert mail["source"] == stack.settings.mail_sender
    assert "Acme" in mail["subject"] and "초대" in mail["subject"]
    for said in (boss["email"], "Acme", newcomer, "POST http://", "/api/auth/first-password"):
        assert said in mail["body"], said
    temporary = _invitation_password(mail)
    assert temporary not in added.body.decode() and temporary not in "".join(capsys.readouterr())
    assert temporary not in caplog.text
    # Inviting again someone who has not set a password yet (the mail lost, the password
    # expired) mails a new temporary password; the first one stops working.
    again = post_json(client, "/api/admin/staff", {"email": newcomer}, **bearer(boss["id_token"]))
    assert again.status_code == 200, again.body
    [second] = _sent_mail(stack)[before + 1 :]
    assert second["destinations"]["ToAddresses"] == [newcomer]
    first_temporary, temporary = temporary, _invitation_password(second)
    assert temporary != first_temporary and temporary not in again.body.decode()
    stale = post_json(client, "/api/auth/login", {"email": newcomer, "password": first_temporary})
    assert stale.status_code == 401, stale.body

    refused = post_json(client, "/api/auth/login", {"email": newcomer, "password": temporary})
    assert refused.json_body["error"]["code"] == "challenge_required"
    first = {"email": newcomer, "temporary_password": temporary, "new_password": PASSWORD}
    assert post_json(client, "/api/auth/first-password", first).status_code == 200
    tokens = post_json(client, "/api/auth/login", {"email": newcomer, "password": PASSWORD})
    assert tokens.status_code == 200, tokens.body

    inquiry = _submit(client, desk["acme"], FAQ_QUESTION).json_body["inquiry_id"]
    mine = client.http.get("/api/admin/inquiries", headers=bearer(tokens.json_body["id_token"]))
    assert mine.status_code == 200 and inquiry in [i["inquiry_id"] for i in mine.json_body["items"]]
    listed = client.http.get("/api/admin/staff", headers=bearer(boss["id_token"])).json_body
    [member] = [m for m in listed["items"] if m["email"] == newcomer]
    assert (member["status"], member["enabled"]) == ("CONFIRMED", True)
    sent = len(_sent_mail(stack))
    third = post_json(client, "/api/admin/staff", {"email": newcomer}, **bearer(boss["id_token"]))
    assert third.status_code == 200 and len(_sent_mail(stack)) == sent  # a working login: no mail


def test_an_invitation_that_cannot_be_mailed_leaves_no_login(client, desk, stack, monkeypatch):
    acme = desk["acme"]["tenant_id"]
    boss = _member(client, stack, f"tenant-{acme}-admin")
    newcomer = unique_email("unmailed")
    monkeypatch.setenv("FINQ_MAIL_SENDER", "unverified@nowhere.example")  # SES refuses it
    providers.reset()

    failed = post_json(client, "/api/admin/staff", {"email": newcomer}, **bearer(boss["id_token"]))
    assert failed.status_code == 503, failed.body
    assert failed.json_body["error"]["code"] == "upstream_unavailable"
    assert providers.container().staff_directory.member(newcomer) is None

    monkeypatch.delenv("FINQ_MAIL_SENDER")
    providers.reset()
    before = len(_sent_mail(stack))
    added = post_json(client, "/api/admin/staff", {"email": newcomer}, **bearer(boss["id_token"]))
    assert added.status_code == 201, added.body
    assert [m["destinations"]["ToAddresses"] for m in _sent_mail(stack)[before:]] == [[newcomer]]
