from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

api = [
    path("", include("submissions.api.urls")),
    path("", include("jury.api.urls")),
    path("", include("scoring.api.urls")),
    path("", include("scoring.api.results_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
]

urlpatterns = [
    path("api/v1/", include(api)),
    path("admin/", admin.site.urls),
    path("accounts/", include("frontend.account_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("frontend.urls")),
]

# A request refused while it is read (too big, a file named "..") answers the API's JSON error.
handler400 = "submissions.api.errors.bad_request"
