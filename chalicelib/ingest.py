"""``python -m chalicelib.ingest PATH_OR_S3_URI [--full-sync]``: load policies from the shell.

Owns the command line: a progress bar while records load and a summary at the end. The work is
the same PolicySync/IngestionService that the S3 trigger and the schedule use.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import Any

from chalicelib import providers
from chalicelib.errors import AppError


def _progress() -> tuple[Any, Any]:
    try:
        from tqdm import tqdm
    except ImportError:  # tqdm is a dev dependency; without it, log every 1,000 records

        def log_every_thousand(handled: int) -> None:
            if handled % 1000 == 0:
                logging.info("%d records", handled)

        return log_every_thousand, (lambda: None)
    bar = tqdm(unit=" records", desc="ingesting")

    def update(handled: int) -> None:
        bar.update(handled - bar.n)

    return update, bar.close


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, ingest, print the summary; return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m chalicelib.ingest", description=__doc__)
    parser.add_argument(
        "location", help="a .json/.jsonl file, a directory, or s3://bucket/key-or-prefix/"
    )
    parser.add_argument(
        "--full-sync",
        action="store_true",
        help="the location holds the whole catalogue: withdraw policies it does not list",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s %(message)s")
    update, close = _progress()
    try:
        report = providers.container().policy_sync.from_location(
            args.location, args.full_sync, update
        )
    except AppError as error:
        close()
        print(f"error: {error.message}", file=sys.stderr)  # noqa: T201 - CLI output
        return 2
    close()
    counts, timings = report["counts"], report["timings"]
    print(  # noqa: T201 - CLI output
        f"run {report['run_id']} {report['status']}: "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
        + f"; {report['embedded_chunks']} chunks embedded\n"
        + "time: "
        + ", ".join(f"{k} {v:.2f}s" for k, v in timings.items())
    )
    for rejection in report["rejections"][:20]:
        print("rejected:", json.dumps(rejection, ensure_ascii=False)[:300])  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
