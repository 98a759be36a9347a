"""Builders shared by tests: accounts, tokens and request helpers."""

from __future__ import annotations

import json
import uuid
from typing import Any

from chalice.test import Client

PASSWORD = "Sup3r-secret-pw"  # noqa: S105 - a test account's password


def unique_email(prefix: str = "user") -> str:
    """Return an email no other test uses."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


def post_json(client: Client, path: str, body: Any, **headers: str) -> Any:
    """POST ``body`` as JSON and return the response."""
    return client.http.post(
        path,
        headers={"Content-Type": "application/json", **headers},
        body=json.dumps(body),
    )


def sign_up_and_log_in(client: Client, email: str | None = None) -> dict[str, Any]:
    """Create an account through the API and return its tokens plus ``email``."""
    email = email or unique_email()
    created = post_json(client, "/api/auth/signup", {"email": email, "password": PASSWORD})
    assert created.status_code == 201, created.body
    tokens = post_json(client, "/api/auth/login", {"email": email, "password": PASSWORD})
    assert tokens.status_code == 200, tokens.body
    return {**tokens.json_body, "email": email, "sub": created.json_body["sub"]}


def bearer(token: str) -> dict[str, str]:
    """Return an Authorization header for ``token``."""
    return {"Authorization": f"Bearer {token}"}


def policy_record(plcy_no: str = "20260101000000000001", **overrides: str) -> dict[str, str]:
    """Return a valid Ontong ``getPlcy`` record (every value a string), with overrides."""
    record = {
        "plcyNo": plcy_no,
        "plcyNm": "서울 청년 월세 지원",
        "plcyKywdNm": "월세,주거비",
        "plcyExplnCn": "서울에 사는 무주택 청년에게 월세를 지원합니다.",
        "plcySprtCn": "월 최대 20만원, 최장 12개월",
        "lclsfNm": "주거",
        "mclsfNm": "전월세 및 주거급여 지원",
        "sprtTrgtMinAge": "19",
        "sprtTrgtMaxAge": "39",
        "zipCd": "11110,11140,11680",
        "aplyPrdSeCd": "0057001",
        "aplyYmd": "20260301 ~ 20260331",
        "bizPrdBgngYmd": "20260101",
        "bizPrdEndYmd": "20261231",
        "plcyAplyMthdCn": "온라인 신청",
        "sbmsnDcmntCn": "1. 신청서 2. 주민등록등본 3. 임대차계약서",
        "aplyUrlAddr": "https://example.go.kr/apply",
        "jobCd": "0013010",
        "schoolCd": "0049010",
        "mrgSttsCd": "0055003",
        "earnCndSeCd": "0043002",
        "earnMinAmt": "0",
        "earnMaxAmt": "5000",
        "earnEtcCn": "",
        "addAplyQlfcCndCn": "무주택자",
        "ptcpPrpTrgtCn": "",
        "rgtrInstCdNm": "서울특별시",
        "plcyAprvSttsCd": "0044002",
        "lastMdfcnDt": "2026-02-01 10:00:00",
    }
    record.update(overrides)
    return record


def group_member(client: Client, stack: Any, *groups: str) -> dict[str, Any]:
    """Create an account in the Cognito ``groups`` and return tokens (carrying them) + ``email``."""
    email = unique_email(groups[0][:10] if groups else "member")
    post_json(client, "/api/auth/signup", {"email": email, "password": PASSWORD})
    for group in groups:
        stack.identity_provider.ensure_group(group)
        stack.identity_provider.add_to_group(email, group)
    tokens = post_json(client, "/api/auth/login", {"email": email, "password": PASSWORD})
    assert tokens.status_code == 200, tokens.body
    return {**tokens.json_body, "email": email}


def s3_notification(bucket: str, *keys: str, size: int = 0) -> str:
    """Return the S3 event notification (an SQS message body) for objects created at ``keys``.

    Keys are URL-encoded as S3 sends them (a space becomes ``+``).
    """
    from urllib.parse import quote_plus

    return json.dumps(
        {
            "Records": [
                {
                    "eventVersion": "2.1",
                    "eventSource": "aws:s3",
                    "awsRegion": "ap-northeast-2",
                    "eventName": "ObjectCreated:Put",
                    "s3": {
                        "s3SchemaVersion": "1.0",
                        "bucket": {"name": bucket, "arn": f"arn:aws:s3:::{bucket}"},
                        "object": {"key": quote_plus(key, safe="/"), "size": size},
                    },
                }
                for key in keys
            ]
        }
    )


def upload_event(client: Client, queue: str, *bodies: str) -> dict[str, Any]:
    """Return Lambda's SQS event for messages with ``bodies`` received from ``queue``."""
    return client.events.generate_sqs_event(message_bodies=list(bodies), queue_name=queue)
