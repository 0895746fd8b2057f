"""Approval-queue filters (django-filter)."""
import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Department

from .kinds import KIND_CHOICES
from .models import CareerEntry, EntryStatus


class QueueFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=KIND_CHOICES, empty_label=_("All kinds"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=EntryStatus.choices, empty_label=_("All"))
    department = django_filters.ModelChoiceFilter(
        label=_("Department"), field_name="student__major__department", queryset=Department.objects.none(),
        empty_label=_("All departments"),
    )
    submitted_from = django_filters.DateFilter(label=_("Submitted from"), field_name="submitted_on", lookup_expr="gte",
                                               widget=forms.DateInput(attrs={"type": "date"}))
    submitted_to = django_filters.DateFilter(label=_("Submitted until"), field_name="submitted_on", lookup_expr="lte",
                                             widget=forms.DateInput(attrs={"type": "date"}))
    submitter = django_filters.CharFilter(label=_("Student"), method="filter_submitter")
    # Ticked: only entries with a typed-in organization; unticked: every entry (not "only the others").
    typed_org = django_filters.BooleanFilter(label=_("Organization typed in"), method="filter_typed_org",
                                             widget=forms.CheckboxInput)

    class Meta:
        model = CareerEntry
        fields = ["kind", "status", "department", "submitted_from", "submitted_to", "submitter", "typed_org"]

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.filters["department"].queryset = departments

    def filter_typed_org(self, queryset, name, value):
        return queryset.filter(organization_direct_input=True) if value else queryset

    def filter_submitter(self, queryset, name, value):
        return queryset.filter(Q(student__student_no__icontains=value) | Q(student__name__icontains=value))

