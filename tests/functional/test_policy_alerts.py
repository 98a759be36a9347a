"""Alerts end to end: a saved policy changes in the bucket; the saver sees it in-app and by mail.

The changed file travels the local S3 event path (bucket -> queue -> poller -> the upload
handler), the notification is read over the API, the mail from moto's SES.
"""

from __future__ import annotations

import json
import urllib.request

from devstack.events import QueuePoller
from tests.factories import bearer, policy_record, post_json, sign_up_and_log_in

NUMBER = "20260301000000000777"


def _deliver(stack, key: str, record: dict) -> None:
    """Upload ``record`` as ``key`` and run the upload handler on the bucket's events."""
    from app import on_policy_file_uploaded

    body = json.dumps(record, ensure_ascii=False).encode("utf-8")
    stack.policy_bucket.write(key, body)
    sqs = stack.aws_client("sqs")
    url = sqs.get_queue_url(QueueName=stack.settings.policy_events_queue_name)["QueueUrl"]
    assert QueuePoller(sqs, url, on_policy_file_uploaded).drain() >= 1


def _mail_to(stack, email: str) -> list[dict]:
    url = f"http://127.0.0.1:{stack.settings.aws_port}/moto-api/data.json"
    messages = json.loads(urllib.request.urlopen(url, timeout=60).read()).get("ses", {})
    return [m for m in messages.get("Message", []) if m["destinations"]["ToAddresses"] == [email]]


def _notifications(client, token: str, query: str = "") -> dict:
    response = client.http.get(f"/api/notifications{query}", headers=bearer(token))
    assert response.status_code == 200, response.body
    return response.json_body


def test_a_changed_saved_policy_reaches_the_saver_in_app_and_by_mail_once(client, policy_stack):
    _deliver(policy_stack, "policies/alerts.json", policy_record(NUMBER))
    user = sign_up_and_log_in(client)
    token = user["id_token"]
    saved = post_json(client, "/api/user-policies", {"plcyNo": NUMBER}, **bearer(token))
    assert saved.status_code == 201, saved.body
    assert _notifications(client, token) == {"items": [], "next": None, "unread": 0}

    changed = policy_record(NUMBER, aplyYmd="20260301 ~ 20260415", sprtTrgtMaxAge="34")
    _deliver(policy_stack, "policies/alerts.json", changed)

    page = _notifications(client, token)
    assert page["unread"] == 1
    [item] = page["items"]
    assert (item["plcyNo"], item["source"], item["confirmed"], item["read"]) == (
        NUMBER,
        "ingestion",
        True,
        False,
    )
    assert item["title"] == "'서울 청년 월세 지원' 정책이 바뀌었습니다"
    assert [c["kind"] for c in item["changes"]] == ["window_extended", "age"]
    assert item["changes"][0]["text"] == (
        "신청 기간이 2026-03-01~2026-03-31에서 2026-03-01~2026-04-15로 연장되었습니다."
    )
    english = _notifications(client, token, "?lang=en")["items"][0]["changes"][0]["text"]
    assert english.startswith("The application window was extended to 15 Apr 2026")

    [mail] = _mail_to(policy_stack, user["email"])
    assert mail["subject"] == "[FinQ] 저장하신 정책 1건이 바뀌었습니다"
    assert "2026-03-01~2026-04-15로 연장되었습니다" in mail["body"]
    assert "지원 연령이 19~39세에서 19~34세로 바뀌었습니다." in mail["body"]

    # The same file again (another key, same content): nothing new in-app or by mail.
    _deliver(policy_stack, "policies/alerts-copy.json", changed)
    assert len(_notifications(client, token)["items"]) == 1
    assert len(_mail_to(policy_stack, user["email"])) == 1

    read = client.http.post(f"/api/notifications/{item['id']}/read", headers=bearer(token))
    assert read.status_code == 200 and read.json_body == {"marked": 1, "unread": 0}


def test_mail_follows_the_profile_language(client, policy_stack):
    _deliver(policy_stack, "policies/alerts.json", policy_record(NUMBER))
    user = sign_up_and_log_in(client)
    token = user["id_token"]
    profile = client.http.put(
        "/api/me",
        headers={**bearer(token), "Content-Type": "application/json"},
        body=json.dumps({"language": "en"}),
    )
    assert profile.status_code == 200 and profile.json_body["language"] == "en"
    post_json(client, "/api/user-policies", {"plcyNo": NUMBER}, **bearer(token))
    _deliver(policy_stack, "policies/alerts.json", policy_record(NUMBER, plcyAprvSttsCd="0044003"))
    [mail] = _mail_to(policy_stack, user["email"])
    assert mail["subject"] == "[FinQ] A policy you saved changed"
    assert "The policy was withdrawn: it no longer takes applications." in mail["body"]
    [item] = _notifications(client, token)["items"]
    assert item["title"] == "'서울 청년 월세 지원' changed"


def test_another_users_notification_is_not_found(client, policy_stack):
    _deliver(policy_stack, "policies/alerts.json", policy_record(NUMBER))
    owner, stranger = sign_up_and_log_in(client), sign_up_and_log_in(client)
    post_json(client, "/api/user-policies", {"plcyNo": NUMBER}, **bearer(owner["id_token"]))
    _deliver(policy_stack, "policies/alerts.json", policy_record(NUMBER, sprtTrgtMaxAge="34"))
    [item] = _notifications(client, owner["id_token"])["items"]
    path = f"/api/notifications/{item['id']}/read"
    refused = client.http.post(path, headers=bearer(stranger["id_token"]))
    assert refused.status_code == 404 and refused.json_body["error"]["code"] == "not_found"
    everything = client.http.post("/api/notifications/read", headers=bearer(stranger["id_token"]))
    assert everything.json_body == {"marked": 0, "unread": 0}
    assert _notifications(client, owner["id_token"])["unread"] == 1
    bad = client.http.get(
        "/api/notifications?next=forged.cursor", headers=bearer(owner["id_token"])
    )
    assert bad.status_code == 400 and bad.json_body["error"]["code"] == "invalid_cursor"


def test_the_news_schedule_is_a_no_op_without_news_search(client, policy_stack):
    event = client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]
    )
    client.lambda_.invoke("check_policy_news", event)
    assert policy_stack.database.fetch("SELECT id FROM policy_changes") == []
