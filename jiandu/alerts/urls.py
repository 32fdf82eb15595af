from django.urls import path

from jiandu.accounts import grant_views
from jiandu.alerts import views

urlpatterns = [
    path("", views.alert_list, name="alert_list"),
    path("rules/", views.rule_list, name="rule_list"),
    path("<int:pk>/", views.alert_detail, name="alert_detail"),
    path("<int:pk>/act/", views.alert_action, name="alert_action"),
    path("<int:pk>/need-to-know/", grant_views.alert_need_to_know, name="alert_need_to_know"),
]
