"""Profiles, policy discovery, eligibility, bookmarks, checklists and reminders over HTTP."""

from __future__ import annotations

import json
import urllib.request
from datetime import timedelta

import pytest

from chalicelib import codes
from chalicelib.clock import today_kst
from chalicelib.policies.records import RawRecord
from chalicelib.services.ingestion import IngestionService
from tests.factories import bearer, policy_record, post_json, sign_up_and_log_in

TODAY = today_kst()


def _ymd(days: int) -> str:
    return (TODAY + timedelta(days=days)).strftime("%Y%m%d")


def _window(start: int, end: int) -> dict[str, str]:
    return {"aplyPrdSeCd": "0057001", "aplyYmd": f"{_ymd(start)} ~ {_ymd(end)}"}


RECORDS = [
    policy_record("1001", plcyNm="서울 청년 월세 지원", **_window(-10, 3)),
    policy_record(
        "1002",
        plcyNm="부산 청년 취업 장려금",
        lclsfNm="일자리",
        plcyKywdNm="취업,장려금",
        plcyExplnCn="부산 중소기업에 취업한 청년에게 장려금을 지급합니다.",
        plcySprtCn="월 30만원",
        zipCd=",".join(codes.districts_of("26")),
        lastMdfcnDt="2026-05-01 10:00:00",
        **_window(20, 40),
    ),
    policy_record(
        "1003",
        plcyNm="국민 청년 마음건강 바우처",
        lclsfNm="복지문화",
        plcyKywdNm="심리상담,마음건강",
        plcyExplnCn="우울감이나 불안을 겪는 청년에게 전문 심리상담 서비스를 제공합니다.",
        plcySprtCn="상담 8회",
        zipCd=",".join(codes.districts()),
        sprtTrgtMinAge="",
        sprtTrgtMaxAge="",
        aplyPrdSeCd="0057002",
        aplyYmd="",
        addAplyQlfcCndCn="",
        earnCndSeCd="0043001",
        lastMdfcnDt="2026-06-01 10:00:00",
    ),
    policy_record(
        "1004",
        plcyNm="마감된 서울 청년 교육",
        lclsfNm="교육",
        aplyPrdSeCd="0057003",
        lastMdfcnDt="2025-01-01 10:00:00",
    ),
    policy_record("1005", plcyNm="승인 전 정책", plcyAprvSttsCd="0044001"),
    policy_record(
        "1006",
        plcyNm="서울 청년 면접 정장 대여",
        lclsfNm="일자리",
        plcyKywdNm="면접,정장",
        plcyExplnCn="구직 청년에게 면접용 정장을 무료로 빌려 줍니다.",
        plcySprtCn="연 3회 무료 대여",
        sprtTrgtMinAge="18",
        sprtTrgtMaxAge="34",
        lastMdfcnDt="2026-03-01 10:00:00",
        **_window(-30, 60),
    ),
]


@pytest.fixture
def catalogue(policy_stack):
    service = IngestionService(
        policy_stack.policies, policy_stack.policy_index, policy_stack.embedder
    )
    report = service.ingest([RawRecord(i, r) for i, r in enumerate(RECORDS)], source="test")
    assert report["counts"]["new"] == len(RECORDS)
    return policy_stack


def _get(client, path, token=None):
    return client.http.get(path, headers=bearer(token) if token else {})


def _numbers(response) -> list[str]:
    assert response.status_code == 200, response.body
    return [item["plcyNo"] for item in response.json_body["items"]]


def _put(client, path, body, token):
    return client.http.put(
        path, headers={"Content-Type": "application/json", **bearer(token)}, body=json.dumps(body)
    )


def _patch(client, path, body, token):
    return client.http.patch(
        path, headers={"Content-Type": "application/json", **bearer(token)}, body=json.dumps(body)
    )


PROFILE = {
    "birth_date": "2000-05-01",
    "region_code": "11680",
    "job_status": "0013003",
    "school_status": "0049007",
    "marital_status": "0055002",
    "annual_income": 3000,
    "interests": ["주거"],
}


# --- profile -------------------------------------------------------------------------------


