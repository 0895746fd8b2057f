"""REST API for entries, evidence and profiles. The same services and kind forms as the pages,
so the API validates exactly as the forms do; access goes through careers.access."""
from django.http import FileResponse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from audit.services import log_action

from . import access, services
from .kinds import KIND_CHOICES
from .models import CareerEntry, Evidence, StudentProfile


class EvidenceSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "original_name", "content_type", "size", "sha256", "uploaded_at", "url"]

    def get_url(self, obj) -> str:
        request = self.context.get("request")
        path = f"/api/v1/evidence/{obj.pk}/file/"
        return request.build_absolute_uri(path) if request else path


class EntrySerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=KIND_CHOICES)
    data = serializers.DictField(help_text="The kind's fields under the contract's names, e.g. test, score, date.")
    organization_id = serializers.IntegerField(required=False, allow_null=True, write_only=True)
    summary = serializers.CharField(read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    student = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = CareerEntry
        fields = [
            "id", "student", "kind", "status", "date", "data", "summary", "organization_id",
            "organization_direct_input", "submitted_on", "decision_reason", "decided_at",
            "evidence", "created_at", "updated_at",
        ]
        read_only_fields = ["status", "date", "organization_direct_input", "submitted_on",
                            "decision_reason", "decided_at", "created_at", "updated_at"]


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True)


class EntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    serializer_class = EntrySerializer
    lookup_value_regex = "[0-9a-f-]{36}"

    def get_queryset(self):
        qs = access.entries_visible_to(self.request.user).prefetch_related("evidence")
        for param in ("status", "kind"):
            if self.request.query_params.get(param):
                qs = qs.filter(**{param: self.request.query_params[param]})
        return qs

    def get_object(self):
        return access.get_entry_or_404(self.request.user, self.kwargs["pk"])  # Http404 → 404

    def _call(self, fn, **kwargs):
        # a service's ValidationError/PermissionDenied → 400/403 (mileage_portal.api_errors)
        return fn(actor=self.request.user, **kwargs)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        student = access.own_student(request.user)
        if student is None:
            raise PermissionDenied("Only students record their own entries.")
        entry = self._call(
            services.entry_create, student=student, kind=serializer.validated_data["kind"],
            data=serializer.validated_data["data"],
            organization_id=serializer.validated_data.get("organization_id"),
        )
        return Response(self.get_serializer(entry).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        entry = self.get_object()
        serializer = self.get_serializer(entry, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        if "kind" in serializer.validated_data and serializer.validated_data["kind"] != entry.kind:
            raise ValidationError({"kind": ["The kind of an entry cannot change."]})
        data = {**entry.data, "date": entry.date.isoformat(), **serializer.validated_data.get("data", {})}
        if entry.form_class.date_field != "date":
            data.pop("date")
        entry = self._call(services.entry_update, entry=entry, data=data,
                           organization_id=serializer.validated_data.get("organization_id"))
        return Response(self.get_serializer(entry).data)

    def destroy(self, request, *args, **kwargs):
        self._call(services.entry_delete, entry=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _transition(self, request, service, with_reason=False):
        entry = self.get_object()
        kwargs = {"entry": entry}
        if with_reason:
            body = ReasonSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            kwargs["reason"] = body.validated_data.get("reason", "")
        entry = self._call(service, **kwargs)
        return Response(self.get_serializer(entry).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._transition(request, services.entry_submit)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._transition(request, services.entry_withdraw)

    @extend_schema(request=ReasonSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._transition(request, services.entry_approve, with_reason=True)

    @extend_schema(request=ReasonSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._transition(request, services.entry_reject, with_reason=True)

    @extend_schema(request=ReasonSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        return self._transition(request, services.entry_revoke, with_reason=True)

    @extend_schema(
        request={"multipart/form-data": inline_serializer("EvidenceUpload", {"file": serializers.FileField()})},
        responses=EvidenceSerializer,
    )
    @action(detail=True, methods=["post"], parser_classes=[parsers.MultiPartParser])
    def evidence(self, request, pk=None):
        entry = self.get_object()
        uploaded = request.FILES.get("file")
        if uploaded is None:
            raise ValidationError({"file": ["Evidence file: choose a file to upload."]})
        evidence = self._call(services.evidence_add, entry=entry, uploaded_file=uploaded)
        return Response(EvidenceSerializer(evidence, context={"request": request}).data, status=201)


class EvidenceViewSet(mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    serializer_class = EvidenceSerializer
    lookup_value_regex = "[0-9a-f-]{36}"

    def get_queryset(self):
        return Evidence.objects.filter(entry__student__in=access.students_visible_to(self.request.user))

    def get_object(self):
        return access.get_evidence_or_404(self.request.user, self.kwargs["pk"])

    def destroy(self, request, *args, **kwargs):
        services.evidence_delete(actor=request.user, evidence=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        evidence = self.get_object()
        log_action(actor=request.user, action="evidence.download", obj=evidence, student=evidence.entry.student,
                   data={"entry": str(evidence.entry_id), "via": "api"})
        response = FileResponse(evidence.file.open("rb"), content_type=evidence.content_type,
                                as_attachment=True, filename=evidence.original_name)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class StudentProfileSerializer(serializers.ModelSerializer):
    major_name = serializers.CharField(source="major.name", read_only=True)
    major_code = serializers.CharField(source="major.code", read_only=True)
    department = serializers.CharField(source="major.department.name", read_only=True)
    college = serializers.CharField(source="major.department.college", read_only=True)
    campus = serializers.CharField(source="major.department.campus.code", read_only=True)
    institution = serializers.CharField(source="major.department.campus.institution.code", read_only=True)
    mentor_name = serializers.CharField(source="mentor.display_name", read_only=True, default=None)

    class Meta:
        model = StudentProfile
        fields = [
            "id", "student_no", "name", "institution", "campus", "college", "department", "major",
            "major_name", "major_code", "admission_year", "admission_type", "year_level",
            "semesters_completed", "gpa", "expected_graduation", "enrollment_status", "flags", "mentor",
            "mentor_name",
        ]
        read_only_fields = fields  # profiles come from the academic office, not from students


class StudentProfileViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = StudentProfileSerializer

    def get_queryset(self):
        return access.students_visible_to(self.request.user).select_related("mentor")

    @action(detail=False, methods=["get"])
    def me(self, request):
        student = access.own_student(request.user)
        if student is None:
            raise NotFound
        return Response(self.get_serializer(student).data)
