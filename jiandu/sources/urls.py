from django.urls import path

from jiandu.sources import api, views

urlpatterns = [
    path("deliveries/", views.delivery_list, name="delivery_list"),
    path("deliveries/upload/", views.delivery_upload, name="delivery_upload"),
    path("deliveries/templates/", views.template_list, name="template_list"),
    path("deliveries/templates/<str:table>.xlsx", views.template_download, name="template_download"),
    path("deliveries/<int:pk>/", views.delivery_detail, name="delivery_detail"),
    path("deliveries/<int:pk>/retry/", views.delivery_retry_view, name="delivery_retry"),
    path("deliveries/<int:pk>/progress/", views.delivery_progress_json, name="delivery_progress"),
    path("deliveries/<int:pk>/errors.<str:kind>", views.delivery_errors, name="delivery_errors"),
    path("api/v1/deliveries/", api.DeliveryCreate.as_view(), name="api_delivery_create"),
    path("api/v1/deliveries/<int:pk>/", api.DeliveryRead.as_view(), name="api_delivery_read"),
    path("api/schema/", api.schema_view, name="api_schema"),
]
