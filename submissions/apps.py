from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = "Members, calls and submissions"

    def ready(self):
        # Connects the sign-in failure counter (user_login_failed) for every sign-in path.
        from . import security  # noqa: F401
