from django.urls import path

from .views import orders, staff, users

app_name = "booking"

urlpatterns = [
    path("", users.my_orders, name="home"),
    path("mine/", users.my_orders, name="mine"),
    path("inbox/", users.inbox, name="inbox"),
    path("instruments/<int:pk>/", users.instrument_calendar, name="instrument"),
    path("instruments/<int:pk>/availability/", users.availability, name="availability"),
    path("instruments/<int:pk>/recurring/", users.recurring_booking, name="recurring"),
    path("instruments/<int:pk>/samples/", orders.sample_order, name="samples"),
    path("orders/<int:pk>/", orders.order_detail, name="order"),
    path("orders/<int:pk>/cancel/", users.cancel, name="cancel"),
    path("orders/<int:pk>/complete/", orders.complete, name="complete"),
    path("orders/<int:pk>/documents/", orders.upload, name="upload"),
    path("documents/<int:pk>/", orders.download, name="download"),
    path("feeds/", orders.feeds_page, name="feeds"),
    path("feeds/renew/", orders.feeds_renew, name="feeds_renew"),
    path("feeds/<str:token>/bookings.ics", orders.feed_mine, name="feed_mine"),
    path("feeds/<str:token>/instruments/<int:pk>.ics", orders.feed_instrument, name="feed_instrument"),
    path("queue/", staff.queue, name="queue"),
    path("orders/<int:pk>/decide/", staff.decide, name="decide"),
    path("instruments/<int:pk>/settings/", staff.instrument_settings, name="settings"),
    path("instruments/<int:pk>/fees/", staff.fee_settings, name="fees"),
    path("preferences/", staff.preferences, name="platform_preferences"),
    path("units/<int:unit_pk>/preferences/", staff.preferences, name="preferences"),
    path("instruments/<int:pk>/closures/", staff.closure_add, name="closure_add"),
    path("closures/<int:pk>/remove/", staff.closure_remove, name="closure_remove"),
    path("instruments/<int:pk>/qualifications/", staff.qualification_grant, name="qualification_grant"),
    path("qualifications/<int:pk>/revoke/", staff.qualification_revoke, name="qualification_revoke"),
    path("orders/<int:pk>/<slug:action>/", orders.act, name="act"),
]
