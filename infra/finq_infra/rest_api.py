"""What guards and shapes the REST API: gateway responses, the Cognito authorizer, WAF.

API Gateway answers some requests itself (no route, a missing or refused token, throttling,
WAF); its default bodies are ``{"message": ...}``. The swagger Chalice generates gets
``x-amazon-apigateway-gateway-responses`` in FinQ's error shape (``{"error": {"code",
"message"}}``) with CORS headers, so a browser can read them. The ``finq-users`` authorizer
Chalice writes for login-required routes gets the stack's user pool ARN. A regional WAF web ACL
(a per-IP rate rule and AWS's managed SQL injection, common (XSS) and known-bad-inputs rules)
guards the API's stage.
"""

from __future__ import annotations

import json
from typing import Any

from aws_cdk import Acknowledgment, CfnResource, Fn, Validations
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from finq_infra.chalice_app import ChaliceApp

AUTHORIZER = "finq-users"
API_STAGE = "api"
# API Gateway's own responses -> (status, FinQ error code, message). The defaults keep the
# status API Gateway chose and carry its message (a JSON string, hence messageString).
GATEWAY_RESPONSES: dict[str, tuple[int | None, str, str | None]] = {
    "MISSING_AUTHENTICATION_TOKEN": (404, "not_found", "no such route"),
    "RESOURCE_NOT_FOUND": (404, "not_found", "no such route"),
    "UNAUTHORIZED": (401, "unauthorized", "a valid bearer token is required"),
    "ACCESS_DENIED": (403, "forbidden", "access denied"),
    "EXPIRED_TOKEN": (401, "unauthorized", "the token has expired"),
    "INVALID_SIGNATURE": (401, "unauthorized", "the token is not valid"),
    "WAF_FILTERED": (403, "forbidden", "the request was blocked by the web firewall"),
    "THROTTLED": (429, "rate_limited", "too many requests; retry later"),
    "REQUEST_TOO_LARGE": (413, "payload_too_large", "the request is too large"),
    "DEFAULT_4XX": (None, "invalid_input", None),
    "DEFAULT_5XX": (None, "upstream_unavailable", None),
}


def cors_headers(origins: tuple[str, ...]) -> dict[str, str]:
    """CORS headers of API Gateway's own responses: the stage's one origin, or any origin.

    A gateway response cannot echo one of several origins; these bodies carry no data and FinQ
    takes bearer tokens, never cookies, so with several origins any origin may read them.
    """
    origin = origins[0] if len(origins) == 1 else "*"
    return {
        "gatewayresponse.header.Access-Control-Allow-Origin": f"'{origin}'",
        "gatewayresponse.header.Access-Control-Allow-Headers": (
            "'Authorization,Content-Type,Idempotency-Key,X-Api-Key'"
        ),
        "gatewayresponse.header.Access-Control-Allow-Methods": (
            "'GET,POST,PUT,PATCH,DELETE,OPTIONS'"
        ),
    }


def gateway_responses(origins: tuple[str, ...]) -> dict[str, Any]:
    """Return the swagger extension that gives API Gateway's own errors FinQ's shape."""
    responses: dict[str, Any] = {}
    for kind, (status, code, message) in GATEWAY_RESPONSES.items():
        text = (
            json.dumps({"error": {"code": code, "message": message}})
            if message is not None
            # API Gateway's variable, not JSON: it expands to a quoted, escaped string.
            else '{"error": {"code": "' + code + '", "message": $context.error.messageString}}'
        )
        response: dict[str, Any] = {
            "responseParameters": cors_headers(origins),
            "responseTemplates": {"application/json": text},
        }
        if status is not None:
            response["statusCode"] = str(status)
        responses[kind] = response
    return responses


