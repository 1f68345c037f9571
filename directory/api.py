"""The JSON API: the listing's search as data. /api/centers/ takes exactly the listing's
parameters (the same FilterSet) and /api/centers/<slug>/ gives one center. Unlike the
page, which uses what it can, the API answers 400 naming every parameter it cannot use."""

from urllib.parse import urlencode

from django.http import Http404, JsonResponse
from django.views.decorators.http import require_GET

from directory.filters import CenterFilterSet
from directory.listing import CARD_FIELDS, MAX_PAGE, card_queryset, center_prepare_card, page_number, results_page
from directory.models import Center

PARAMETERS = [*CenterFilterSet.base_filters, "page"]


def _date(value) -> str | None:
    return value.isoformat() if value else None


def center_data(center: Center, request) -> dict:
    """One center as the API shows it; `center` went through center_prepare_card()."""
    return {
        "id": center.pk,
        "slug": center.slug,
        "name": center.name,
        "url": request.build_absolute_uri(center.get_absolute_url()),
        "distance_miles": None if center.distance_miles is None else round(center.distance_miles, 2),
        "treatments": [offer.treatment.slug for offer in center.offers],
        "accepting_new_patients": center.accepting_new_patients,
        "accepting_checked_on": _date(center.accepting_checked_on),
        "last_verified_on": _date(center.last_verified_on),
        "locations": [
            {
                "street": ", ".join(part for part in [location.street1, location.street2] if part),
                "city": location.city,
                "state": location.state,
                "zip": location.zip,
                "latitude": location.latitude,
                "longitude": location.longitude,
                "phone": location.phone or center.phone,
            }
            for location in center.sorted_locations
        ],
    }


def _errors(errors: dict[str, list[str]], status: int = 400) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=status)


def _page_url(request, number: int) -> str:
    params = [(key, value) for key, value in request.GET.lists() if key != "page" for value in value]
    if number > 1:
        params.append(("page", str(number)))
    query = urlencode(params)
    return request.build_absolute_uri(request.path + (f"?{query}" if query else ""))


@require_GET
def center_list(request):
    errors: dict[str, list[str]] = {}
    for name in request.GET:
        if name not in PARAMETERS:
            errors[name] = [f"Unknown parameter. Known parameters: {', '.join(PARAMETERS)}."]
    search = CenterFilterSet(request.GET)
    errors.update({name: [str(message) for message in messages] for name, messages in search.errors.items()})
    number = page_number(request.GET.get("page"))
    if number is None or number > MAX_PAGE:
        errors["page"] = ["The page must be a whole number from 1."]
    if errors:
        return _errors(errors)
    try:
        page = results_page(search.qs, number=number, place=search.place)
    except Http404:
        return JsonResponse({"detail": "No such page: it is past the last page of results."}, status=404)
    return JsonResponse(
        {
            "count": page.count,
            "next": _page_url(request, page.next_page_number) if page.has_next else None,
            "previous": _page_url(request, page.previous_page_number) if page.has_previous else None,
            "results": [center_data(center, request) for center in page.centers],
        }
    )


@require_GET
def center_detail(request, slug: str):
    center = (
        card_queryset(Center.objects.visible()).only(*CARD_FIELDS, "website", "description").filter(slug=slug).first()
    )
    if center is None:
        return JsonResponse({"detail": "No such center."}, status=404)
    center_prepare_card(center, place=None)
    data = center_data(center, request)
    data.update(
        {
            "status": center.status,
            "phone": center.phone,
            "website": center.website,
            "description": center.description,
            "treatment_details": [
                {
                    "treatment": offer.treatment.slug,
                    "details": offer.detail_labels,
                    "self_pay_price": None if offer.self_pay_price is None else str(offer.self_pay_price),
                    "price_unit": offer.price_unit,
                }
                for offer in center.offers
            ],
        }
    )
    return JsonResponse(data)
