"""AWS adapters that cannot run here (Comprehend, Textract, Bedrock embeddings and drafts),
tested with botocore Stubbers or the local Converse endpoint asserting the exact requests."""

from __future__ import annotations

import io
import json

import boto3
import pytest
from botocore.response import StreamingBody
from botocore.stub import Stubber

from chalicelib.aws.bedrock import TitanEmbedder
from chalicelib.aws.bedrock_chat import BedrockDrafter
from chalicelib.aws.comprehend import ComprehendAnalyzer
from chalicelib.aws.textract import TextractOcr
from chalicelib.errors import UpstreamUnavailable
from tests.fake_bedrock import FakeBedrock

REGION = "ap-northeast-2"


def test_comprehend_detects_language_then_sentiment():
    client = boto3.client("comprehend", region_name=REGION)
    stubber = Stubber(client)
    text = "결제가 두 번 됐어요. 환불해 주세요."
    stubber.add_response(
        "detect_dominant_language",
        {"Languages": [{"LanguageCode": "ko", "Score": 0.99}]},
        {"Text": text},
    )
    stubber.add_response(
        "detect_sentiment",
        {
            "Sentiment": "NEGATIVE",
            "SentimentScore": {"Positive": 0.01, "Negative": 0.9, "Neutral": 0.08, "Mixed": 0.01},
        },
        {"Text": text, "LanguageCode": "ko"},
    )
    with stubber:
        result = ComprehendAnalyzer(client).analyze(text)
    stubber.assert_no_pending_responses()
    assert (
        result["language"] == "ko"
        and result["sentiment"] == "NEGATIVE"
        and result["scores"]["NEGATIVE"] == 0.9
    )


def test_comprehend_failure_is_upstream_unavailable():
    client = boto3.client("comprehend", region_name=REGION)
    stubber = Stubber(client)
    stubber.add_client_error(
        "detect_dominant_language",
        service_error_code="ThrottlingException",
        expected_params={"Text": "hi"},
    )
    with stubber, pytest.raises(UpstreamUnavailable):
        ComprehendAnalyzer(client).analyze("hi")
    stubber.assert_no_pending_responses()


def test_textract_reads_lines_from_the_s3_object():
    client = boto3.client("textract", region_name=REGION)
    stubber = Stubber(client)
    stubber.add_response(
        "detect_document_text",
        {
            "Blocks": [
                {"BlockType": "PAGE"},
                {"BlockType": "LINE", "Text": "주문번호 48213"},
                {"BlockType": "WORD", "Text": "48213"},
                {"BlockType": "LINE", "Text": "Charged twice"},
            ]
        },
        {
            "Document": {
                "S3Object": {"Bucket": "finq-dev-attachments", "Name": "attachments/t/i/a.png"}
            }
        },
    )
    with stubber:
        text = TextractOcr(client).extract_text("finq-dev-attachments", "attachments/t/i/a.png")
    stubber.assert_no_pending_responses()
    assert text == "주문번호 48213\nCharged twice"


def _embedding_response(values: list[float]) -> dict:
    body = json.dumps({"embedding": values, "inputTextTokenCount": 3}).encode()
    return {"body": StreamingBody(io.BytesIO(body), len(body)), "contentType": "application/json"}


def test_titan_embeddings_request_and_retry_on_throttling():
    client = boto3.client("bedrock-runtime", region_name=REGION)
    stubber = Stubber(client)
    expected = {
        "modelId": "amazon.titan-embed-text-v2:0",
        "body": json.dumps({"inputText": "청년 월세", "dimensions": 1024, "normalize": True}),
        "contentType": "application/json",
        "accept": "application/json",
    }
    stubber.add_client_error(
        "invoke_model", service_error_code="ThrottlingException", expected_params=expected
    )
    stubber.add_response("invoke_model", _embedding_response([0.1] * 1024), expected)
    sleeps: list[float] = []
    with stubber:
        vector = TitanEmbedder(client, sleep=sleeps.append).embed_query("청년 월세")
    stubber.assert_no_pending_responses()
    assert len(vector) == 1024 and len(sleeps) == 1


def test_titan_gives_up_on_a_non_retryable_error():
    client = boto3.client("bedrock-runtime", region_name=REGION)
    stubber = Stubber(client)
    stubber.add_client_error("invoke_model", service_error_code="AccessDeniedException")
    with stubber, pytest.raises(UpstreamUnavailable, match="AccessDeniedException"):
        TitanEmbedder(client, sleep=lambda s: None).embed_query("x")


def test_bedrock_drafter_sends_faq_and_inquiry_as_data():
    fake = FakeBedrock().start()
    try:
        fake.reply_tool(
            "Draft",
            {
                "answer": "비밀번호 찾기를 이용하세요.",
                "answers_question": True,
                "entry_index": 0,
                "confidence": 0.92,
            },
        )
        client = boto3.client("bedrock-runtime", region_name=REGION, endpoint_url=fake.url)
        drafter = BedrockDrafter(client, model_id="anthropic.claude-3-5-sonnet-20240620-v1:0")
        tenant = {
            "domain_context": "쇼핑몰",
            "faq": [{"id": "1", "question": "비밀번호?", "answer": "비밀번호 찾기"}],
        }
        draft = drafter.draft({"title": "비번", "content": "비밀번호를 잊었어요"}, tenant)
    finally:
        fake.stop()
    assert draft == {
        "answer": "비밀번호 찾기를 이용하세요.",
        "confidence": 0.92,
        "source": "1",
        "usage": {"input_tokens": 50, "output_tokens": 20},
        "answers_question": True,
        "entry_index": 0,
    }
    [request] = fake.requests
    body = request["body"]
    assert request["operation"] == "converse" and body["inferenceConfig"]["temperature"] == 0.2
    assert body["system"][0]["text"].startswith(
        "You draft answers for a company's customer-support desk."
    )
    assert body["messages"][0]["content"][0]["text"] == (
        '<context>쇼핑몰</context>\n<faq>[{"index": 0, "question": "비밀번호?", "answer": "비밀번호 찾기"}]'
        "</faq>\n"
        "<inquiry><title>비번</title><content>비밀번호를 잊었어요</content></inquiry>"
    )
