"""The project's URLs plus the benchmark's minimal view (served only by the benchmark)."""

from django.urls import path

from config.urls import urlpatterns as project_urls
from tests.perf.minimal_views import save_sheet

urlpatterns = [
    path("bench/minimal-sheet/<int:sheet_id>/", save_sheet, name="bench-minimal-sheet"),
    *project_urls,
]
