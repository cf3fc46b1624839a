"""`make bench`: every benchmark, printed and written to docs/benchmarks.md with the machine."""

import importlib
import os
import platform
import sys
from datetime import UTC, datetime

from tests.perf.harness import ROOT, table

BENCHMARKS = [
    ("Uploads and lists (issue 2)", "tests.perf.bench_uploads"),
    ("Assignment (issue 3)", "tests.perf.bench_assignment"),
    ("Saving score sheets (issue 4)", "tests.perf.bench_sheets"),
    ("Aggregation (issue 5)", "tests.perf.bench_aggregation"),
    ("Results and the Board report (issue 5)", "tests.perf.bench_results"),
    ("The production shape (issue 11)", "tests.perf.bench_production"),
    ("A 2 GB upload checked by the worker (issue 11)", "tests.perf.bench_upload_check"),
    ("The Board's page in Chromium (issue 14)", "tests.perf.bench_board"),
]


def machine() -> str:
    import psutil

    memory = psutil.virtual_memory().total / 1024**3
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"{memory:.0f} GiB, Python {platform.python_version()}, {platform.platform()}"
    )


def main() -> int:
    sections = [
        f"# Benchmarks\n\nMeasured by `make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} "
        f"UTC.\n\nMachine: {machine()}\n"
    ]
    failed = False
    for title, module_name in BENCHMARKS:
        print(f"== {title}", flush=True)
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            print("   not present")
            continue
        try:
            rows = module.run()
        except Exception as error:  # a failing benchmark is reported, the others still run
            failed = True
            print(f"   failed: {error!r}")
            sections.append(f"## {title}\n\nFailed: `{error!r}`\n")
            continue
        rendered = table(rows)
        print(rendered, flush=True)
        sections.append(f"## {title}\n\n{rendered}\n")
    (ROOT / "docs" / "benchmarks.md").write_text("\n".join(sections))
    print("written to docs/benchmarks.md")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
