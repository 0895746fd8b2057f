from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Participation, Program


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    readonly_fields = ("student", "applied_at", "attended", "entry")


@admin.register(Program)
class ProgramAdmin(SimpleHistoryAdmin):
    list_display = ("title", "department", "hours", "certified", "starts_on", "ends_on", "status")
    list_filter = ("status", "certified", "department__campus")
    inlines = [ParticipationInline]
    readonly_fields = ("status",)
