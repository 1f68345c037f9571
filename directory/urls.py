from django.urls import path, register_converter

from directory import api, views
from directory.listings import portal
from directory.listings import views as listing_views
from directory.outreach import views as outreach_views

app_name = "directory"


class StateConverter:
    """A state or territory in a city page's URL: two letters (the view redirects capitals to lower case)."""

    regex = "[A-Za-z]{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(StateConverter, "state")

urlpatterns = [
    path("", views.home, name="home"),
    path("centers/", views.center_list, name="center_list"),
    path("shortlist/", views.shortlist, name="shortlist"),
    path("centers/<slug:slug>/", views.center_detail, name="center_detail"),
    # Before the city pattern, which would otherwise take "<slug>/ask" for a state and a city.
    path("centers/<slug:slug>/ask/", outreach_views.center_ask, name="center_ask"),
    path("centers/<slug:slug>/ask/sent/", outreach_views.center_ask_sent, name="center_ask_sent"),
    path("centers/<slug:slug>/report/", outreach_views.center_report, name="center_report"),
    path("centers/<slug:slug>/report/sent/", outreach_views.center_report_sent, name="center_report_sent"),
    path("centers/<slug:slug>/claim/", listing_views.center_claim, name="center_claim"),
    path("centers/<slug:slug>/claim/sent/", listing_views.center_claim_sent, name="center_claim_sent"),
    path("centers/<state:state>/<slug:city>/", views.city, name="city"),
    path("treatments/", views.treatment_list, name="treatment_list"),
    path("treatments/<slug:slug>/", views.treatment_detail, name="treatment_detail"),
    path("treatments/<slug:slug>/<state:state>/<slug:city>/", views.treatment_city, name="treatment_city"),
    path("list-your-center/", listing_views.list_your_center, name="list_your_center"),
    path("list-your-center/sent/", listing_views.list_your_center_sent, name="list_your_center_sent"),
    # Center representatives (directory/listings/portal.py) and the links e-mailed to them.
    path("for-centers/", portal.portal, name="portal"),
    path("for-centers/sign-in/", listing_views.representative_sign_in_request, name="representative_sign_in"),
    path("for-centers/sign-in/sent/", listing_views.representative_sign_in_sent, name="representative_sign_in_sent"),
    path("for-centers/sign-in/<str:token>/", listing_views.representative_link, name="representative_link"),
    path("for-centers/sign-out/", portal.portal_sign_out, name="portal_sign_out"),
    path("for-centers/claims/confirm/<str:token>/", listing_views.claim_confirm, name="claim_confirm"),
    path("for-centers/claims/code/<str:token>/", listing_views.claim_code, name="claim_code"),
    path("for-centers/checkup/<str:token>/", listing_views.checkup, name="checkup"),
    path("for-centers/centers/<int:center_id>/", portal.portal_center, name="portal_center"),
    path("for-centers/centers/<int:center_id>/availability/", portal.portal_availability, name="portal_availability"),
    path("for-centers/centers/<int:center_id>/propose/", portal.portal_propose, name="portal_propose"),
    path(
        "for-centers/centers/<int:center_id>/inquiries/<int:inquiry_id>/",
        portal.portal_inquiry,
        name="portal_inquiry",
    ),
    path("privacy/", views.privacy, name="privacy"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/download/", views.open_data_download, name="open_data_download"),
    path("api/centers/", api.center_list, name="api_center_list"),
    path("api/centers/<slug:slug>/", api.center_detail, name="api_center_detail"),
]
