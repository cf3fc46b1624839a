"""The Celery application: `celery -A config worker` and `celery -A config beat`.

Broker and result store: Redis (REDIS_URL), or CELERY_BROKER_URL (e.g. RabbitMQ). Without
either, tasks run in the web process right after their transaction commits (submissions/queue.py).
Tasks live in each app's tasks.py; the schedule is CELERY_BEAT_SCHEDULE in the settings.
"""

import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("metropolis")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _use_django_logging(**kwargs) -> None:
    """Workers log like the web processes: the LOGGING setting (JSON lines in production)."""
    import logging.config

    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
