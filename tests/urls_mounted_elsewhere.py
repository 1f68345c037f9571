"""The site's URLs under /elsewhere/, for tests/test_cached_urls.py."""

from django.urls import include, path

urlpatterns = [path("elsewhere/", include("config.urls"))]
