"""Deploy-time choices reach the stage: CDK context overrides, defaults, unknown stages."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from aws_cdk import App

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "infra"))

from finq_infra.rest_api import cors_headers  # noqa: E402
from finq_infra.stages import stage_from_context  # noqa: E402


def test_defaults_keep_data_and_create_only_the_required_secrets() -> None:
    stage = stage_from_context(App(context={"stage": "prod"}).node)
    assert (stage.name, stage.db_multi_az, stage.keep_data) == ("prod", True, True)
    assert (stage.ontong_secret, stage.tavily_secret, stage.create_ses_identity) == (
        False,
        False,
        True,
    )
    assert stage.cors_origins == ("https://finq.example.com",)
    assert stage.resource("desk") == "finq-prod-desk"
    assert stage.secret("db") == "finq/prod/db"


def test_context_overrides_what_make_deploy_passes() -> None:
    context = {
        "stage": "dev",
        "cors_origins": "https://a.example, https://b.example,",
        "mail_sender": "mail@a.example",
        "keep_data": "0",
        "ontong_secret": "1",
        "create_ses_identity": "0",
        "ops_email": "ops@a.example",
    }
    stage = stage_from_context(App(context=context).node)
    assert stage.cors_origins == ("https://a.example", "https://b.example")
    assert (stage.mail_sender, stage.ops_email) == ("mail@a.example", "ops@a.example")
    assert (stage.keep_data, stage.ontong_secret, stage.create_ses_identity) == (False, True, False)


def test_an_unknown_stage_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown stage 'qa'"):
        stage_from_context(App(context={"stage": "qa"}).node)


def test_gateway_errors_name_the_one_origin_or_any() -> None:
    origin = "gatewayresponse.header.Access-Control-Allow-Origin"
    assert cors_headers(("https://a.example",))[origin] == "'https://a.example'"
    assert cors_headers(("https://a.example", "https://b.example"))[origin] == "'*'"
