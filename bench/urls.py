"""The site's URLs plus the benchmark's two reference views (never mounted in the site).

The site's patterns are added as they are, not through include(): they use i18n_patterns,
which Django allows only in a root URL configuration."""

from django.urls import path

from bench.baseline import baseline_list, trivial
from config.urls import handler500  # noqa: F401 (the site's error page)
from config.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path("bench/trivial/", trivial),
    path("bench/baseline/", baseline_list),
    *site_urlpatterns,
]
