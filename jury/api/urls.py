from django.urls import path
from rest_framework.routers import SimpleRouter

from . import imports, views

router = SimpleRouter()
router.register("conflicts", views.ConflictViewSet, basename="conflict")
router.register("assignments", views.AssignmentViewSet, basename="assignment")

urlpatterns = [
    path("calls/<slug:slug>/jurors/", views.JuryView.as_view(), name="call-jurors"),
    path(
        "calls/<slug:slug>/assignments/",
        views.CallAssignmentsView.as_view(),
        name="call-assignments",
    ),
    path(
        "calls/<slug:slug>/assignments/auto/",
        views.AutoAssignView.as_view(),
        name="call-auto-assign",
    ),
    path("juror/profile/", views.MyJuriesView.as_view(), name="juror-profile"),
    path("imports/<str:kind>/preview/", imports.ImportPreviewView.as_view(), name="import-preview"),
    path("imports/<str:kind>/apply/", imports.ImportApplyView.as_view(), name="import-apply"),
    *router.urls,
]