def test_profile_round_trip_with_age(client, stack):
    user = sign_up_and_log_in(client)
    updated = _put(client, "/api/me", PROFILE, user["id_token"])
    assert updated.status_code == 200, updated.body
    me = _get(client, "/api/me", user["id_token"]).json_body
    assert {k: me[k] for k in PROFILE} == PROFILE
    assert me["age"] == TODAY.year - 2000 - ((TODAY.month, TODAY.day) < (5, 1))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("region_code", "99999"),
        ("job_status", "0013999"),
        ("school_status", "x"),
        ("marital_status", "0055009"),
        ("annual_income", -1),
        ("annual_income", "lots"),
        ("birth_date", "2999-01-01"),
        ("birth_date", "01/05/2000"),
        ("interests", ["x" * 31]),
        ("nickname", "extra field"),
    ],
)
def test_bad_profile_values_are_400_naming_the_field_and_change_nothing(client, field, value):
    user = sign_up_and_log_in(client)
    _put(client, "/api/me", PROFILE, user["id_token"])
    response = _put(client, "/api/me", {**PROFILE, field: value}, user["id_token"])
    assert response.status_code == 400
    assert response.json_body["error"]["details"]["fields"][0]["field"].startswith(field)
    assert _get(client, "/api/me", user["id_token"]).json_body["region_code"] == "11680"


def test_delete_me_removes_everything_of_the_caller_only(client, catalogue):
    alice, bob = sign_up_and_log_in(client), sign_up_and_log_in(client)
    for user in (alice, bob):
        _put(client, "/api/me", PROFILE, user["id_token"])
        post_json(client, "/api/user-policies", {"plcyNo": "1001"}, **bearer(user["id_token"]))
    doc = _get(client, "/api/user-policies/1001/documents", alice["id_token"]).json_body["items"][0]
    _put(
        client,
        f"/api/user-policies/1001/documents/{doc['documentId']}",
        {"status": "ready"},
        alice["id_token"],
    )
    response = client.http.delete("/api/me", headers=bearer(alice["id_token"]))
    assert response.status_code == 204
    db = catalogue.database
    assert db.fetch("SELECT sub FROM users WHERE sub = :s", s=alice["sub"]) == []
    assert db.fetch("SELECT 1 FROM user_policies WHERE user_sub = :s", s=alice["sub"]) == []
    assert db.fetch("SELECT 1 FROM document_progress WHERE user_sub = :s", s=alice["sub"]) == []
    assert len(db.fetch("SELECT 1 FROM user_policies WHERE user_sub = :s", s=bob["sub"])) == 1
    login = post_json(
        client, "/api/auth/login", {"email": alice["email"], "password": "Sup3r-secret-pw"}
    )
    assert login.status_code == 401


# --- listing and search -----------------------------------------------------------------


def test_list_shows_only_searchable_policies(client, catalogue):
    assert sorted(_numbers(_get(client, "/api/policies"))) == [
        "1001",
        "1002",
        "1003",
        "1004",
        "1006",
    ]


def test_region_filter_matches_district_province_wide_and_nationwide(client, catalogue):
    assert set(_numbers(_get(client, "/api/policies?region=26350"))) == {"1002", "1003"}
    assert set(_numbers(_get(client, "/api/policies?region=11680"))) == {
        "1001",
        "1003",
        "1004",
        "1006",
    }
    assert set(_numbers(_get(client, "/api/policies?region=50"))) == {"1003"}


def test_age_category_status_deadline_and_keyword_filters(client, catalogue):
    assert "1006" not in _numbers(_get(client, "/api/policies?age=36"))
    assert set(_numbers(_get(client, "/api/policies?category=일자리"))) == {"1002", "1006"}
    assert set(_numbers(_get(client, "/api/policies?status=open"))) == {"1001", "1003", "1006"}
    assert _numbers(_get(client, "/api/policies?status=upcoming")) == ["1002"]
    assert _numbers(_get(client, "/api/policies?status=closed")) == ["1004"]
    assert _numbers(_get(client, "/api/policies?status=always")) == ["1003"]
    deadline = (TODAY + timedelta(days=5)).isoformat()
    assert _numbers(_get(client, f"/api/policies?deadline_before={deadline}")) == ["1001"]
    assert _numbers(_get(client, "/api/policies?keyword=정장")) == ["1006"]


def test_sorting_by_deadline_and_newest(client, catalogue):
    assert _numbers(_get(client, "/api/policies?sort=deadline&status=open"))[:2] == ["1001", "1006"]
    newest = _numbers(_get(client, "/api/policies?sort=newest"))
    assert newest.index("1003") < newest.index("1002") < newest.index("1006") < newest.index("1004")


