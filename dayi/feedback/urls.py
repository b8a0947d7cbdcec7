from django.urls import path

from .views import complaints, orders

app_name = "feedback"

urlpatterns = [
    path("orders/<int:pk>/", orders.order_page, name="order"),
    path("orders/<int:pk>/review/", orders.review, name="review"),
    path("orders/<int:pk>/outcomes/", orders.outcome_add, name="outcome_add"),
    path("outcomes/", orders.outcome_list, name="outcomes"),
    path("outcomes/<int:pk>/remove/", orders.outcome_remove, name="outcome_remove"),
    path("instruments/<int:pk>/reviews/", orders.instrument_reviews, name="instrument_reviews"),
    path("complaints/", complaints.mine, name="my_complaints"),
    path("complaints/new/", complaints.new, name="complaint_new"),
    path("complaints/<int:pk>/", complaints.detail, name="complaint"),
    path("complaints/<int:pk>/act/", complaints.act, name="complaint_act"),
    path("complaints/unit/", complaints.about_my_units, name="unit_complaints"),
    path("complaints/queue/", complaints.queue, name="queue"),
    path("complaints/queue/escalate/", complaints.escalate_overdue, name="escalate_overdue"),
]
