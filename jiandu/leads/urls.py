from django.urls import path

from jiandu.accounts import grant_views
from jiandu.leads import views, views_disclosure, views_stats, views_transfers

urlpatterns = [
    path("", views.lead_list, name="lead_list"),
    path("new/", views.lead_new, name="lead_new"),
    path("stats/", views_stats.lead_stats, name="lead_stats"),
    path("transfers/", views_transfers.transfer_list, name="lead_transfers"),
    path("send/", views_transfers.transfer_in, name="lead_send"),
    path("transfers/<int:pk>/receive/", views_transfers.transfer_sign, name="lead_transfer_receive"),
    path("transfers/<int:pk>/feedback/", views_transfers.transfer_answer, name="lead_transfer_feedback"),
    path("from/<str:table>/<int:rid>/", views.lead_from_registry, name="lead_from_registry"),
    path("person/<str:id_number>/", views.person_leads, name="lead_person"),
    path("disclosures/", views_disclosure.disclosure_list, name="lead_disclosures"),
    path("disclosures/<int:pk>/decide/", views_disclosure.disclosure_decision, name="lead_disclosure_decide"),
    path("<int:pk>/reporter/", views_disclosure.reporter_show, name="lead_reporter"),
    path("<int:pk>/reporter/request/", views_disclosure.reporter_request, name="lead_reporter_request"),
    path("<int:pk>/", views.lead_detail, name="lead_detail"),
    path("<int:pk>/way/", views.lead_way, name="lead_way"),
    path("<int:pk>/step/", views.lead_step, name="lead_step"),
    path("<int:pk>/conclude/", views.lead_close, name="lead_conclude"),
    path("<int:pk>/transfer/", views_transfers.transfer_send, name="lead_transfer"),
    path("<int:pk>/need-to-know/", grant_views.lead_need_to_know, name="lead_need_to_know"),
]
