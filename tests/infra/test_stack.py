"""The dev stage's synthesized CloudFormation template holds everything FinQ needs in AWS.

The stack is synthesized once per session, in a subprocess (Chalice imports app.py with the
stage's environment, which must not leak into this process), against this repository's app
(``FINQ_APP_DIR`` may point elsewhere); ``chalice package`` builds the ~70 MB function zip, so
expect about a minute. Then CDK's assertions read the template.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from aws_cdk.assertions import Match, Template

ROOT = Path(__file__).resolve().parents[2]
STAGE = "dev"
# Deploy-time helpers CDK writes itself (custom-resource providers): not FinQ's code.
CDK_HELPERS = (
    "BucketNotificationsHandler",
    "AWSCDKTriggerCustomResourceProvider",
    "CustomVpcRestrictDefaultSGCustomResourceProvider",
)


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Synthesize the dev stack once; return the template as a dict."""
    work = tmp_path_factory.mktemp("cdk")
    env = {
        # Only the stage's environment may shape the app at import, not this shell's FINQ_*.
        **{k: v for k, v in os.environ.items() if not k.startswith("FINQ_")},
        "CDK_OUTDIR": str(work / "cdk.out"),
        "CDK_CONTEXT_JSON": json.dumps({"stage": STAGE}),
        "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION": "1",
        "AWS_DEFAULT_REGION": "ap-northeast-2",
        "FINQ_APP_DIR": os.environ.get("FINQ_APP_DIR", str(ROOT)),
    }
    run = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, str(ROOT / "infra" / "app.py")],
        cwd=work,  # chalice.out/ (the package) lands here, not in the repository
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-5000:]
    path = work / "cdk.out" / f"{STAGE}.template.json"
    return {"path": path, "json": json.loads(path.read_text())}


@pytest.fixture(scope="session")
def raw(synthesized: dict[str, Any]) -> dict[str, Any]:
    return synthesized["json"]


@pytest.fixture(scope="session")
def template(raw: dict[str, Any]) -> Template:
    return Template.from_json(raw, skip_cyclical_dependencies_check=True)


def _of_type(raw: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in raw["Resources"].items() if v["Type"] == kind}


