"""The deployed shape on loopback: its own redis-server, two gunicorn instances of 2 workers each,
a Celery worker and beat, moto's S3 server and an SMTP sink, on a database of its own.

PostgreSQL only (the shape it proves runs on it); skipped on SQLite with the reason. With
REQUIRE_TOPOLOGY=1 (as in .ci/run's PostgreSQL run) a missing piece fails instead. Every wait
is bounded; the processes are stopped and the database dropped whatever happens.
"""

import os
import shutil

import pytest

from tests.support.postgres import ON_POSTGRES
from tests.support.processes import ROOT
from tests.support.redis import REDIS_SERVER
from tests.support.topology import Stack

REQUIRED = os.environ.get("REQUIRE_TOPOLOGY") == "1"


def _missing() -> str | None:
    if not ON_POSTGRES:
        return "the topology test runs on PostgreSQL only (set DATABASE_URL=postgres://...)"
    if not REDIS_SERVER:
        return "redis-server is not installed (apt-get install redis-server)"
    return None


MISSING = _missing()


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/topology/" not in str(item.fspath).replace(os.sep, "/"):
            continue
        if MISSING and (not REQUIRED or not ON_POSTGRES):
            item.add_marker(pytest.mark.skip(reason=MISSING))


@pytest.fixture(scope="module")
def stack(tmp_path_factory, moto_endpoint):
    if MISSING:
        pytest.fail(f"REQUIRE_TOPOLOGY=1 but {MISSING}")
    built = Stack(tmp_path_factory.mktemp("topology"), moto_endpoint)
    try:
        built.start()
        yield built
    finally:
        built.stop()
        logs = ROOT / "tests" / "topology" / "logs"
        if os.environ.get("TOPOLOGY_KEEP_LOGS"):
            shutil.copytree(built.logs, logs, dirs_exist_ok=True)
