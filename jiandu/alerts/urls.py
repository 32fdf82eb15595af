from django.urls import path

from jiandu.accounts import grant_views
from jiandu.alerts import scans, views

urlpatterns = [
    path("", views.alert_list, name="alert_list"),
    path("rules/", views.rule_list, name="rule_list"),
    path("scans/", scans.scan_list, name="scan_list"),
    path("scans/<int:pk>/", scans.scan_detail, name="scan_detail"),
    path("scans/<int:pk>/progress/", scans.scan_progress_json, name="scan_progress"),
    path("<int:pk>/", views.alert_detail, name="alert_detail"),
    path("<int:pk>/act/", views.alert_action, name="alert_action"),
    path("<int:pk>/need-to-know/", grant_views.alert_need_to_know, name="alert_need_to_know"),
]
