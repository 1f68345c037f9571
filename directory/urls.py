from django.urls import path

from directory import views

app_name = "directory"

urlpatterns = [
    path("", views.home, name="home"),
    path("centers/", views.center_list, name="center_list"),
    path("centers/<slug:slug>/", views.center_detail, name="center_detail"),
    path("centers/<str:state>/<slug:city>/", views.city, name="city"),
    path("treatments/", views.treatment_list, name="treatment_list"),
    path("treatments/<slug:slug>/", views.treatment_detail, name="treatment_detail"),
    path("treatments/<slug:slug>/<str:state>/<slug:city>/", views.treatment_city, name="treatment_city"),
    path("privacy/", views.privacy, name="privacy"),
]
