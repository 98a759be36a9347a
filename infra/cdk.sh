#!/usr/bin/env bash
# FinQ's AWS commands (the Makefile's synth, deploy and destroy): infra/cdk.sh ACTION STAGE.
#   synth    synthesize the stage offline into infra/cdk.out/STAGE and lint it with cfn-lint
#   deploy   bootstrap CDK if needed, deploy, fill the secrets given, print the outputs
#   destroy  delete the stack; the data (buckets, table, user pool, a final database snapshot,
#            secrets) stays unless DELETE_DATA=1
# Deploy reads MILVUS_URI (required the first time), MAIL_SENDER, CORS_ORIGINS, OPS_EMAIL,
# BEDROCK_DAILY_BUDGET_USD, and the secret values MILVUS_TOKEN, ONTONG_API_KEY, TAVILY_API_KEY
# (sent to Secrets Manager on standard input, never on a command line or in the template).
set -euo pipefail

ACTION=${1:?usage: infra/cdk.sh synth|deploy|destroy STAGE}
STAGE=${2:?usage: infra/cdk.sh synth|deploy|destroy STAGE}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
CDK_VERSION=${CDK_VERSION:-2.1148.1}
OUT="$HERE/cdk.out/$STAGE"
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1 CDK_DISABLE_CLI_TELEMETRY=true
# Node 20 still synthesizes (the README asks for 22+); its end-of-life banner is noise here.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=${JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION:-20}
# The virtualenv's awscli (requirements-dev.txt) when no other is on the PATH.
export PATH="$PATH:$(dirname "$PYTHON")"
export AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-${AWS_REGION:-ap-northeast-2}}

cdk() {
  (cd "$HERE" && npx --yes "aws-cdk@$CDK_VERSION" "$@" --app "$PYTHON app.py" \
     --output "$OUT" --no-notices --context "stage=$STAGE" "${CONTEXT[@]}")
}

CONTEXT=()
[ -n "${MAIL_SENDER:-}" ] && CONTEXT+=(--context "mail_sender=$MAIL_SENDER")
[ -n "${CORS_ORIGINS:-}" ] && CONTEXT+=(--context "cors_origins=$CORS_ORIGINS")
[ -n "${OPS_EMAIL:-}" ] && CONTEXT+=(--context "ops_email=$OPS_EMAIL")
[ -n "${ONTONG_API_KEY:-}" ] && CONTEXT+=(--context "ontong_secret=1")
[ -n "${TAVILY_API_KEY:-}" ] && CONTEXT+=(--context "tavily_secret=1")
[ -n "${SES_IDENTITY_EXISTS:-}" ] && CONTEXT+=(--context "create_ses_identity=0")

put_secret() {  # name, value: the value goes on stdin
  [ -n "$2" ] || return 0
  printf '%s' "$2" | aws secretsmanager put-secret-value --secret-id "finq/$STAGE/$1" \
    --secret-string file:///dev/stdin >/dev/null
  echo "filled secret finq/$STAGE/$1"
}

# The CA bundle FinQ verifies the database's certificate with: fetched over verified HTTPS
# into the package (chalicelib/certs/, not committed) before anything is deployed.
RDS_BUNDLE_URL=https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem
fetch_rds_bundle() {
  local bundle="$ROOT/chalicelib/certs/rds-global-bundle.pem"
  [ -s "$bundle" ] && return 0
  mkdir -p "$(dirname "$bundle")"
  curl -fsSL --proto '=https' --tlsv1.2 "$RDS_BUNDLE_URL" -o "$bundle.part"
  grep -q "BEGIN CERTIFICATE" "$bundle.part" \
    || { echo "the RDS CA bundle from $RDS_BUNDLE_URL is not PEM" >&2; exit 1; }
  mv "$bundle.part" "$bundle"
  echo "fetched the RDS CA bundle into $bundle"
}

case "$ACTION" in
  synth)
    started=$(date +%s)
    cdk synth --quiet
    echo "synthesized $STAGE in $(( $(date +%s) - started )) s: $OUT/$STAGE.template.json"
    # W3005 (a DependsOn also implied by a Ref) comes from CDK's own constructs.
    "$(dirname "$PYTHON")/cfn-lint" --ignore-checks W3005 -- "$OUT/$STAGE.template.json"
    echo "cfn-lint: $STAGE template clean"
    ;;
  deploy)
    aws sts get-caller-identity --query Account --output text >/dev/null \
      || { echo "no AWS credentials: run 'aws configure' first" >&2; exit 1; }
    if ! aws cloudformation describe-stacks --stack-name CDKToolkit >/dev/null 2>&1; then
      cdk bootstrap
    fi
    PARAMETERS=()
    [ -n "${MILVUS_URI:-}" ] && PARAMETERS+=(--parameters "MilvusUri=$MILVUS_URI")
    [ -n "${BEDROCK_DAILY_BUDGET_USD:-}" ] \
      && PARAMETERS+=(--parameters "BedrockDailyBudgetUsd=$BEDROCK_DAILY_BUDGET_USD")
    fetch_rds_bundle
    cdk deploy "$STAGE" --require-approval never "${PARAMETERS[@]}" \
      --outputs-file "$OUT/outputs.json"
    put_secret milvus-token "${MILVUS_TOKEN:-}"
    put_secret ontong-api-key "${ONTONG_API_KEY:-}"
    put_secret tavily-api-key "${TAVILY_API_KEY:-}"
    "$PYTHON" -c 'import json, sys; [print(f"{k}: {v}") for k, v in
      next(iter(json.load(open(sys.argv[1])).values())).items()]' "$OUT/outputs.json"
    ;;
  destroy)
    if [ "${DELETE_DATA:-}" = 1 ]; then
      # Removal policies live in the deployed template: deploy them as "delete" first.
      CONTEXT+=(--context keep_data=0)
      fetch_rds_bundle
      cdk deploy "$STAGE" --require-approval never
    else
      # The database goes as a final snapshot (its secret stays): lift its deletion protection.
      aws rds modify-db-instance --db-instance-identifier "finq-$STAGE" \
        --no-deletion-protection --apply-immediately >/dev/null
      aws rds wait db-instance-available --db-instance-identifier "finq-$STAGE"
    fi
    cdk destroy "$STAGE" --force
    ;;
  *)
    echo "unknown action $ACTION" >&2
    exit 2
    ;;
esac
