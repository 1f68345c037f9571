"""What the benchmark compares against, mounted only by the benchmark (bench/urls.py).

`baseline_list` is the straightforward implementation of the same search that the issue
sets as the bar: a bounding box and haversine in the ORM, prefetch_related, Paginator and
one plain template. `trivial` is the floor: a view that does nothing, through the same
middleware, so that each result can be read as a multiple of the framework's own cost.
"""

import math

from django.core.paginator import Paginator
from django.db.models import F, FloatField, Min, Value
from django.db.models.functions import ASin, Cos, Least, Radians, Sin, Sqrt
from django.http import HttpResponse
from django.template import engines

from directory import geo
from directory.models import Center

TEMPLATE = engines["django"].from_string(
    """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Centers</title></head><body>
<h1>{{ page.paginator.count }} centers</h1>
{% for center in page %}<article>
  <h2><a href="{{ center.get_absolute_url }}">{{ center.name }}</a></h2>
  {% if center.distance is not None %}<p>{{ center.distance|floatformat:1 }} mi</p>{% endif %}
  {% for location in center.locations.all %}
    <p>{{ location.street1 }}, {{ location.city }}, {{ location.state }} {{ location.zip }}</p>
  {% endfor %}
  <p>{% for treatment in center.treatments.all %}{{ treatment.short_name }} {% endfor %}</p>
  <p><a href="tel:{{ center.phone }}">{{ center.phone }}</a></p>
</article>{% endfor %}
{% if page.has_next %}<a href="?page={{ page.next_page_number }}">Next</a>{% endif %}
</body></html>"""
)


def haversine(latitude: float, longitude: float):
    """Miles from a point to each location, as ORM expressions."""
    half_d_lat = Sin((Radians(F("locations__latitude")) - Value(math.radians(latitude))) / 2)
    half_d_lng = Sin((Radians(F("locations__longitude")) - Value(math.radians(longitude))) / 2)
    a = half_d_lat * half_d_lat + Value(math.cos(math.radians(latitude))) * Cos(Radians(F("locations__latitude"))) * (
        half_d_lng * half_d_lng
    )
    return Value(2 * geo.EARTH_RADIUS_MILES) * ASin(Least(Value(1.0), Sqrt(a)), output_field=FloatField())


def baseline_list(request):
    centers = Center.objects.filter(status=Center.Status.PUBLISHED)
    treatments = [slug for slug in request.GET.getlist("treatment") if slug]
    if treatments:
        centers = centers.filter(treatments__slug__in=treatments)
    place = geo.find_place(request.GET.get("near", ""))
    if place:
        radius = float(request.GET.get("radius") or 25)
        min_lat, max_lat, min_lng, max_lng = geo.bounding_box(place.latitude, place.longitude, radius)
        distance = haversine(place.latitude, place.longitude)
        centers = (
            centers.filter(
                locations__latitude__range=(min_lat, max_lat), locations__longitude__range=(min_lng, max_lng)
            )
            .annotate(distance=Min(distance))
            .filter(distance__lte=radius)
            .order_by("distance", "name")
        )
    else:
        centers = centers.order_by("name")
    centers = centers.distinct().prefetch_related("locations", "treatments")
    page = Paginator(centers, 20).get_page(request.GET.get("page"))
    return HttpResponse(TEMPLATE.render({"page": page}, request))


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")
