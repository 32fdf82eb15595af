from django.urls import path

from jiandu.portraits import views

urlpatterns = [
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("search/", views.search_page, name="search"),
    path("officials/<int:pk>/", views.official_portrait, name="official_portrait"),
    path("officials/<int:pk>/graph/", views.official_graph, name="official_graph"),
    path("officials/<int:pk>/graph.json", views.official_graph_data, name="official_graph_data"),
    path("officials/<int:pk>/clearance.docx", views.official_clearance, name="official_clearance"),
    path("units/<int:pk>/", views.unit_portrait, name="unit_portrait"),
]
