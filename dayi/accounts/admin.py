"""Django admin for the platform operator: people, units, roles and the region tree."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Organisation, Region, RoleGrant, User
from .permissions import scope_of


class OperatorAdmin(admin.ModelAdmin):
    """The admin is the operator's tool: the operator role grants it, not Django's per-model
    permissions, so that one role grant is all a new operator needs (the site itself is
    opened by the same role: dayi.web.admin_site)."""

    def has_module_permission(self, request):
        return scope_of(request.user).is_operator

    def has_view_permission(self, request, obj=None):
        return scope_of(request.user).is_operator

    def has_add_permission(self, request):
        return scope_of(request.user).is_operator

    def has_change_permission(self, request, obj=None):
        return scope_of(request.user).is_operator

    def has_delete_permission(self, request, obj=None):
        return scope_of(request.user).is_operator


class ReadOnlyAdmin(OperatorAdmin):
    """Reference data and logs: looked at, never typed in."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OperatorInline(admin.TabularInline):
    def has_view_permission(self, request, obj=None):
        return scope_of(request.user).is_operator

    def has_add_permission(self, request, obj=None):
        return scope_of(request.user).is_operator

    def has_change_permission(self, request, obj=None):
        return scope_of(request.user).is_operator

    def has_delete_permission(self, request, obj=None):
        return scope_of(request.user).is_operator


@admin.register(Region)
class RegionAdmin(OperatorAdmin):
    list_display = ["name", "code", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "name_en", "code"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


@admin.register(Organisation)
class OrganisationAdmin(OperatorAdmin):
    list_display = [
        "name",
        "category",
        "region",
        "is_management_unit",
        "is_user_organisation",
        "is_third_party_operator",
    ]
    list_filter = [
        "category",
        "is_management_unit",
        "is_user_organisation",
        "is_third_party_operator",
        "is_tech_sme",
        "is_small_micro",
        "is_startup_team",
    ]
    search_fields = ["name", "name_en", "short_name", "credit_code"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]


class RoleGrantInline(OperatorInline):
    model = RoleGrant
    extra = 0
    autocomplete_fields = ["organisation", "region"]
    readonly_fields = ["granted_at"]


@admin.register(User)
class UserAdmin(OperatorAdmin, BaseUserAdmin):
    list_display = ["username", "display_name", "phone", "email", "organisation", "is_active", "is_staff"]
    list_filter = [*BaseUserAdmin.list_filter, "role_grants__role"]
    search_fields = ["username", "display_name", "phone", "email", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    inlines = [RoleGrantInline]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Platform"), {"fields": ["display_name", "phone", "organisation"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Platform"), {"fields": ["display_name", "phone", "email", "organisation"]}),
    ]
