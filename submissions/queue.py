"""Queueing a task: after the transaction that asked for it commits, never before.

With a broker the task goes to a worker; without one (`make run`, the tests) it runs here, in
this process, at the same moment. Either way the database row the task works on is already
written, so a broker that is down loses nothing: the periodic sweeps (deliver_due_mail,
resume_verifications) find the row and finish the work.
"""

import logging

from django.conf import settings
from django.db import transaction

logger = logging.getLogger("metropolis.tasks")


def enqueue(task, *args, **kwargs) -> None:
    """Run `task(*args, **kwargs)` once the current transaction commits."""

    def send() -> None:
        try:
            if settings.TASKS_EMBEDDED:
                task.apply(args=args, kwargs=kwargs)
            else:
                task.apply_async(args=args, kwargs=kwargs)
        except Exception:  # the broker is down: the sweep will pick the work up from the database
            logger.exception("could not queue %s%r; the periodic sweep will retry", task.name, args)

    transaction.on_commit(send)
