"""Titles and structured data for search engines: schema.org JSON-LD for centers, the
phrases used in page titles, and the link from a closed center to nearby alternatives."""

import json
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from directory.models import Center, Location, Treatment

# How people search for each treatment, for titles like "TMS therapy in Jacksonville, FL".
TREATMENT_PHRASES = {
    "tms": _("TMS therapy"),
    "ketamine": _("Ketamine infusion therapy"),
    "esketamine": _("Spravato (esketamine) treatment"),
    "ect": _("ECT"),
    "vns": _("VNS therapy"),
    "psychedelic": _("Psychedelic-assisted therapy"),
    "cbt": _("CBT"),
    "ipt": _("Interpersonal therapy"),
    "dbt": _("DBT"),
    "medication-management": _("Psychiatric medication management"),
}

# As django.utils.html.json_script does: nothing in the data can close the script element.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def treatment_phrase(treatment: Treatment) -> str:
    return str(TREATMENT_PHRASES.get(treatment.slug, treatment.name))


def json_ld_script(data: dict) -> SafeString:
    """A <script type="application/ld+json"> element whose content cannot break out of it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 (escaped above)


def center_json_ld(center: Center, locations: list[Location], request) -> SafeString:
    """schema.org MedicalClinic for a center page, built from a dict."""
    addresses = [
        {
            "@type": "PostalAddress",
            "streetAddress": ", ".join(part for part in [location.street1, location.street2] if part),
            "addressLocality": location.city,
            "addressRegion": location.state,
            "postalCode": location.zip,
            "addressCountry": "US",
        }
        for location in locations
    ]
    data: dict = {
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "name": center.name,
        "url": request.build_absolute_uri(center.get_absolute_url()),
        "medicalSpecialty": "Psychiatric",
        "availableService": [
            {"@type": "MedicalTherapy", "name": offer.treatment.name} for offer in center.treatment_details.all()
        ],
    }
    description = center.description_es if get_language() == "es" and center.description_es else center.description
    if description:
        data["description"] = description
    if center.phone:
        data["telephone"] = center.phone
    if center.website:
        data["sameAs"] = center.website
    if addresses:
        data["address"] = addresses[0] if len(addresses) == 1 else addresses
        first = locations[0]
        data["geo"] = {"@type": "GeoCoordinates", "latitude": first.latitude, "longitude": first.longitude}
    return json_ld_script(data)


def alternatives_url(center: Center, locations: list[Location]) -> str:
    """A search near this center for centers offering the same treatments."""
    params = [("near", locations[0].zip[:5])] if locations else []
    params += [("treatment", offer.treatment.slug) for offer in center.treatment_details.all()]
    return reverse("directory:center_list") + "?" + urlencode(params)
