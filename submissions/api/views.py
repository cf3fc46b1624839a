import html

from django.contrib.auth import update_session_auth_hash
from django.db.models import Prefetch
from django.http import FileResponse
from django.http.multipartparser import MultiPartParser as DjangoMultiPartParser
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ParseError
from rest_framework.parsers import DataAndFiles, FormParser, MultiPartParser, get_encoding
from rest_framework.response import Response

from submissions import attachments as attachment_service
from submissions import members, services, storage
from submissions.errors import DomainError, NotAllowed
from submissions.filenames import attachment_disposition
from submissions.models import Attachment, Call, Organization, Submission, User
from submissions.visibility import (
    file_name_shown_to,
    filter_by_shown_status,
    identity_hidden_for,
    submissions_visible_to,
)

from . import serializers as s
from .errors import missing_file
from .permissions import IsSecretariat, MayManageAccount, ReadOnlyOrSecretariat


class OrganizationViewSet(viewsets.ModelViewSet):
    queryset = Organization.objects.all()
    serializer_class = s.OrganizationSerializer
    permission_classes = [IsSecretariat]
    filterset_fields = ["kind", "region", "country"]


class UserViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = User.objects.select_related("organization")
    serializer_class = s.UserSerializer
    permission_classes = [IsSecretariat, MayManageAccount]
    filterset_fields = ["role", "organization"]

    def perform_create(self, serializer):
        serializer.instance = members.create_user(self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        fields = dict(serializer.validated_data)
        fields.pop("send_invitation", None)
        serializer.instance = members.update_user(self.request.user, serializer.instance, **fields)

    @extend_schema(request=s.SetPasswordSerializer, responses={204: None})
    @action(detail=True, methods=["post"], url_path="set-password")
    def set_password(self, request, pk=None):
        data = s.SetPasswordSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        password = data.validated_data["password"]
        user = members.set_password(request.user, self.get_object(), password)
        if user.pk == request.user.pk:
            # The actor's own session stays signed in; every other one ends.
            update_session_auth_hash(request._request, user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        members.invite(request.user, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class CallViewSet(viewsets.ModelViewSet):
    """Calls are never deleted through the API: their entries and history must stay."""

    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    queryset = Call.objects.all()
    lookup_field = "slug"
    permission_classes = [ReadOnlyOrSecretariat]
    filterset_fields = ["kind"]

    def get_serializer_class(self):
        if self.action in {"create", "update", "partial_update"}:
            return s.CallCreateSerializer if self.action == "create" else s.CallSerializer
        return s.CallSerializer

    def perform_create(self, serializer):
        serializer.instance = services.create_call(self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        fields = serializer.validated_data
        serializer.instance = services.update_call(self.request.user, serializer.instance, **fields)

    @extend_schema(request=s.ExtendDeadlineSerializer, responses=s.DeadlineExtensionSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="extend-deadline",
        permission_classes=[IsSecretariat],
    )
    def extend_deadline(self, request, slug=None):
        data = s.ExtendDeadlineSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        extension = services.extend_deadline(request.user, self.get_object(), **data.validated_data)
        return Response(
            s.DeadlineExtensionSerializer(extension).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(responses=s.DeadlineExtensionSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="deadline-history")
    def deadline_history(self, request, slug=None):
        extensions = self.get_object().extensions.select_related("created_by")
        if not request.user.is_secretariat:
            # A city sees the extensions for everyone and its own, never another city's.
            extensions = extensions.filter(organization__isnull=True) | extensions.filter(
                organization_id=request.user.organization_id or 0
            )
        return Response(s.DeadlineExtensionSerializer(extensions, many=True).data)


class SubmissionFilter(filters.FilterSet):
    call = filters.CharFilter(field_name="call__slug")
    status = filters.CharFilter(method="filter_status")
    organization = filters.NumberFilter(method="filter_organization")

    def filter_status(self, queryset, name, value):
        """Each reader filters on the status they are shown, so a filter reveals no verdict."""
        return filter_by_shown_status(queryset, self.request.user, value)

    def filter_organization(self, queryset, name, value):
        # In a blind call the entrant is hidden from the jury and the Board: no filter finds it.
        user = self.request.user
        matching = queryset.filter(organization_id=value)
        if user.is_secretariat or user.is_city_contact:
            return matching
        return matching.exclude(call__blind=True)

    class Meta:
        model = Submission
        fields = ["call", "status", "organization", "theme"]


class SubmissionViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = s.SubmissionSerializer
    filterset_class = SubmissionFilter

    def get_queryset(self):
        return (
            submissions_visible_to(self.request.user)
            .select_related("call", "organization")
            .prefetch_related(
                Prefetch(
                    "attachments", queryset=Attachment.objects.select_related("submission__call")
                )
            )
        )

    def get_serializer_class(self):
        if self.action in {"update", "partial_update"}:
            return s.SubmissionUpdateSerializer
        return s.SubmissionSerializer

    def create(self, request, *args, **kwargs):
        serializer = s.SubmissionSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        call = data.pop("call")
        organization = data.pop("organization", None)
        if not (request.user.is_city_contact or request.user.is_secretariat):
            raise NotAllowed(_("Only a city contact or the secretariat creates entries."))
        if not request.user.is_secretariat or organization is None:
            organization = request.user.organization
        if organization is None:
            raise DomainError(
                _("Only a city contact can create an entry for their organization."),
                code="no_organization",
            )
        submission = services.create_draft(request.user, call, organization, **data)
        return Response(self._read(submission), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        submission = self.get_object()
        serializer = s.SubmissionUpdateSerializer(submission, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        submission = services.update_draft(request.user, submission, **serializer.validated_data)
        return Response(self._read(submission))

    def _read(self, submission):
        fresh = self.get_queryset().get(pk=submission.pk)
        return s.SubmissionSerializer(fresh, context={"request": self.request}).data

    @extend_schema(request=None, responses=s.SubmissionSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        submission = services.submit(request.user, self.get_object())
        return Response(self._read(submission))

    @extend_schema(request=s.ReasonSerializer, responses=s.SubmissionSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        data = s.ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        submission = services.withdraw(
            request.user, self.get_object(), data.validated_data["reason"]
        )
        return Response(self._read(submission))

    @extend_schema(request=s.EligibilitySerializer, responses=s.SubmissionSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsSecretariat])
    def eligibility(self, request, pk=None):
        data = s.EligibilitySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        submission = services.set_eligibility(
            request.user, self.get_object(), **data.validated_data
        )
        return Response(self._read(submission))

    @extend_schema(responses=s.ReceiptSerializer)
    @action(detail=True, methods=["get"])
    def receipt(self, request, pk=None):
        submission = self.get_object()
        if not submission.receipt_sha256 or identity_hidden_for(request.user, submission.call):
            raise DomainError(
                _("This entry has no receipt yet: it has not been submitted."), code="no_receipt"
            )
        return Response(
            {
                "submission": submission.pk,
                "call": submission.call.slug,
                "title": submission.title,
                "submitted_at": submission.submitted_at,
                "sha256": submission.receipt_sha256,
                "content": submission.frozen_content,
            }
        )


class _RawNameDjangoParser(DjangoMultiPartParser):
    def sanitize_file_name(self, file_name):
        return html.unescape(file_name or "") or None


class RawNameMultiPartParser(MultiPartParser):
    """Keeps the file name as the client sent it, so that a name with folders is refused
    with a message instead of being silently cut down to its last part."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = parser_context["request"]
        meta = request.META.copy()
        meta["CONTENT_TYPE"] = media_type
        try:
            parser = _RawNameDjangoParser(
                meta, stream, request.upload_handlers, get_encoding(parser_context)
            )
            data, files = parser.parse()
        except MultiPartParserError as exc:
            raise ParseError(f"The upload could not be read: {exc}") from exc
        return DataAndFiles(data, files)


class SubmissionAttachmentsView(viewsets.ViewSet):
    """Files of one entry: list, upload through the platform, or start a direct upload."""

    parser_classes = [RawNameMultiPartParser, FormParser]

    def initialize_request(self, request, *args, **kwargs):
        # The hashing handler must be in place before anything reads the body (CSRF does).
        if request.method == "POST" and not getattr(self, "swagger_fake_view", False):
            limit = (
                Submission.objects.filter(pk=kwargs.get("submission_pk"))
                .values_list("call__max_file_size", flat=True)
                .first()
            )
            request.upload_handlers = [
                attachment_service.HashingUploadHandler(request, max_bytes=(limit or 0) + 1)
            ]
        return super().initialize_request(request, *args, **kwargs)

    def _submission(self, request, submission_pk):
        return get_object_or_404(
            submissions_visible_to(request.user).select_related("call", "organization"),
            pk=submission_pk,
        )

    @extend_schema(responses=s.AttachmentSerializer(many=True))
    def list(self, request, submission_pk=None):
        submission = self._submission(request, submission_pk)
        files = submission.attachments.filter(state=Attachment.State.COMPLETE).select_related(
            "submission__call"
        )
        return Response(s.AttachmentSerializer(files, many=True, context={"request": request}).data)

    @extend_schema(request=s.UploadFileSerializer, responses={201: s.AttachmentSerializer})
    def create(self, request, submission_pk=None):
        submission = self._submission(request, submission_pk)
        uploaded = request.FILES.get("file")
        if uploaded is None:
            raise missing_file()
        attachment = attachment_service.store_uploaded(
            request.user, submission, uploaded, request.data.get("kind", "")
        )
        return Response(
            s.AttachmentSerializer(attachment, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class DirectUploadView(viewsets.ViewSet):
    @extend_schema(request=s.DirectUploadSerializer, responses={201: dict})
    def create(self, request, submission_pk=None):
        submission = get_object_or_404(submissions_visible_to(request.user), pk=submission_pk)
        data = s.DirectUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attachment, upload = attachment_service.start_direct_upload(
            request.user, submission, **data.validated_data
        )
        return Response(
            {
                "attachment": attachment.pk,
                "upload": upload,
                "complete_url": f"/api/v1/attachments/{attachment.pk}/complete/",
            },
            status=status.HTTP_201_CREATED,
        )


class AttachmentViewSet(mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.AttachmentSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Attachment.objects.none()
        visible = submissions_visible_to(self.request.user)
        return Attachment.objects.filter(submission__in=visible).select_related(
            "submission__call", "submission__organization"
        )

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset().filter(state=Attachment.State.COMPLETE))
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def perform_destroy(self, attachment):
        attachment_service.remove_attachment(self.request.user, attachment)

    @extend_schema(
        request=s.CompleteUploadSerializer,
        responses={202: s.AttachmentSerializer, 200: s.AttachmentSerializer},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        data = s.CompleteUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attachment = attachment_service.complete_direct_upload(
            request.user, self.get_object(), data.validated_data.get("parts")
        )
        # 202: accepted, being checked by a worker; poll the attachment for its state.
        verifying = attachment.state == Attachment.State.VERIFYING
        return Response(
            s.AttachmentSerializer(attachment, context={"request": request}).data,
            status=status.HTTP_202_ACCEPTED if verifying else status.HTTP_200_OK,
        )

    @extend_schema(responses={302: None, 200: bytes})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        attachment = self.get_object()
        attachment_service.ensure_downloadable(attachment)
        name = file_name_shown_to(request.user, attachment)
        attachment_service.record_download(request.user, attachment)
        if storage.uses_s3():
            return redirect(
                storage.download_url(
                    attachment.file.name,
                    name,
                    attachment.content_type,
                    version_id=attachment.version_id,
                )
            )
        with storage.storage_errors():
            handle = storage.default_storage.open(attachment.file.name, "rb")
        response = FileResponse(handle, content_type=attachment.content_type)
        response["Content-Disposition"] = attachment_disposition(name)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response

    @extend_schema(responses={200: bytes, 415: None})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        """A PDF's bytes for the reader beside the rubric (pdf.js fetches them from our own
        origin): only a file whose stored bytes are a PDF, never rendered by the browser
        itself (attachment, nosniff, a sandbox policy), to those who may download it."""
        attachment = self.get_object()
        content = attachment_service.open_pdf(attachment)
        attachment_service.record_download(request.user, attachment)
        response = FileResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = attachment_disposition(
            file_name_shown_to(request.user, attachment)
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response
