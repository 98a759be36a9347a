"""The CDK app: one FinQ stack, for the stage named by ``-c stage=<dev|prod>``.

Chalice imports FinQ's ``app.py`` with the stage's environment while it packages, so one process
synthesizes one stage (``make synth`` runs one per stage). ``FINQ_APP_DIR`` points at another
Chalice project (default: this repository).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from aws_cdk import App  # noqa: E402 - after the path above
from finq_infra.stack import FinqStack  # noqa: E402
from finq_infra.stages import stage_from_context  # noqa: E402

# CDK feature flags, here rather than in cdk.json so the tests' synthesis (no CLI) uses them too.
FEATURE_FLAGS = {
    "@aws-cdk/aws-lambda:recognizeLayerVersion": True,
    "@aws-cdk/core:checkSecretUsage": True,
    "@aws-cdk/aws-iam:minimizePolicies": True,
    "@aws-cdk/core:validateSnapshotRemovalPolicy": True,
    "@aws-cdk/aws-s3:createDefaultLoggingPolicy": True,
    "@aws-cdk/aws-apigateway:disableCloudWatchRole": True,
    "@aws-cdk/core:enablePartitionLiterals": True,
    "@aws-cdk/aws-rds:databaseProxyUniqueResourceName": True,
    "@aws-cdk/aws-ec2:restrictDefaultSecurityGroup": True,
    "@aws-cdk/aws-s3:serverSideEncryptionBucketKeyDefault": True,
    "@aws-cdk/aws-sns:restrictSqsDescryption": True,
    "@aws-cdk/aws-s3:keepNotificationInImportedBucket": True,
    "@aws-cdk/aws-dynamodb:resourcePolicyPerReplica": True,
}


def main() -> None:
    """Synthesize the stack of the stage named in the context."""
    app = App(context=FEATURE_FLAGS)
    stage = stage_from_context(app.node)
    source_dir = Path(os.environ.get("FINQ_APP_DIR") or HERE.parent)
    # The construct id is the stage (Chalice reads its stage from it); the stack is finq-<stage>.
    FinqStack(app, stage.name, stage=stage, source_dir=source_dir)
    app.synth()


if __name__ == "__main__":
    main()
