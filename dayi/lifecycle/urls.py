from django.urls import path

from .views import review, units

app_name = "lifecycle"

urlpatterns = [
    path("mine/", units.my_instruments, name="my_instruments"),
    path("mine/new/", units.instrument_create, name="instrument_create"),
    path("mine/<int:pk>/", units.instrument_edit, name="instrument_edit"),
    path("mine/<int:pk>/photos/", units.photo_add, name="photo_add"),
    path("mine/photos/<int:pk>/remove/", units.photo_remove, name="photo_remove"),
    path("mine/<int:pk>/submit/", units.submit, name="submit"),
    path("review/", review.review_queue, name="review_queue"),
    path("review/<int:pk>/", review.review, name="review"),
]
