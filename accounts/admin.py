from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Campus, Department, Institution, Major, StaffScope, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "role", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = BaseUserAdmin.fieldsets + (("Portal", {"fields": ("role", "display_name")}),)


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "programs")


@admin.register(Campus)
class CampusAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "institution")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "college", "campus")
    list_filter = ("campus",)


@admin.register(Major)
class MajorAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "department", "active")
    list_filter = ("active", "department__campus")
    search_fields = ("name", "code")


@admin.register(StaffScope)
class StaffScopeAdmin(admin.ModelAdmin):
    list_display = ("user", "department", "central_office", "institution")