def test_cursor_pagination_visits_every_policy_once(client, catalogue):
    for sort in ("newest", "deadline"):
        seen, path = [], f"/api/policies?sort={sort}&limit=2"
        while path:
            page = _get(client, path).json_body
            seen += [item["plcyNo"] for item in page["items"]]
            path = (
                f"/api/policies?sort={sort}&limit=2&next={page['next']}" if page["next"] else None
            )
        assert sorted(seen) == ["1001", "1002", "1003", "1004", "1006"]


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=10000",
        "limit=ten",
        "next=@@@",
        "next=eyJvIjogMH0",
        "status=soon",
        "sort=random",
        "region=99",
        "category=게임",
        "age=-1",
        "deadline_before=tomorrow",
        "unknown=1",
        "q=" + "가" * 301,
    ],
)
def test_bad_list_queries_are_400(client, catalogue, query):
    response = _get(client, f"/api/policies?{query}")
    assert response.status_code == 400, query
    assert response.json_body["error"]["code"] in ("invalid_input", "invalid_cursor")


def test_a_cursor_cannot_be_reused_for_another_query(client, catalogue):
    page = _get(client, "/api/policies?sort=newest&limit=1").json_body
    response = _get(client, f"/api/policies?sort=deadline&limit=1&next={page['next']}")
    assert response.status_code == 400
    assert response.json_body["error"]["code"] == "invalid_cursor"


def test_search_by_meaning_finds_the_fitting_policy(client, catalogue):
    found = _numbers(_get(client, "/api/policies?q=우울하고 불안해서 상담 받고 싶어요"))
    assert found[0] == "1003"
    assert _numbers(_get(client, "/api/policies?q=집세가 너무 비싸요 월세 도움"))[0] == "1001"


def test_exact_policy_name_always_ranks_first(client, catalogue):
    assert _numbers(_get(client, "/api/policies?q=서울 청년 면접 정장 대여"))[0] == "1006"


def test_search_applies_filters_inside_the_search(client, catalogue):
    found = _numbers(_get(client, "/api/policies?q=월세 지원&region=26350"))
    assert "1001" not in found
    assert set(found) <= {"1002", "1003"}


def test_search_never_returns_unapproved_policies(client, catalogue):
    assert "1005" not in _numbers(_get(client, "/api/policies?q=승인 전 정책"))


def test_logged_in_list_carries_eligibility(client, catalogue):
    user = sign_up_and_log_in(client)
    _put(client, "/api/me", PROFILE, user["id_token"])
    items = _get(client, "/api/policies", user["id_token"]).json_body["items"]
    verdicts = {item["plcyNo"]: item["eligibility"] for item in items}
    assert verdicts["1002"] == "not_eligible"  # Busan only
    assert verdicts["1001"] == "needs_check"  # 무주택자 is free text
    assert all(
        item.get("eligibility") is None for item in _get(client, "/api/policies").json_body["items"]
    )