def configure_rest_api(
    app: ChaliceApp, stage_name: str, user_pool_arn: str, origins: tuple[str, ...]
) -> None:
    """Name, trace, throttle and shape the REST API; point its authorizer at the pool."""
    api = app.chalice.get_resource("RestAPI")
    # The API's name is the ApiName dimension of its metrics (and the 5xx alarm): per stage.
    api.add_property_override("Name", f"finq-{stage_name}")
    api.add_property_override("DefinitionBody.info.title", f"finq-{stage_name}")
    api.add_property_override("TracingEnabled", True)
    api.add_property_override(
        "MethodSettings",
        [
            {
                "ResourcePath": "/*",
                "HttpMethod": "*",
                "MetricsEnabled": True,
                "ThrottlingBurstLimit": 200,
                "ThrottlingRateLimit": 100,
            }
        ],
    )
    api.add_property_override(
        "DefinitionBody.x-amazon-apigateway-gateway-responses", gateway_responses(origins)
    )
    body = app.template["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]
    if AUTHORIZER in body.get("securityDefinitions", {}):
        api.add_property_override(
            f"DefinitionBody.securityDefinitions.{AUTHORIZER}"
            ".x-amazon-apigateway-authorizer.providerARNs",
            [user_pool_arn],
        )


def _managed_rule(name: str, priority: int, excluded: tuple[str, ...] = ()) -> Any:
    return wafv2.CfnWebACL.RuleProperty(
        name=name,
        priority=priority,
        override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
        statement=wafv2.CfnWebACL.StatementProperty(
            managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                vendor_name="AWS",
                name=name,
                rule_action_overrides=[
                    wafv2.CfnWebACL.RuleActionOverrideProperty(
                        name=rule, action_to_use=wafv2.CfnWebACL.RuleActionProperty(count={})
                    )
                    for rule in excluded
                ]
                or None,
            )
        ),
        visibility_config=_visibility(name),
    )


def _visibility(name: str) -> Any:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=name, sampled_requests_enabled=True
    )


class Firewall(Construct):
    """The REST API's web ACL and its association with the API's stage."""

    def __init__(
        self, scope: Construct, construct_id: str, *, stage_name: str, requests_per_5_minutes: int
    ) -> None:
        """Create the web ACL and associate it with the ``RestAPI``'s ``api`` stage."""
        super().__init__(scope, construct_id)
        rate_rule = wafv2.CfnWebACL.RuleProperty(
            name="RatePerIp",
            priority=0,
            action=wafv2.CfnWebACL.RuleActionProperty(block={}),
            statement=wafv2.CfnWebACL.StatementProperty(
                rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                    limit=requests_per_5_minutes, aggregate_key_type="IP"
                )
            ),
            visibility_config=_visibility("RatePerIp"),
        )
        self.web_acl = wafv2.CfnWebACL(
            self,
            "WebAcl",
            name=f"finq-{stage_name}-api",
            scope="REGIONAL",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            visibility_config=_visibility(f"finq-{stage_name}-api"),
            rules=[
                rate_rule,
                _managed_rule("AWSManagedRulesSQLiRuleSet", 1),
                # FinQ accepts bodies up to 256 KB; the common set's 8 KB body limit only counts.
                _managed_rule("AWSManagedRulesCommonRuleSet", 2, ("SizeRestrictions_BODY",)),
                _managed_rule("AWSManagedRulesKnownBadInputsRuleSet", 3),
            ],
        )
        association = wafv2.CfnWebACLAssociation(
            self,
            "Association",
            web_acl_arn=self.web_acl.attr_arn,
            resource_arn=Fn.sub(
                "arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${RestAPI}/stages/"
                + API_STAGE
            ),
        )
        # SAM names the stage it generates <api id><stage>Stage; the ACL needs it to exist.
        CfnResource.add_override(association, "DependsOn", [f"RestAPI{API_STAGE}Stage"])
        Validations.of(association).acknowledge(
            Acknowledgment(
                id="CloudFormation-Validate::E3005",
                reason="SAM creates the stage when its transform runs",
            )
        )
