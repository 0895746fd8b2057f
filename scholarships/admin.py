from django.contrib import admin

from .models import LedgerEntry, Redemption, RedemptionWindow, SelectionQuota, SelectionSnapshot


@admin.register(SelectionQuota)
class SelectionQuotaAdmin(admin.ModelAdmin):
    """Admins edit each year level's quota and amount of the Rainbow scholarship."""

    list_display = ["institution", "year_level", "quota", "amount_won"]
    list_editable = ["quota", "amount_won"]
    list_filter = ["institution"]


@admin.register(RedemptionWindow)
class RedemptionWindowAdmin(admin.ModelAdmin):
    list_display = ["institution", "semester", "opens_on", "closes_on", "tuition_won"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    """Read-only: the ledger is append-only."""

    list_display = ["student", "kind", "points", "occurred_on", "reason"]
    list_filter = ["kind"]
    search_fields = ["student__student_no", "entry_id"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Redemption)
class RedemptionAdmin(admin.ModelAdmin):
    list_display = ["student", "window", "points", "status", "requested_at", "decided_by"]
    list_filter = ["status", "window"]
    readonly_fields = [f for f in ["student", "window", "points", "status", "decided_at", "decided_by",
                                   "decision_reason"]]


@admin.register(SelectionSnapshot)
class SelectionSnapshotAdmin(admin.ModelAdmin):
    list_display = ["institution", "year", "status", "created_at", "approved_by"]
    readonly_fields = ["institution", "year", "status", "tie_break", "quotas", "approved_at", "approved_by"]
