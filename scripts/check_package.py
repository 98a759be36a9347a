"""Build a stage's Lambda package with ``chalice package`` and check what it contains.

Prints the zipped and unzipped sizes and the functions in the template; exits non-zero when the
package does not build, exceeds Lambda's 250 MB unzipped limit, misses FinQ's code, or carries
local-only code (tests, moto, pgserver). Usage: ``python scripts/check_package.py --stage dev``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAMBDA_UNZIPPED_LIMIT = 250 * 1024 * 1024
FORBIDDEN_TOP_LEVEL = ("devstack/", "tests/", "moto/", "pgserver/", "milvus_lite/")


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def main() -> int:
    """Build, inspect and report; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stage", default="dev")
    parser.add_argument("--out", type=Path, default=None, help="keep the package here")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="finq-package-"))
    # Decorator arguments (the policy bucket of the S3 trigger) follow the stage at import.
    env = {
        **os.environ,
        "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "ap-northeast-2"),
        "FINQ_STAGE": args.stage,
    }
    chalice = Path(sys.executable).with_name("chalice")
    started = time.monotonic()
    build = subprocess.run(  # noqa: S603 - fixed argv
        [str(chalice), "package", "--stage", args.stage, "--pkg-format", "terraform", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if build.returncode != 0:
        print(build.stdout + build.stderr, file=sys.stderr)
        return 1
    archive = out / "deployment.zip"
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        unzipped = sum(info.file_size for info in zipped.infolist())
    template = json.loads((out / "chalice.tf.json").read_text())
    functions = sorted(template["resource"].get("aws_lambda_function", {}))
    runtimes = {fn["runtime"] for fn in template["resource"]["aws_lambda_function"].values()}
    problems = []
    if unzipped > LAMBDA_UNZIPPED_LIMIT:
        problems.append(f"unzipped size {_mb(unzipped)} exceeds Lambda's 250 MB")
    for required in ("app.py", "chalicelib/providers.py", "chalicelib/migrations/0001_init.sql"):
        if required not in names:
            problems.append(f"{required} is missing from the zip")
    for prefix in FORBIDDEN_TOP_LEVEL:
        if any(name.startswith(prefix) for name in names):
            problems.append(f"local-only {prefix} is in the zip")
    if not functions:
        problems.append("the template lists no Lambda function")
    print(f"stage            {args.stage}")
    print(f"built in         {time.monotonic() - started:.0f} s -> {out}")
    print(f"zipped           {_mb(archive.stat().st_size)}")
    print(f"unzipped         {_mb(unzipped)} (Lambda limit 250 MB)")
    print(f"runtime          {', '.join(sorted(runtimes))}")
    print(f"functions        {', '.join(functions)}")
    for problem in problems:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
