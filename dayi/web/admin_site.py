from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig


class DayiAdminSite(AdminSite):
    """The admin is the platform operator's tool: the operator role opens it, so a new
    operator needs one role grant and no separate staff flag."""

    def has_permission(self, request):
        # Imported here: this module is loaded with the app registry, before models exist.
        from dayi.accounts.permissions import scope_of

        return request.user.is_active and scope_of(request.user).is_operator


class DayiAdminConfig(AdminConfig):
    default_site = "dayi.web.admin_site.DayiAdminSite"
