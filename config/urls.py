from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from articles.views import self_check
from config.sitemaps import SITEMAPS

urlpatterns = [
    path("admin/", admin.site.urls),
    path("guide/", include("articles.urls")),
    path("self-check/", self_check, name="self_check"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain"), name="robots"),
    path("", include("directory.urls")),
]
