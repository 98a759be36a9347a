"""Each function's IAM policy grants the calls its code path makes, and nothing else.

The policies come from one table (scripts/iam_policies.py): capabilities (boto3 calls and their
actions) and the groups of functions that reach them. These tests hold the table to the code:
the committed files are the generated ones, every boto3 call in chalicelib is a capability,
every function of app.py has its group's file, and each capability a group is granted is
reachable from its handlers through chalicelib/providers.py (read with ``ast``). The functional
test tests/functional/test_aws_mode.py records the calls the handlers really make.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import sys
from fnmatch import fnmatchcase
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_table() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "iam_policies", ROOT / "scripts" / "iam_policies.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["iam_policies"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


IAM = _load_table()
# The container attribute that builds each capability's client or reads its secret.
BUILT_BY = {
    "CognitoAccounts": "cognito",
    "StaffLogins": "staff_directory",
    "DeskTable": "desk_repository",
    "ConnectionTable": "chat_socket",
    "GoneConnections": "chat_socket",
    "HealthProbes": "health",
    "PolicyFiles": "policy_bucket",
    "Quarantine": "ingestion",
    "AttachmentUploads": "_presign_attachment",
    "AttachmentText": "ocr",
    "Embeddings": "embedder",
    "ChatModel": "chat_model",
    "DraftModel": "drafter",
    "Language": "analyzer",
    "Mail": "mailer",
    "Escalations": "notifier",
    "DeskQueue": "desk_queue",
    "WebSocketFrames": "websocket_sender",
    "ChatDispatch": "chat_socket",
    "SyncContinuation": "_continuation",
    "DatabaseSecret": "database",
    "MilvusTokenSecret": "milvus",
    "CursorSecret": "cursor_key",
    "OntongKeySecret": "policy_sync",
    "TavilyKeySecret": "news_search",
}
# Capabilities a group's code path builds but whose calls its functions never make, and why.
BUILT_NOT_CALLED = {
    "socket": {
        "GoneConnections": "ConnectionTable grants the same DeleteItem",
        "ChatModel": "ChatService is built for the model's id; turns run in chat_worker",
        "Embeddings": "the agent graph is built lazily, by chat_worker's turns",
        "MilvusTokenSecret": "idem (the policy index behind the agent's search)",
        "TavilyKeySecret": "idem (the agent's news search)",
        "CognitoAccounts": "AccountService is built; connect reads the verified token only",
        "DeskTable": "the chat's hand-off to the desk runs in a turn (chat_worker)",
        "DeskQueue": "idem",
        "CursorSecret": "idem (the desk repository's cursor key)",
        "Mail": "idem",
        "Escalations": "idem",
    },
    "chat": {
        "CognitoAccounts": "AccountService is built; a turn reads profiles from PostgreSQL",
        "ChatDispatch": "chat_worker runs the turn it is handed, never dispatches one",
        "ConnectionTable": "the worker only forgets connections that went away",
    },
    "api": {
        "PolicyFiles": "the health probe builds ingestion for its index status only",
        "Quarantine": "idem",
        "DraftModel": "AttachmentService is built to presign uploads; drafts run in the desk",
        "AttachmentText": "idem (OCR runs in on_attachment_uploaded)",
    },
    "desk": {
        "AttachmentUploads": "AttachmentService is built to read attachments; the API presigns",
        "CognitoAccounts": "TenantService is built; only the API creates a tenant's group",
        "Embeddings": "only the offline analyzer and drafter embed (local mode)",
    },
}


def _granted(policy: dict, action: str) -> list[str]:
    resources: list[str] = []
    for statement in policy["Statement"]:
        if action in statement["Action"]:
            found = statement["Resource"]
            resources += [found] if isinstance(found, str) else found
    return resources


def _policy(stage: str, group: str) -> dict:
    return json.loads((ROOT / ".chalice" / IAM.file_name(stage, group)).read_text())


def test_committed_files_are_the_generated_ones() -> None:
    for path, text in IAM.rendered().items():
        assert path.read_text() == text, f"{path.name}: run python scripts/iam_policies.py"


def test_every_capability_call_is_still_in_its_module() -> None:
    for name, capability in IAM.CAPABILITIES.items():
        source = (ROOT / capability.module).read_text()
        for method in capability.calls:
            assert re.search(rf"\.{method}\(|\"{method}\"|\b{method}\b", source), (
                f"{capability.module} no longer calls {method} ({name})"
            )


_CALL = re.compile(
    r"(?:_client|cognito|self\.(?:s3|dynamodb|sqs|cognito)|aws_client\(\"[a-z-]+\"\)\s*)"
    r"\s*\.([a-z][a-z_]+)\("
)
_PAGINATOR = re.compile(r"get_paginator\(\"([a-z_]+)\"\)")


def test_every_boto3_call_in_chalicelib_is_a_capability_or_local_only() -> None:
    modules = [*(ROOT / "chalicelib" / "aws").glob("*.py"),
               *(ROOT / "chalicelib" / "repositories" / "dynamodb").glob("*.py"),
               ROOT / "chalicelib" / "providers.py"]  # fmt: skip
    covered = {(c.module, method) for c in IAM.CAPABILITIES.values() for method in c.calls}
    covered |= {(module, m) for module, methods in IAM.LOCAL_ONLY.items() for m in methods}
    found = set()
    for path in modules:
        module = str(path.relative_to(ROOT))
        source = path.read_text()
        calls = set(_CALL.findall(source)) | set(_PAGINATOR.findall(source))
        found |= {(module, call) for call in calls - {"get_paginator", "paginate"}}
    assert found, "the scan found no calls"
    assert found - covered == set(), "boto3 calls no capability grants"
    assert {
        ("chalicelib/aws/s3.py", "get_object"),
        ("chalicelib/providers.py", "head_bucket"),
    } <= found


def _app_functions() -> dict[str, str]:
    """Deployed function name -> app.py function, from the Chalice app itself."""
    from app import app

    functions = {
        config.name: config.handler_string.split(".", 1)[1]
        for config in [*app.event_sources, *app.pure_lambda_functions]
    }
    # Chalice names the WebSocket functions by their route, not by the Python function.
    for route, name in (("$connect", "websocket_connect"), ("$default", "websocket_message"),
                        ("$disconnect", "websocket_disconnect")):  # fmt: skip
        functions[name] = app.websocket_handlers[route].handler_string.split(".", 1)[1]
    functions["api_handler"] = "<routes>"
    return functions


@pytest.mark.parametrize("stage", IAM.STAGES)
def test_every_function_has_its_groups_file_in_the_config(stage: str) -> None:
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())["stages"][stage]
    assert "iam_policy_file" not in config, "a stage-wide file would hide a function left out"
    grouped = [f for group in IAM.GROUPS.values() for f in group.functions]
    assert sorted(grouped) == sorted(_app_functions())
    for function in grouped:
        settings = config["lambda_functions"][function]
        assert settings["iam_policy_file"] == IAM.file_name(stage, IAM.group_of(function))
    assert config["lambda_functions"]["check_policy_news"] == {
        "lambda_memory_size": 512,
        "lambda_timeout": 300,
        "iam_policy_file": f"policy-{stage}-reminders.json",
    }


# Actions AWS authorizes on no resource narrower than "*".
_RESOURCE_STAR = re.compile(
    r"^(xray|comprehend|textract):|^ec2:.*NetworkInterfaces?$|^ec2:(Describe|Assign|Unassign)"
)


@pytest.mark.parametrize("stage", IAM.STAGES)
@pytest.mark.parametrize("group", list(IAM.GROUPS))
def test_no_wildcard_actions_and_star_resources_only_where_required(stage: str, group: str) -> None:
    for statement in _policy(stage, group)["Statement"]:
        assert statement["Effect"] == "Allow"
        assert all("*" not in action for action in statement["Action"]), statement
        if statement["Resource"] == "*":
            assert all(_RESOURCE_STAR.search(a) for a in statement["Action"]), statement
        text = json.dumps(statement["Resource"])
        other = "prod" if stage == "dev" else "dev"
        assert f"finq-{other}" not in text and f"finq/{other}" not in text


@pytest.mark.parametrize("stage", IAM.STAGES)
@pytest.mark.parametrize("group", list(IAM.GROUPS))
def test_every_function_can_log_trace_and_run_in_the_vpc(stage: str, group: str) -> None:
    policy = _policy(stage, group)
    for action in (*IAM.TRACING, *IAM.NETWORK_INTERFACES):
        assert _granted(policy, action) == ["*"], action
    for function in IAM.GROUPS[group].functions:
        stream = (
            f"arn:aws:logs:eu-west-1:1:log-group:/aws/lambda/finq-{stage}-{function}:log-stream:x"
        )
        for action in ("logs:CreateLogStream", "logs:PutLogEvents"):
            assert any(fnmatchcase(stream, r) for r in _granted(policy, action))


@pytest.mark.parametrize("stage", IAM.STAGES)
def test_every_sqs_triggered_handler_can_read_its_queue_and_no_other(stage, monkeypatch) -> None:
    from chalicelib.import_settings import decorator_settings

    monkeypatch.setenv("FINQ_STAGE", stage)
    queues = decorator_settings()
    tree = ast.parse((ROOT / "app.py").read_text())
    consumed: dict[str, set[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                source = ast.unparse(decorator)
                if match := re.search(
                    r"on_sqs_message\(queue=decorator_settings\(\)\.(\w+)", source
                ):
                    group = IAM.group_of(node.name)
                    consumed.setdefault(group, set()).add(getattr(queues, match.group(1)))
    assert set(consumed) == {"ingest", "desk"}
    for group in IAM.GROUPS:
        granted = {
            frozenset(_granted(_policy(stage, group), action)) for action in IAM.EVENT_SOURCE
        }
        expected = {f"arn:aws:sqs:*:*:{q}" for q in consumed.get(group, ())}
        assert granted == {frozenset(expected)}, group


@pytest.mark.parametrize("stage", IAM.STAGES)
def test_secrets_only_where_read_by_exact_name(stage: str) -> None:
    secrets = {"api": {"db", "milvus-token", "cursor", "tavily-api-key"},
               "socket": {"db"}, "migrate": {"db"}, "desk": {"cursor"},
               "chat": {"db", "milvus-token", "cursor", "tavily-api-key"},
               "ingest": {"db", "milvus-token", "ontong-api-key"},
               "reminders": {"db", "tavily-api-key"}}  # fmt: skip
    for group, names in secrets.items():
        granted = _granted(_policy(stage, group), "secretsmanager:GetSecretValue")
        assert sorted(granted) == sorted(
            f"arn:aws:secretsmanager:*:*:secret:finq/{stage}/{name}-??????" for name in names
        ), group


def _container_graph() -> dict[str, set[str]]:
    """Container attribute -> the ``self.<attr>`` attributes its body reads (providers.py)."""
    tree = ast.parse((ROOT / "chalicelib" / "providers.py").read_text())
    (container,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Container"]
    graph = {}
    for item in container.body:
        if isinstance(item, ast.FunctionDef):
            graph[item.name] = {
                node.attr
                for node in ast.walk(item)
                if isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "self"
            }
    return graph


def _handler_uses() -> dict[str, set[str]]:
    """app.py function -> the container attributes it reads (``_services().x``, ``services.x``)."""
    tree = ast.parse((ROOT / "app.py").read_text())
    uses = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            uses[node.name] = {
                sub.attr
                for sub in ast.walk(node)
                if isinstance(sub, ast.Attribute)
                and (
                    (isinstance(sub.value, ast.Call) and ast.unparse(sub.value.func) == "_services")
                    or (isinstance(sub.value, ast.Name) and sub.value.id == "services")
                )
            }
    return uses


def _reach(start: set[str], graph: dict[str, set[str]]) -> set[str]:
    seen, todo = set(), list(start)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += graph.get(name, set())
    return seen


def test_each_group_reaches_exactly_what_it_is_granted() -> None:
    graph, uses, functions = _container_graph(), _handler_uses(), _app_functions()
    route_views = set(uses) - {functions[f] for f in functions if f != "api_handler"}
    assert set(BUILT_BY) == set(IAM.CAPABILITIES)
    for name, group in IAM.GROUPS.items():
        handlers = set().union(
            *(route_views if f == "api_handler" else {functions[f]} for f in group.functions)
        )
        reached = _reach(set().union(*(uses[h] for h in handlers)), graph)
        for capability in group.capabilities:
            assert BUILT_BY[capability] in reached, f"{name} is granted {capability}, never built"
        unexplained = {
            capability
            for capability, attribute in BUILT_BY.items()
            if attribute in reached and capability not in group.capabilities
        } - set(BUILT_NOT_CALLED.get(name, {}))
        assert unexplained == set(), f"{name} reaches {unexplained} without a grant"
        stale = {c for c in BUILT_NOT_CALLED.get(name, {}) if BUILT_BY[c] not in reached}
        assert stale == set(), f"{name} no longer builds {stale}: drop them from BUILT_NOT_CALLED"
