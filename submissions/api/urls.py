from django.urls import path
from rest_framework.routers import DefaultRouter

from . import audit, auth, views

router = DefaultRouter(trailing_slash=True)
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("users", views.UserViewSet, basename="user")
router.register("calls", views.CallViewSet, basename="call")
router.register("submissions", views.SubmissionViewSet, basename="submission")
router.register("attachments", views.AttachmentViewSet, basename="attachment")
router.register("audit", audit.AuditEventViewSet, basename="audit")

attachments = views.SubmissionAttachmentsView.as_view({"get": "list", "post": "create"})
uploads = views.DirectUploadView.as_view({"post": "create"})

urlpatterns = [
    path("auth/token/", auth.ObtainTokenView.as_view(), name="api-token"),
    path("me/", auth.MeView.as_view(), name="api-me"),
    path(
        "submissions/<int:submission_pk>/attachments/", attachments, name="submission-attachments"
    ),
    path(
        "submissions/<int:submission_pk>/attachments/uploads/", uploads, name="submission-uploads"
    ),
    *router.urls,
]
