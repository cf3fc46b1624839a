"""Settings of the sheet benchmark's server: the project's, plus the minimal view's URL."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "tests.perf.bench_urls"
