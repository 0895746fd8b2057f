from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Application, CommitteeMembership


@admin.register(CommitteeMembership)
class CommitteeMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "major", "chair")
    list_filter = ("major__department__campus",)


@admin.register(Application)
class ApplicationAdmin(SimpleHistoryAdmin):
    list_display = ("student", "semester", "status", "exemption", "decided_by", "decided_at")
    list_filter = ("status", "semester", "exemption")
    readonly_fields = ("engine_result",)
