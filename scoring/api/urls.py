from django.urls import path
from rest_framework.routers import SimpleRouter

from . import extra_reviews, messages, views, work

router = SimpleRouter()
router.register("score-sheets", views.ScoreSheetViewSet, basename="score-sheet")
router.register("juror/assignments", work.JurorAssignmentViewSet, basename="juror-assignment")

urlpatterns = [
    path("calls/<slug:slug>/rounds/", views.RoundsView.as_view(), name="call-rounds"),
    path(
        "calls/<slug:slug>/rounds/<int:number>/",
        views.RoundDetailView.as_view(),
        name="call-round",
    ),
    path(
        "calls/<slug:slug>/rounds/<int:number>/extra-reviews/",
        extra_reviews.ExtraReviewsView.as_view(),
        name="call-round-extra-reviews",
    ),
    path("calls/<slug:slug>/rubric/", views.RubricView.as_view(), name="call-rubric"),
    path("calls/<slug:slug>/progress/", work.ProgressView.as_view(), name="call-progress"),
    path("calls/<slug:slug>/messages/", messages.CallMessagesView.as_view(), name="call-messages"),
    path(
        "juror/assignments/<int:pk>/sheet/",
        views.AssignmentSheetView.as_view(),
        name="juror-assignment-sheet",
    ),
    *router.urls,
]
