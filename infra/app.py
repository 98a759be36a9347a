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


def main() -> None:
    """Synthesize the stack of the stage named in the context."""
    app = App()
    stage = stage_from_context(app.node)
    source_dir = Path(os.environ.get("FINQ_APP_DIR") or HERE.parent)
    # The construct id is the stage (Chalice reads its stage from it); the stack is finq-<stage>.
    FinqStack(app, stage.name, stage=stage, source_dir=source_dir)
    app.synth()


if __name__ == "__main__":
    main()
