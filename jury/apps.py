from django.apps import AppConfig


class JuryConfig(AppConfig):
    name = "jury"
    verbose_name = "Juries, conflicts and assignments"
