from django.urls import path

from directory import api, views
from directory.listings import views as listing_views
from directory.outreach import views as outreach_views

app_name = "directory"

urlpatterns = [
    path("", views.home, name="home"),
    path("centers/", views.center_list, name="center_list"),
    path("centers/<slug:slug>/", views.center_detail, name="center_detail"),
    # Before the city pattern, which would otherwise take "<slug>/ask" for a state and a city.
    path("centers/<slug:slug>/ask/", outreach_views.center_ask, name="center_ask"),
    path("centers/<slug:slug>/ask/sent/", outreach_views.center_ask_sent, name="center_ask_sent"),
    path("centers/<slug:slug>/report/", outreach_views.center_report, name="center_report"),
    path("centers/<slug:slug>/report/sent/", outreach_views.center_report_sent, name="center_report_sent"),
    path("centers/<str:state>/<slug:city>/", views.city, name="city"),
    path("treatments/", views.treatment_list, name="treatment_list"),
    path("treatments/<slug:slug>/", views.treatment_detail, name="treatment_detail"),
    path("treatments/<slug:slug>/<str:state>/<slug:city>/", views.treatment_city, name="treatment_city"),
    path("list-your-center/", listing_views.list_your_center, name="list_your_center"),
    path("list-your-center/sent/", listing_views.list_your_center_sent, name="list_your_center_sent"),
    path("privacy/", views.privacy, name="privacy"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/download/", views.open_data_download, name="open_data_download"),
    path("api/centers/", api.center_list, name="api_center_list"),
    path("api/centers/<slug:slug>/", api.center_detail, name="api_center_detail"),
]
