"""A URL configuration where the listing lives elsewhere, for tests/test_cached_urls.py."""

from django.urls import include, path

from directory import views

urlpatterns = [path("elsewhere/", include(([path("centers/", views.center_list, name="center_list")], "directory")))]
