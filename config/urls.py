from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView, TemplateView

from articles.views import self_check
from config.health import healthz
from config.sitemaps import SITEMAPS

# A database outage met outside a view still answers 503 with crisis help (config/health.py).
handler500 = "config.health.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("healthz", healthz, name="healthz"),
    path("api/hsds/", include("directory.hsds.urls")),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin): answer, don't 404.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("img/favicon.svg"), permanent=True)),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain"), name="robots"),
] + i18n_patterns(
    # The public pages, in English at today's URLs and in Spanish under /es/.
    path("guide/", include("articles.urls")),
    path("self-check/", self_check, name="self_check"),
    path("", include("directory.urls")),
    prefix_default_language=False,
)
