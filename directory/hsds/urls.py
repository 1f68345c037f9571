"""/api/hsds/: the HSDS 3.0 API (included from config/urls.py). Paths as in HSDS's openapi.json."""

from django.urls import path

from directory.hsds import api

app_name = "hsds"

urlpatterns = [
    path("", api.meta, name="meta"),
    path("openapi.json", api.openapi, name="openapi"),
    path("services", api.service_list, name="service_list"),
    path("services/<str:id>", api.service_detail, name="service_detail"),
    path("organizations", api.organization_list, name="organization_list"),
    path("organizations/<str:id>", api.organization_detail, name="organization_detail"),
    path("taxonomies", api.taxonomy_list, name="taxonomy_list"),
    path("taxonomies/<str:id>", api.taxonomy_detail, name="taxonomy_detail"),
    path("taxonomy_terms", api.taxonomy_term_list, name="taxonomy_term_list"),
    path("taxonomy_terms/<str:id>", api.taxonomy_term_detail, name="taxonomy_term_detail"),
]