def test_a_bad_token_on_a_public_route_is_401_not_ignored(client, catalogue):
    response = client.http.get("/api/policies", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401


# --- detail and eligibility ---------------------------------------------------------------


def test_detail_has_documents_links_and_verdict_when_logged_in(client, catalogue):
    anonymous = _get(client, "/api/policies/1001").json_body
    assert [d["name"] for d in anonymous["documents"]] == ["신청서", "주민등록등본", "임대차계약서"]
    assert anonymous["apply_url"] and "eligibility_detail" not in anonymous
    user = sign_up_and_log_in(client)
    _put(client, "/api/me", PROFILE, user["id_token"])
    detail = _get(client, "/api/policies/1001", user["id_token"]).json_body
    assert detail["eligibility_detail"]["overall"] == "needs_check"


@pytest.mark.parametrize(
    ("number", "status"), [("9999", 404), ("1005", 404), ("bad!no", 400), ("x" * 41, 400)]
)
def test_unknown_hidden_or_malformed_policy_numbers(client, catalogue, number, status):
    assert _get(client, f"/api/policies/{number}").status_code == status


def test_eligibility_gives_a_verdict_and_evidence_per_criterion(client, catalogue):
    user = sign_up_and_log_in(client)
    _put(client, "/api/me", {**PROFILE, "birth_date": "1980-01-01"}, user["id_token"])
    body = _get(client, "/api/policies/1001/eligibility", user["id_token"]).json_body
    criteria = {c["criterion"]: c for c in body["criteria"]}
    assert set(criteria) == {
        "age",
        "region",
        "income",
        "job",
        "school",
        "marital",
        "special_conditions",
    }
    assert criteria["age"]["verdict"] == "not_eligible"
    assert criteria["age"]["evidence"]["policy_value"] == "19~39"
    assert body["overall"] == "not_eligible"


def test_eligibility_and_recommendation_reasons_in_the_language_asked(client, catalogue):
    user = sign_up_and_log_in(client)
    _put(client, "/api/me", {**PROFILE, "birth_date": "1980-01-01"}, user["id_token"])
    path = "/api/policies/1001/eligibility"
    english = _get(client, path, user["id_token"]).json_body["criteria"][0]
    korean = _get(client, f"{path}?lang=ko", user["id_token"]).json_body["criteria"][0]
    assert english["reason_code"] == korean["reason_code"] == "age_outside"
    assert english["reason"].startswith("age ") and english["reason"].endswith("outside 19~39")
    assert korean["reason"].endswith("세는 대상 나이(19~39세)를 벗어나요")
    assert korean["verdict"] == english["verdict"] == "not_eligible"
    _put(client, "/api/me", PROFILE, user["id_token"])
    items = _get(client, "/api/policies/recommendations?lang=ko", user["id_token"]).json_body
    assert items["items"] and all(
        not any(r.isascii() for r in item["reasons"]) for item in items["items"]
    )
    bad = _get(client, f"{path}?lang=fr", user["id_token"])
    assert bad.status_code == 400 and bad.json_body["error"]["code"]


def test_eligibility_needs_a_login(client, catalogue):
    assert _get(client, "/api/policies/1001/eligibility").status_code == 401


def test_recommendations_put_eligible_open_policies_first(client, catalogue):
    user = sign_up_and_log_in(client)
    _put(client, "/api/me", PROFILE, user["id_token"])
    items = _get(client, "/api/policies/recommendations", user["id_token"]).json_body["items"]
    numbers = [item["policy"]["plcyNo"] for item in items]
    assert numbers[0] == "1003"  # nationwide, always open, no conditions: eligible
    assert "1002" not in numbers and "1004" not in numbers  # Busan only; closed
    assert all(item["reasons"] for item in items)


# --- bookmarks and checklists ------------------------------------------------------------


def test_bookmark_lifecycle_and_checklist(client, catalogue):
    user = sign_up_and_log_in(client)
    token = user["id_token"]
    created = post_json(client, "/api/user-policies", {"plcyNo": "1001"}, **bearer(token))
    assert created.status_code == 201 and created.json_body["status"] == "saved"
    again = post_json(client, "/api/user-policies", {"plcyNo": "1001"}, **bearer(token))
    assert again.status_code == 409
    assert (
        _patch(client, "/api/user-policies/1001", {"status": "preparing"}, token).json_body[
            "status"
        ]
        == "preparing"
    )
    checklist = _get(client, "/api/user-policies/1001/documents", token).json_body
    assert [i["status"] for i in checklist["items"]] == ["todo", "todo", "todo"]
    first, second = checklist["items"][0]["documentId"], checklist["items"][1]["documentId"]
    _put(client, f"/api/user-policies/1001/documents/{first}", {"status": "ready"}, token)
    after = _put(
        client, f"/api/user-policies/1001/documents/{second}", {"status": "submitted"}, token
    ).json_body
    assert after["completion"] == 67
    listed = _get(client, "/api/user-policies", token).json_body["items"]
    assert [(b["plcyNo"], b["documents_done"], b["documents_total"]) for b in listed] == [
        ("1001", 2, 3)
    ]
    assert client.http.delete("/api/user-policies/1001", headers=bearer(token)).status_code == 204
    assert _get(client, "/api/user-policies", token).json_body["items"] == []


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"plcyNo": "9999"}, 404),
        ({"plcyNo": "1005"}, 404),
        ({"plcyNo": "1001", "status": "won"}, 400),
        ({}, 400),
    ],
)
def test_bad_bookmarks_are_rejected_and_store_nothing(client, catalogue, body, status):
    user = sign_up_and_log_in(client)
    assert (
        post_json(client, "/api/user-policies", body, **bearer(user["id_token"])).status_code
        == status
    )
    assert _get(client, "/api/user-policies", user["id_token"]).json_body["items"] == []


