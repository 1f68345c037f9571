"""The site's URLs plus the benchmark's two reference views (never mounted in the site)."""

from django.urls import include, path

from bench.baseline import baseline_list, trivial

urlpatterns = [
    path("bench/trivial/", trivial),
    path("bench/baseline/", baseline_list),
    path("", include("config.urls")),
]
