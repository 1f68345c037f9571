"""Small helpers that build rows for tests."""

from itertools import count

from django.utils.text import slugify

from articles.models import Article, Topic
from directory.models import Center, CenterTreatment, Location, Treatment
from directory.search.index import centers_refresh_search

_serial = count(1)


def make_center(
    *,
    name: str | None = None,
    city: str = "Jacksonville",
    state: str = "FL",
    zip_code: str = "32207",
    latitude: float = 30.2908,
    longitude: float = -81.6321,
    treatments: tuple[str, ...] = ("tms",),
    status: str = Center.Status.PUBLISHED,
    **fields,
) -> Center:
    n = next(_serial)
    name = name or f"Test Center {n}"
    center = Center.objects.create(
        name=name,
        slug=fields.pop("slug", slugify(f"{name}-{n}")),
        status=status,
        phone=fields.pop("phone", "(904) 555-0100"),
        **fields,
    )
    Location.objects.create(
        center=center,
        street1=f"{n} Main Street",
        city=city,
        state=state,
        zip=zip_code,
        latitude=latitude,
        longitude=longitude,
    )
    for slug in treatments:
        CenterTreatment.objects.create(center=center, treatment=Treatment.objects.get(slug=slug))
    centers_refresh_search(center_ids=[center.pk])
    return center


def make_article(*, title: str = "A test article", status: str = Article.Status.PUBLISHED, **fields) -> Article:
    topic = fields.pop("topic", None) or Topic.objects.first()
    return Article.objects.create(
        title=title,
        slug=fields.pop("slug", slugify(title)),
        topic=topic,
        summary=fields.pop("summary", "A summary."),
        body=fields.pop("body", "## First part\n\nSome text.\n\n## Second part\n\nMore text."),
        status=status,
        **fields,
    )
