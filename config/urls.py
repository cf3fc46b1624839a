from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from frontend.views.language import set_language

api = [
    path("", include("submissions.api.urls")),
    path("", include("jury.api.urls")),
    path("", include("scoring.api.urls")),
    path("", include("scoring.api.results_urls")),
    path("", include("scoring.api.deliberation_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file of its own: no inline script, so
    # our Content-Security-Policy (script-src 'self') lets Swagger UI run.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
]

urlpatterns = [
    path("api/v1/", include(api)),
    path("admin/", admin.site.urls),
    path("accounts/", include("frontend.account_urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("frontend.urls")),
]

# A request refused while it is read (too big, a file named "..") answers the API's JSON error.
handler400 = "submissions.api.errors.bad_request"
