"""The Bedrock chat path: the exact Converse requests of each agent, including streaming.

Bedrock cannot run here, so a local Converse endpoint (tests/fake_bedrock.py) answers, and the
tests assert every request FinQ sent to it.
"""

from __future__ import annotations

import boto3
import pytest

from chalicelib.aws.bedrock_chat import BedrockChatModel
from tests.fake_bedrock import FakeBedrock

SONNET = "anthropic.claude-3-5-sonnet-20240620-v1:0"
HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"


@pytest.fixture
def bedrock():
    fake = FakeBedrock().start()
    client = boto3.client("bedrock-runtime", region_name="ap-northeast-2", endpoint_url=fake.url)
    yield fake, BedrockChatModel(client, model_id=SONNET, supervisor_model_id=HAIKU)
    fake.stop()


def test_supervisor_sends_a_low_temperature_structured_request(bedrock):
    fake, model = bedrock
    fake.reply_tool(
        "Understanding",
        {
            "intent": "policy_question",
            "language": "ko",
            "age": 25,
            "region": "서울 강남구",
            "interests": ["주거"],
        },
    )
    usage: dict[str, int] = {}
    result = model.understand("25살 강남구 사는데 월세 지원 받을 수 있어?", False, usage)
    assert result == {
        "intent": "policy_question",
        "language": "ko",
        "slots": {"age": 25, "region": "11680", "interests": ["주거"]},
    }
    assert usage == {"input_tokens": 50, "output_tokens": 20}
    [request] = fake.requests
    assert (request["operation"], request["modelId"]) == ("converse", HAIKU)
    body = request["body"]
    assert body["inferenceConfig"]["temperature"] == 0.1
    assert body["system"][0]["text"].startswith("You are the router of FinQ")
    assert body["messages"] == [
        {
            "role": "user",
            "content": [
                {
                    "text": "No policies retrieved yet.\n<message>25살 강남구 사는데 월세 지원 받을 수 있어?</message>"
                }
            ],
        }
    ]
    assert [tool["toolSpec"]["name"] for tool in body["toolConfig"]["tools"]] == ["Understanding"]


def test_search_agent_asks_for_a_region_only_when_unknown(bedrock):
    fake, model = bedrock
    fake.reply_tool("SearchPlan", {"query": "청년 월세 지원", "clarify": "어느 지역에 사세요?"})
    fake.reply_tool("SearchPlan", {"query": "청년 월세 지원", "clarify": "어느 지역에 사세요?"})
    assert model.plan_search("월세 지원 있어?", {}, {}) == {
        "query": "청년 월세 지원",
        "clarify": "어느 지역에 사세요?",
    }
    assert model.plan_search("월세 지원 있어?", {"region_code": "11"}, {}) == {
        "query": "청년 월세 지원",
        "clarify": None,
    }
    assert [r["body"]["inferenceConfig"]["temperature"] for r in fake.requests] == [0.3, 0.3]
    assert (
        fake.requests[0]["body"]["messages"][0]["content"][0]["text"]
        == "Region: unknown.\n<message>월세 지원 있어?</message>"
    )


def test_responder_streams_from_converse_stream_with_policies_as_data(bedrock):
    fake, model = bedrock
    fake.reply_stream(["서울 청년 월세 지원 [3001]", "을 추천해요."])
    usage: dict[str, int] = {}
    policy = {
        "plcyNo": "3001",
        "name": "서울 청년 월세 지원",
        "verdict": {"overall": "needs_check"},
        "documents": ["신청서"],
    }
    pieces = list(
        model.stream_answer(
            {
                "intent": "policy_question",
                "language": "ko",
                "message": "월세 지원",
                "policies": [policy],
            },
            usage,
        )
    )
    assert "".join(pieces) == "서울 청년 월세 지원 [3001]을 추천해요."
    assert usage == {"input_tokens": 300, "output_tokens": 80}
    [request] = fake.requests
    assert (request["operation"], request["modelId"]) == ("converse-stream", SONNET)
    body = request["body"]
    assert body["inferenceConfig"]["temperature"] == 0.7
    assert "Write in Korean" in body["system"][0]["text"]
    text = body["messages"][0]["content"][0]["text"]
    assert text.startswith('Intent: policy_question\n<policies>[{"plcyNo": "3001"')
    assert text.endswith("<message>월세 지원</message>")


DESK_FAQ = [
    {"id": "f1", "question": "환불은 언제 되나요?", "answer": "검수 후 3영업일 안에 환불됩니다."},
    {"id": "f2", "question": "배송은 얼마나 걸리나요?", "answer": "1~3영업일 걸립니다."},
]


@pytest.fixture
def drafter():
    from chalicelib.aws.bedrock_chat import BedrockDrafter

    fake = FakeBedrock().start()
    client = boto3.client("bedrock-runtime", region_name="ap-northeast-2", endpoint_url=fake.url)
    yield fake, BedrockDrafter(client, model_id=SONNET)
    fake.stop()


def test_drafter_asks_for_a_structured_judgement_with_indexed_faq_entries(drafter):
    fake, model = drafter
    fake.reply_tool(
        "Draft",
        {"answer": "검수 후 3영업일 안에 환불됩니다.", "answers_question": True,
         "entry_index": 0, "confidence": 0.88},
        tokens=(120, 30),
    )  # fmt: skip
    draft = model.draft(
        {"title": "환불", "content": "환불은 보통 언제 들어오나요?"},
        {"faq": DESK_FAQ, "domain_context": "쇼핑몰"},
    )
    assert draft == {
        "answer": "검수 후 3영업일 안에 환불됩니다.",
        "confidence": 0.88,
        "source": "f1",
        "usage": {"input_tokens": 120, "output_tokens": 30},
        "answers_question": True,
        "entry_index": 0,
    }
    [request] = fake.requests
    assert (request["operation"], request["modelId"]) == ("converse", SONNET)
    body = request["body"]
    assert body["inferenceConfig"]["temperature"] == 0.2
    assert "answers_question" in body["system"][0]["text"]
    assert body["messages"] == [
        {
            "role": "user",
            "content": [
                {
                    "text": "<context>쇼핑몰</context>\n<faq>"
                    '[{"index": 0, "question": "환불은 언제 되나요?", "answer": "검수 후 3영업일 안에 환불됩니다."}, '
                    '{"index": 1, "question": "배송은 얼마나 걸리나요?", "answer": "1~3영업일 걸립니다."}]'
                    "</faq>\n<inquiry><title>환불</title><content>환불은 보통 언제 들어오나요?</content></inquiry>"
                }
            ],
        }
    ]
    [tool] = body["toolConfig"]["tools"]
    assert tool["toolSpec"]["name"] == "Draft"
    assert set(tool["toolSpec"]["inputSchema"]["json"]["required"]) >= {
        "answer", "answers_question", "confidence"
    }  # fmt: skip


@pytest.mark.parametrize(
    "judgement",
    [
        {"answers_question": False, "entry_index": None, "confidence": 0.9},
        {"answers_question": True, "entry_index": 7, "confidence": 0.9},  # no such entry
    ],
)
def test_drafter_without_a_real_entry_is_not_an_answer(drafter, judgement):
    fake, model = drafter
    fake.reply_tool("Draft", {"answer": "확인 후 연락드리겠습니다.", **judgement})
    draft = model.draft({"title": "해외", "content": "해외 배송 되나요?"}, {"faq": DESK_FAQ})
    assert draft["answers_question"] is False and draft["entry_index"] is None
    assert draft["confidence"] <= 0.3 and draft["source"] is None