def test_a_document_of_another_policy_or_a_bad_id_is_rejected(client, catalogue):
    user = sign_up_and_log_in(client)
    token = user["id_token"]
    post_json(client, "/api/user-policies", {"plcyNo": "1001"}, **bearer(token))
    post_json(client, "/api/user-policies", {"plcyNo": "1006"}, **bearer(token))
    other = _get(client, "/api/user-policies/1006/documents", token).json_body["items"][0][
        "documentId"
    ]
    assert (
        _put(
            client, f"/api/user-policies/1001/documents/{other}", {"status": "ready"}, token
        ).status_code
        == 404
    )
    assert (
        _put(
            client, "/api/user-policies/1001/documents/abc", {"status": "ready"}, token
        ).status_code
        == 400
    )
    assert _put(
        client, "/api/user-policies/1001/documents/1", {"status": "lost"}, token
    ).status_code in (400, 404)


def test_another_users_bookmarks_and_progress_are_not_found(client, catalogue):
    alice, bob = sign_up_and_log_in(client), sign_up_and_log_in(client)
    post_json(client, "/api/user-policies", {"plcyNo": "1001"}, **bearer(alice["id_token"]))
    doc = _get(client, "/api/user-policies/1001/documents", alice["id_token"]).json_body["items"][
        0
    ]["documentId"]
    token = bob["id_token"]
    assert _get(client, "/api/user-policies", token).json_body["items"] == []
    assert _get(client, "/api/user-policies/1001/documents", token).status_code == 404
    assert (
        _patch(client, "/api/user-policies/1001", {"status": "applied"}, token).status_code == 404
    )
    assert (
        _put(
            client, f"/api/user-policies/1001/documents/{doc}", {"status": "ready"}, token
        ).status_code
        == 404
    )
    assert client.http.delete("/api/user-policies/1001", headers=bearer(token)).status_code == 404
    mine = _get(client, "/api/user-policies", alice["id_token"]).json_body["items"]
    assert [(b["plcyNo"], b["status"], b["documents_done"]) for b in mine] == [("1001", "saved", 0)]


# --- reminders and OpenAPI ---------------------------------------------------------------


def _sent_mail(settings) -> list[dict]:
    """Mail moto's SES accepted: its model data lists every Message (id, subject, body, ...)."""
    url = f"http://127.0.0.1:{settings.aws_port}/moto-api/data.json"
    # moto dumps every backend here (a big desk table takes a while on a loaded box).
    data = json.loads(urllib.request.urlopen(url, timeout=60).read())
    return data.get("ses", {}).get("Message", [])


def test_deadline_reminders_mail_once_per_policy_and_threshold(client, catalogue):
    user = sign_up_and_log_in(client)
    token = user["id_token"]
    post_json(client, "/api/user-policies", {"plcyNo": "1001"}, **bearer(token))  # closes in 3 days
    post_json(
        client, "/api/user-policies", {"plcyNo": "1006", "status": "applied"}, **bearer(token)
    )
    event = client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]
    )
    before = len(_sent_mail(catalogue.settings))
    client.lambda_.invoke("send_deadline_reminders", event)
    client.lambda_.invoke("send_deadline_reminders", event)
    mails = _sent_mail(catalogue.settings)[before:]
    assert len(mails) == 1
    assert mails[0]["destinations"]["ToAddresses"] == [user["email"]]
    assert "서울 청년 월세 지원" in mails[0]["subject"] and "3일 후" in mails[0]["subject"]


def test_openapi_documents_exactly_the_routes_that_exist(client):
    from app import app

    document = _get(client, "/api/openapi.json").json_body
    assert document["openapi"].startswith("3.1")
    documented = {
        (path, method.upper()) for path, ops in document["paths"].items() for method in ops
    }
    routes = {(path, method) for path, methods in app.routes.items() for method in methods}
    assert documented == routes
    schemas = document["components"]["schemas"]
    assert "ProfileUpdate" in schemas and "PolicyListQuery" not in schemas
    params = {p["name"] for p in document["paths"]["/api/policies"]["get"]["parameters"]}
    assert {
        "age",
        "region",
        "category",
        "status",
        "deadline_before",
        "keyword",
        "q",
        "sort",
        "limit",
        "next",
    } <= params