def _functions(raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Chalice's functions by deployed name (finq-dev-<handler>)."""
    return {
        f["Properties"]["FunctionName"]: f["Properties"]
        for f in _of_type(raw, "AWS::Serverless::Function").values()
    }


def test_every_resource_kind_is_in_the_template(template: Template) -> None:
    expected = {
        "AWS::DynamoDB::Table": 1,
        "AWS::S3::Bucket": 2,
        "AWS::SQS::Queue": 6,
        "AWS::Cognito::UserPool": 1,
        "AWS::Cognito::UserPoolClient": 1,
        "AWS::Cognito::UserPoolGroup": 1,
        "AWS::SNS::Topic": 1,
        "AWS::SES::EmailIdentity": 1,
        "AWS::EC2::VPC": 1,
        "AWS::EC2::NatGateway": 1,
        "AWS::EC2::VPCEndpoint": 2,
        "AWS::RDS::DBInstance": 1,
        "AWS::SecretsManager::Secret": 3,
        "AWS::Serverless::Api": 1,
        "AWS::ApiGatewayV2::Api": 1,
        "AWS::WAFv2::WebACL": 1,
        "AWS::WAFv2::WebACLAssociation": 1,
        "Custom::Trigger": 1,
    }
    for kind, count in expected.items():
        template.resource_count_is(kind, count)


def test_table_has_keys_indexes_ttl_on_demand_and_recovery(template: Template) -> None:
    template.has_resource_properties(
        "AWS::DynamoDB::Table",
        {
            "TableName": "finq-dev",
            "KeySchema": [
                {"AttributeName": "PK", "KeyType": "HASH"},
                {"AttributeName": "SK", "KeyType": "RANGE"},
            ],
            "BillingMode": "PAY_PER_REQUEST",
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
            "TimeToLiveSpecification": {"AttributeName": "ttl", "Enabled": True},
            "SSESpecification": {"SSEEnabled": True},
            "GlobalSecondaryIndexes": [
                Match.object_like({"IndexName": "GSI1", "Projection": {"ProjectionType": "ALL"}}),
                Match.object_like({"IndexName": "GSI2", "Projection": {"ProjectionType": "ALL"}}),
            ],
        },
    )
    template.has_resource("AWS::DynamoDB::Table", {"DeletionPolicy": "Retain"})


def test_buckets_are_private_versioned_encrypted_and_tls_only(raw: dict[str, Any]) -> None:
    buckets = _of_type(raw, "AWS::S3::Bucket")
    for bucket in buckets.values():
        props = bucket["Properties"]
        assert props["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }
        assert props["VersioningConfiguration"] == {"Status": "Enabled"}
        rule = props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
        assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
        assert bucket["DeletionPolicy"] == "Retain"
    policies = _of_type(raw, "AWS::S3::BucketPolicy").values()
    denied = {
        json.dumps(p["Properties"]["Bucket"])
        for p in policies
        for s in p["Properties"]["PolicyDocument"]["Statement"]
        if s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    }
    assert denied == {json.dumps({"Ref": name}) for name in buckets}


def test_uploads_notify_the_handlers_queues(raw: dict[str, Any]) -> None:
    queues = {q["Properties"]["QueueName"]: k for k, q in _of_type(raw, "AWS::SQS::Queue").items()}
    routes = set()
    for notification in _of_type(raw, "Custom::S3BucketNotifications").values():
        for config in notification["Properties"]["NotificationConfiguration"][
            "QueueConfigurations"
        ]:
            rules = {r["Name"]: r["Value"] for r in config["Filter"]["Key"]["FilterRules"]}
            routes.add((config["QueueArn"]["Fn::GetAtt"][0], rules["prefix"], config["Events"][0]))
    assert routes == {
        (queues["finq-dev-policy-files"], "policies/", "s3:ObjectCreated:*"),
        (queues["finq-dev-attachment-files"], "attachments/", "s3:ObjectCreated:*"),
    }
    # ...and those queues feed the upload handlers.
    functions = _functions(raw)
    for handler, queue in (
        ("on_policy_file_uploaded", "finq-dev-policy-files"),
        ("on_attachment_uploaded", "finq-dev-attachment-files"),
        ("process_inquiry", "finq-dev-desk"),
        ("on_inquiry_dead_letter", "finq-dev-desk-dead-letters"),
    ):
        events = functions[f"finq-dev-{handler}"]["Events"]
        sources = [e["Properties"]["Queue"]["Fn::Sub"] for e in events.values()]
        assert sources == [
            f"arn:${{AWS::Partition}}:sqs:${{AWS::Region}}:${{AWS::AccountId}}:{queue}"
        ]


def test_queues_have_dead_letters_encryption_and_cover_their_consumers(
    raw: dict[str, Any],
) -> None:
    queues = {
        q["Properties"]["QueueName"]: q["Properties"]
        for q in _of_type(raw, "AWS::SQS::Queue").values()
    }
    by_id = {k: q["Properties"]["QueueName"] for k, q in _of_type(raw, "AWS::SQS::Queue").items()}
    for name, props in queues.items():
        assert props["SqsManagedSseEnabled"] is True
        if name.endswith("-dead-letters"):
            continue
        redrive = props["RedrivePolicy"]
        assert by_id[redrive["deadLetterTargetArn"]["Fn::GetAtt"][0]] == f"{name}-dead-letters"
        assert redrive["maxReceiveCount"] == (4 if name == "finq-dev-desk" else 3)
    for function in _functions(raw).values():
        for event in (function.get("Events") or {}).values():
            if event["Type"] == "SQS":
                queue = event["Properties"]["Queue"]["Fn::Sub"].rsplit(":", 1)[1]
                assert queues[queue]["VisibilityTimeout"] >= function["Timeout"]


def test_database_is_private_encrypted_backed_up_and_tls_only(raw: dict[str, Any]) -> None:
    (database,) = _of_type(raw, "AWS::RDS::DBInstance").values()
    props = database["Properties"]
    assert props["Engine"] == "postgres"
    assert props["StorageEncrypted"] is True
    assert props["BackupRetentionPeriod"] == 7
    assert props["PubliclyAccessible"] is False
    assert props["DeletionProtection"] is True
    assert database["DeletionPolicy"] == "Snapshot"
    (secret,) = [
        s
        for s in _of_type(raw, "AWS::SecretsManager::Secret").values()
        if s["Properties"]["Name"] == "finq/dev/db"
    ]
    assert secret["DeletionPolicy"] == "Retain"  # the snapshot's password
    generated = secret["Properties"]["GenerateSecretString"]
    assert json.loads(generated["SecretStringTemplate"]) == {"username": "finq", "dbname": "finq"}
    (attachment,) = _of_type(raw, "AWS::SecretsManager::SecretTargetAttachment").values()
    assert attachment["Properties"]["TargetType"] == "AWS::RDS::DBInstance"  # adds host, port
    assert "MasterUserPassword" in props and "Fn::Join" in props["MasterUserPassword"]
    (group,) = _of_type(raw, "AWS::RDS::DBSubnetGroup").values()
    subnets = [s["Ref"] for s in group["Properties"]["SubnetIds"]]
    assert subnets and all("database" in s for s in subnets)
    (parameters,) = _of_type(raw, "AWS::RDS::DBParameterGroup").values()
    assert parameters["Properties"]["Parameters"] == {"rds.force_ssl": "1"}
    ingress = list(_of_type(raw, "AWS::EC2::SecurityGroupIngress").values())
    assert [(i["Properties"]["FromPort"], i["Properties"]["ToPort"]) for i in ingress] == [
        (5432, 5432)
    ]


def test_lambdas_run_in_private_subnets_with_gateway_endpoints(raw: dict[str, Any]) -> None:
    for name, function in _functions(raw).items():
        subnets = [s["Ref"] for s in function["VpcConfig"]["SubnetIds"]]
        assert len(subnets) == 2 and all("lambdas" in s for s in subnets), name
        assert function["VpcConfig"]["SecurityGroupIds"]
    endpoints = _of_type(raw, "AWS::EC2::VPCEndpoint").values()
    services = {json.dumps(e["Properties"]["ServiceName"]) for e in endpoints}
    assert any("s3" in s for s in services) and any("dynamodb" in s for s in services)
    assert all(e["Properties"]["VpcEndpointType"] == "Gateway" for e in endpoints)


def test_function_memory_and_timeouts_follow_the_seed(raw: dict[str, Any]) -> None:
    settings = {
        name.removeprefix("finq-dev-"): (f["MemorySize"], f["Timeout"])
        for name, f in _functions(raw).items()
    }
    assert settings["chat_worker"] == (3008, 900)
    for etl in ("on_policy_file_uploaded", "run_nightly_sync", "continue_policy_sync"):
        assert settings[etl] == (1536, 900)
    assert settings["api_handler"] == (1024, 30)
    for socket in ("websocket_connect", "websocket_message", "websocket_disconnect"):
        assert settings[socket][0] <= 512 and settings[socket][1] <= 29
    assert "run_migrations" in settings


def test_every_function_is_traced_and_logs_json_for_30_days(raw: dict[str, Any]) -> None:
    groups = _of_type(raw, "AWS::Logs::LogGroup")
    assert groups and all(g["Properties"]["RetentionInDays"] == 30 for g in groups.values())
    for name, function in _functions(raw).items():
        assert function["Tracing"] == "Active", name
        logging = function["LoggingConfig"]
        assert logging["LogFormat"] == "JSON"
        assert logging["LogGroup"]["Ref"] in groups
        assert groups[logging["LogGroup"]["Ref"]]["Properties"]["LogGroupName"] == (
            f"/aws/lambda/{name}"
        )
    (api,) = _of_type(raw, "AWS::Serverless::Api").values()
    assert api["Properties"]["TracingEnabled"] is True
    untraced = [
        logical_id
        for logical_id, f in _of_type(raw, "AWS::Lambda::Function").items()
        if f["Properties"].get("TracingConfig") != {"Mode": "Active"}
    ]
    assert untraced and all(u.startswith(CDK_HELPERS) for u in untraced), untraced


def _plain_arn(resource: Any, buckets: dict[str, str]) -> str:
    """A role's resource as the policy file writes it (deployed bucket refs -> local names)."""
    if isinstance(resource, str):
        return resource
    if "Fn::GetAtt" in resource:  # the stack's own user pool, bound to the file's pattern
        pool, attribute = resource["Fn::GetAtt"]
        assert pool.startswith("IdentityUserPool") and attribute == "Arn", resource
        return "arn:aws:cognito-idp:*:*:userpool/*"
    separator, parts = resource["Fn::Join"]
    # This stack's WebSocket API (any stage) stands where the file's pattern has wildcards.
    names = {"AWS::Partition": "aws", "AWS::Region": "*", "AWS::AccountId": "*",
             "WebsocketAPI": "*", **buckets}  # fmt: skip
    return separator.join(p if isinstance(p, str) else names[p["Ref"]] for p in parts)


def test_each_functions_role_holds_its_groups_policy_file_and_nothing_more(
    raw: dict[str, Any],
) -> None:
    iam = _iam_table()
    resources = raw["Resources"]
    buckets = {
        next(k for k in _of_type(raw, "AWS::S3::Bucket") if k.startswith(prefix)): local
        for prefix, local in (("DataPolicyBucket", "finq-dev-policies"),
                              ("DataAttachmentBucket", "finq-dev-attachments"))
    }  # fmt: skip
    roles = set()
    for name, function in _functions(raw).items():
        handler = name.removeprefix("finq-dev-")
        role_id = function["Role"]["Fn::GetAtt"][0]
        roles.add(role_id)
        role = resources[role_id]["Properties"]
        assert "ManagedPolicyArns" not in role, name  # the file grants logs, X-Ray and the VPC
        (policy,) = role["Policies"]
        statements = [
            {**s, "Resource": [_plain_arn(r, buckets) for r in _as_list(s["Resource"])]}
            for s in policy["PolicyDocument"]["Statement"]
        ]
        expected = iam.policy("dev", iam.group_of(handler))["Statement"]
        assert statements == [{**s, "Resource": _as_list(s["Resource"])} for s in expected], name
        text = json.dumps(policy)
        assert "arn:aws:s3:::finq-dev-" not in text, name  # the deployed bucket names instead
        assert "userpool/*" not in text and ":*/*/" not in text, name  # this stack's pool, API
    assert len(roles) == len(_functions(raw)), "one role per function"


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _iam_table() -> Any:
    spec = importlib.util.spec_from_file_location(
        "iam_policies", ROOT / "scripts" / "iam_policies.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["iam_policies"] = module
    spec.loader.exec_module(module)
    return module


def test_functions_get_every_resource_by_name_and_secrets_by_arn(raw: dict[str, Any]) -> None:
    secrets = set(_of_type(raw, "AWS::SecretsManager::Secret"))
    attachments = set(_of_type(raw, "AWS::SecretsManager::SecretTargetAttachment"))
    for name, function in _functions(raw).items():
        env = function["Environment"]["Variables"]
        assert env["FINQ_MODE"] == "aws" and env["FINQ_STAGE"] == "dev"
        assert env["FINQ_TABLE_NAME"] == {"Ref": next(iter(_of_type(raw, "AWS::DynamoDB::Table")))}
        assert env["FINQ_MILVUS_URI"] == {"Ref": "MilvusUri"}
        assert env["FINQ_DESK_QUEUE_NAME"] == "finq-dev-desk"
        assert env["FINQ_POLICY_EVENTS_QUEUE_NAME"] == "finq-dev-policy-files"
        assert env["FINQ_ATTACHMENT_EVENTS_QUEUE_NAME"] == "finq-dev-attachment-files"
        assert env["FINQ_CONTINUATION_FUNCTION"] == "finq-dev-continue_policy_sync"
        assert (env["FINQ_DESK_MAX_RECEIVES"], env["FINQ_FILE_EVENT_MAX_RECEIVES"]) == ("4", "3")
        for key in (
            "FINQ_POLICY_BUCKET",
            "FINQ_ATTACHMENT_BUCKET",
            "FINQ_COGNITO_USER_POOL_ID",
            "FINQ_COGNITO_CLIENT_ID",
            "FINQ_REGION",
        ):
            assert "Ref" in env[key], (name, key)
        for key in ("FINQ_DB_SECRET_ARN", "FINQ_MILVUS_TOKEN_SECRET_ARN", "FINQ_CURSOR_SECRET_ARN"):
            assert env[key]["Ref"] in secrets | attachments, (name, key)


def test_no_secret_value_is_in_the_template(raw: dict[str, Any]) -> None:
    for secret in _of_type(raw, "AWS::SecretsManager::Secret").values():
        assert "SecretString" not in secret["Properties"]
        assert "GenerateSecretString" in secret["Properties"]
    for name, function in _functions(raw).items():
        for key, value in function["Environment"]["Variables"].items():
            if any(word in key for word in ("SECRET", "TOKEN", "PASSWORD", "API_KEY")):
                assert key.endswith("_ARN") and isinstance(value, dict), (name, key)
    (database,) = _of_type(raw, "AWS::RDS::DBInstance").values()
    assert "resolve:secretsmanager" in json.dumps(database["Properties"]["MasterUserPassword"])


def test_gateway_responses_answer_in_finq_error_shape_with_cors(raw: dict[str, Any]) -> None:
    (api,) = _of_type(raw, "AWS::Serverless::Api").values()
    responses = api["Properties"]["DefinitionBody"]["x-amazon-apigateway-gateway-responses"]
    for kind, status, code in (
        ("MISSING_AUTHENTICATION_TOKEN", "404", "not_found"),
        ("UNAUTHORIZED", "401", "unauthorized"),
        ("ACCESS_DENIED", "403", "forbidden"),
        ("WAF_FILTERED", "403", "forbidden"),
        ("THROTTLED", "429", "rate_limited"),
    ):
        response = responses[kind]
        assert response["statusCode"] == status
        body = json.loads(response["responseTemplates"]["application/json"])
        assert body["error"]["code"] == code and body["error"]["message"]
        assert response["responseParameters"]["gatewayresponse.header.Access-Control-Allow-Origin"]
    for kind in ("DEFAULT_4XX", "DEFAULT_5XX"):
        assert '"error"' in responses[kind]["responseTemplates"]["application/json"]
        assert "statusCode" not in responses[kind]


def test_login_routes_use_the_stacks_user_pool(raw: dict[str, Any]) -> None:
    (api,) = _of_type(raw, "AWS::Serverless::Api").values()
    body = api["Properties"]["DefinitionBody"]
    authorizer = body["securityDefinitions"]["finq-users"]["x-amazon-apigateway-authorizer"]
    (pool,) = _of_type(raw, "AWS::Cognito::UserPool")
    assert authorizer["providerARNs"] == [{"Fn::GetAtt": [pool, "Arn"]}]
    assert body["paths"]["/api/me"]["get"]["security"] == [{"finq-users": []}]
    assert "security" not in body["paths"]["/api/health"]["get"]
    assert "security" not in body["paths"]["/api/policies"]["get"]


def test_waf_guards_the_rest_api_stage(raw: dict[str, Any], template: Template) -> None:
    ((acl_id, acl),) = _of_type(raw, "AWS::WAFv2::WebACL").items()
    rules = {r["Name"]: r for r in acl["Properties"]["Rules"]}
    assert rules["RatePerIp"]["Statement"]["RateBasedStatement"]["AggregateKeyType"] == "IP"
    assert "Block" in rules["RatePerIp"]["Action"]
    for group in (
        "AWSManagedRulesSQLiRuleSet",
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
    ):
        statement = rules[group]["Statement"]["ManagedRuleGroupStatement"]
        assert statement["VendorName"] == "AWS" and statement["Name"] == group
    assert acl["Properties"]["Scope"] == "REGIONAL"
    template.has_resource(
        "AWS::WAFv2::WebACLAssociation",
        {
            "Properties": {
                "WebACLArn": {"Fn::GetAtt": [acl_id, "Arn"]},
                "ResourceArn": {
                    "Fn::Sub": Match.string_like_regexp(r"/restapis/\$\{RestAPI\}/stages/api$")
                },
            },
            "DependsOn": ["RestAPIapiStage"],
        },
    )


def test_alarms_notify_the_ops_topic(raw: dict[str, Any]) -> None:
    (topic,) = _of_type(raw, "AWS::SNS::Topic")
    alarms = {
        a["Properties"]["AlarmName"]: a["Properties"]
        for a in _of_type(raw, "AWS::CloudWatch::Alarm").values()
    }
    assert all(a["AlarmActions"] == [{"Ref": topic}] for a in alarms.values())
    errors = alarms["finq-dev-api-5xx-rate"]
    assert (errors["MetricName"], errors["Statistic"], errors["Threshold"]) == (
        "5XXError",
        "Average",
        0.05,
    )
    assert {"Name": "ApiName", "Value": "finq-dev"} in errors["Dimensions"]
    (api,) = _of_type(raw, "AWS::Serverless::Api").values()
    assert (
        api["Properties"]["Name"]
        == api["Properties"]["DefinitionBody"]["info"]["title"]
        == "finq-dev"
    )
    duration = alarms["finq-dev-api_handler-duration"]
    assert (duration["MetricName"], duration["Threshold"]) == ("Duration", 10_000)
    assert "ReadThrottleEvents" in json.dumps(alarms["finq-dev-dynamodb-throttles"]["Metrics"])
    dead_letters = [a for n, a in alarms.items() if n.startswith("finq-dev-dead-letters")]
    assert len(dead_letters) == 3
    assert all(a["MetricName"] == "ApproximateNumberOfMessagesVisible" for a in dead_letters)
    spend = alarms["finq-dev-bedrock-spend"]
    assert spend["Threshold"] == {"Ref": "BedrockDailyBudgetUsd"}
    assert all(m.get("MetricStat", {}).get("Period", 86400) == 86400 for m in spend["Metrics"])
    assert "InputTokenCount" in json.dumps(spend["Metrics"])


def test_alarms_may_publish_to_the_ops_topic(raw: dict[str, Any]) -> None:
    (policy,) = _of_type(raw, "AWS::SNS::TopicPolicy").values()
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    allow = [s for s in statements if s["Effect"] == "Allow"]
    assert [s["Principal"] for s in allow] == [{"Service": "cloudwatch.amazonaws.com"}]
    assert any(s["Effect"] == "Deny" and "aws:SecureTransport" in json.dumps(s) for s in statements)


def test_migrations_run_on_deploy(raw: dict[str, Any]) -> None:
    (trigger,) = _of_type(raw, "Custom::Trigger").values()
    invokers = {
        k: f
        for k, f in _of_type(raw, "AWS::Lambda::Function").items()
        if k.startswith("MigrationsInvoker")
    }
    (invoker,) = invokers.values()
    assert "MigrationsInvoker" in json.dumps(trigger["Properties"]["HandlerArn"])
    env = invoker["Properties"]["Environment"]["Variables"]
    assert env["MIGRATION_FUNCTION"] == "finq-dev-run_migrations"
    assert env["CODE_VERSION"] and env["DATABASE_ID"]
    assert any(d.startswith("NetworkDatabase") for d in trigger["DependsOn"])
    assert any("DefaultRoute" in d for d in trigger["DependsOn"])  # the NAT route


def test_outputs_name_the_clients_entry_points(template: Template) -> None:
    for output in ("RestApiUrl", "WebSocketUrl", "UserPoolId", "UserPoolClientId"):
        template.has_output(output, {})


def test_template_passes_cfn_lint(synthesized: dict[str, Any]) -> None:
    lint = subprocess.run(  # noqa: S603 - fixed argv
        [
            str(Path(sys.executable).with_name("cfn-lint")),
            "--ignore-checks",
            "W3005",
            "--",
            str(synthesized["path"]),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert lint.returncode == 0, lint.stdout[-4000:]
