from django.urls import path

from .views import staff, users

app_name = "booking"

urlpatterns = [
    path("", users.my_orders, name="home"),
    path("mine/", users.my_orders, name="mine"),
    path("inbox/", users.inbox, name="inbox"),
    path("instruments/<int:pk>/", users.instrument_calendar, name="instrument"),
    path("instruments/<int:pk>/availability/", users.availability, name="availability"),
    path("orders/<int:pk>/cancel/", users.cancel, name="cancel"),
    path("queue/", staff.queue, name="queue"),
    path("orders/<int:pk>/decide/", staff.decide, name="decide"),
    path("instruments/<int:pk>/settings/", staff.instrument_settings, name="settings"),
    path("instruments/<int:pk>/closures/", staff.closure_add, name="closure_add"),
    path("closures/<int:pk>/remove/", staff.closure_remove, name="closure_remove"),
    path("instruments/<int:pk>/qualifications/", staff.qualification_grant, name="qualification_grant"),
    path("qualifications/<int:pk>/revoke/", staff.qualification_revoke, name="qualification_revoke"),
]
