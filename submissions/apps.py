from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_cache_table(sender, using="default", verbosity=1, **kwargs) -> None:
    """Every `migrate` also creates the database cache's table when that cache is configured
    (DEBUG off and no REDIS_URL): the migrate job is all a deployment runs."""
    from django.conf import settings
    from django.core.management import call_command

    uses_db_cache = any(
        cache["BACKEND"].endswith("DatabaseCache") for cache in settings.CACHES.values()
    )
    if uses_db_cache:
        call_command("createcachetable", database=using, verbosity=max(verbosity - 1, 0))


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = "Members, calls and submissions"

    def ready(self) -> None:
        # Connects the sign-in failure counter (user_login_failed) for every sign-in path.
        from . import security  # noqa: F401

        post_migrate.connect(create_cache_table, sender=self)
