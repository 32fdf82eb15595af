from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language

from jiandu.audit import views as audit_views
from jiandu.security import views as security_views
from jiandu.security.forms import SignInForm
from jiandu.web import recusal_views, views

GET_POST = require_http_methods(["GET", "POST"])

urlpatterns = [
    path("", views.home, name="home"),
    # Django's own views declare their methods here (ASVS 4.1.4): its form views also accept PUT.
    path(
        "login/",
        GET_POST(auth_views.LoginView.as_view(authentication_form=SignInForm)),
        name="login",
    ),
    path("logout/", require_POST(auth_views.LogoutView.as_view()), name="logout"),
    path("password/", GET_POST(auth_views.PasswordChangeView.as_view()), name="password_change"),
    path(
        "password/done/",
        require_GET(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path("account/totp/", security_views.totp_setup, name="totp_setup"),
    path("account/totp/verify/", security_views.totp_verify, name="totp_verify"),
    path("account/step-up/", security_views.step_up, name="step_up"),
    path("account/sessions/end/", security_views.sessions_end, name="sessions_end"),
    path("audit/", audit_views.access_log, name="access_log"),
    path("i18n/setlang/", require_POST(set_language), name="set_language"),
    path("recusals/", recusal_views.recusal_list, name="recusal_list"),
    path("recusals/<int:pk>/handled/", recusal_views.recusal_handle, name="recusal_handle"),
    path("alerts/", include("jiandu.alerts.urls")),
    path("review/", include("jiandu.entities.urls")),
    path("", include("jiandu.portraits.urls")),
    path("leads/", include("jiandu.leads.urls")),
    path("registry/", views.registry_index, name="registry_index"),
    path("registry/<str:table>/", views.registry_list, name="registry_list"),
    path("registry/<str:table>/<int:pk>/", views.registry_detail, name="registry_detail"),
    path("", include("jiandu.sources.urls")),
]
