"""At the deadline, the cities of one call must not queue behind one another: changing an entry
locks that entry only, not the call (nor the organization) that every other entry shares."""

import threading

import pytest
from django.db import connection, transaction

from submissions import services
from tests.factories import CallFactory, SubmissionFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),  # two connections, each seeing the other's rows
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks: SQLite locks the whole database"
    ),
]


def in_another_connection(work) -> BaseException | None:
    """Run work in a thread of its own (so on a connection of its own), waiting at most 2 s for
    any lock; return what it raised."""
    raised = []

    def run():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                work()
        except Exception as error:
            raised.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return raised[0] if raised else None


def test_one_city_changing_its_entry_does_not_hold_up_another_city_of_the_same_call():
    call = CallFactory()
    first, second = SubmissionFactory(call=call), SubmissionFactory(call=call)
    with transaction.atomic():
        services.lock_draft(first.pk)  # as submit and the uploads do, for their whole transaction
        assert in_another_connection(lambda: services.lock_draft(second.pk)) is None


def test_an_entry_being_changed_does_not_lock_its_call_or_organization():
    entry = SubmissionFactory()
    with transaction.atomic():
        services.lock_draft(entry.pk)
        for model, pk in (
            (type(entry.call), entry.call_id),
            (type(entry.organization), entry.organization_id),
        ):
            locked = in_another_connection(
                lambda model=model, pk=pk: model.objects.select_for_update(nowait=True).get(pk=pk)
            )
            assert locked is None, f"{model.__name__} row locked: {locked}"
