from django.urls import path

from . import results

urlpatterns = [
    path("calls/<slug:slug>/results/", results.ResultsView.as_view(), name="call-results"),
    path(
        "calls/<slug:slug>/results.csv",
        results.ResultsExportView.as_view(kind="csv"),
        name="call-results-csv",
    ),
    path(
        "calls/<slug:slug>/results.xlsx",
        results.ResultsExportView.as_view(kind="xlsx"),
        name="call-results-xlsx",
    ),
    path(
        "calls/<slug:slug>/results/release/",
        results.ReleaseView.as_view(),
        name="call-results-release",
    ),
    path("calls/<slug:slug>/report/", results.ReportView.as_view(), name="call-report"),
    path("calls/<slug:slug>/shortlist/", results.ShortlistView.as_view(), name="call-shortlist"),
    path("calls/<slug:slug>/decisions/", results.DecisionsView.as_view(), name="call-decisions"),
]
