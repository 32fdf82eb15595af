from django.urls import path

from jiandu.entities import views

urlpatterns = [
    path("", views.review_queue, name="review_queue"),
    path("<int:pk>/decide/", views.review_decide, name="review_decide"),
]
