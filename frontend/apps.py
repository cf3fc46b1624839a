from django.apps import AppConfig


class FrontendConfig(AppConfig):
    name = "frontend"

    def ready(self) -> None:
        from .views import language  # noqa: F401  (connects the sign-in signal)
