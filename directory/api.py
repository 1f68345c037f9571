"""The JSON API: the listing's search as data. /api/centers/ takes exactly the listing's
parameters (the same FilterSet) and /api/centers/<slug>/ gives one center. Unlike the
page, which uses what it can, the API answers 400 naming every parameter it cannot use."""

from urllib.parse import urlencode

from django.http import Http404, JsonResponse
from django.views.decorators.http import require_GET

from directory.models import Center
from directory.search.params import CenterFilterSet
from directory.search.query import MAX_PAGE, ResultRow, page_number, queryset_page, search_page

PARAMETERS = [*CenterFilterSet.base_filters, "page"]


def _date(value) -> str | None:
    return value.isoformat() if value else None


def center_data(row: ResultRow, request) -> dict:
    """One center as the API shows it, from a row of directory/search/query.py."""
    return {
        "id": row.id,
        "slug": row.slug,
        "name": row.name,
        "url": request.build_absolute_uri(f"/centers/{row.slug}/"),
        "distance_miles": None if row.distance_miles is None else round(row.distance_miles, 2),
        "treatments": [offer.term.slug for offer in row.offers],
        "accepting_new_patients": row.accepting_new_patients,
        "accepting_checked_on": _date(row.accepting_checked_on),
        "last_verified_on": _date(row.last_verified_on),
        # Who billed Medicare for TMS, ECT or esketamine here, by treatment and year (directory/medicare/).
        "medicare_evidence": row.medicare_evidence,
        "locations": [
            {
                "street": ", ".join(part for part in [location.street1, location.street2] if part),
                "city": location.city,
                "state": location.state,
                "zip": location.zip,
                "latitude": location.latitude,
                "longitude": location.longitude,
                "phone": location.phone or row.phone,
            }
            for location in row.locations
        ],
    }


def _page_url(request, number: int) -> str:
    params = [(key, value) for key, values in request.GET.lists() if key != "page" for value in values]
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
        return JsonResponse({"errors": errors}, status=400)
    try:
        page = search_page(search.criteria, number=number, vocabulary=search.vocabulary).page
    except Http404:
        return JsonResponse({"detail": "No such page: it is past the last page of results."}, status=404)
    return JsonResponse(
        {
            "count": page.paginator.count,
            "next": _page_url(request, page.next_page_number()) if page.has_next() else None,
            "previous": _page_url(request, page.previous_page_number()) if page.has_previous() else None,
            "results": [center_data(row, request) for row in page],
        }
    )


@require_GET
def center_detail(request, slug: str):
    centers = Center.objects.visible().filter(slug=slug)
    page = queryset_page(centers, number=1)
    if not page.object_list:
        return JsonResponse({"detail": "No such center."}, status=404)
    row = page[0]
    center = centers.only("website", "description").get()
    data = center_data(row, request)
    data.update(
        {
            "status": row.status,
            "phone": row.phone,
            "website": center.website,
            "description": center.description,
            "treatment_details": [
                {
                    "treatment": offer.term.slug,
                    "details": offer.detail_labels,
                    "self_pay_price": None if offer.self_pay_price is None else str(offer.self_pay_price),
                    "price_unit": offer.price_unit,
                }
                for offer in row.offers
            ],
        }
    )
    return JsonResponse(data)
