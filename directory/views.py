from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import get_language

from articles.models import Article, ArticleTranslation
from directory import seo
from directory.center_page import CENTER_PAGE_NAMES, center_page_context
from directory.fragments import center_version, lazy_context, listings_version
from directory.hsds.export import LICENSE, latest_export
from directory.models import Center, CenterTreatment, Location, Treatment
from directory.search.page import SearchPage, listing_search, no_results, place_needed
from directory.search.query import page_number, queryset_page, search_page
from directory.search.vocabulary import vocabulary_load
from directory.shortlist import shortlist_centers, shortlist_questions, shortlist_slugs

# Our own script asks for the results alone when a filter changes (static/js/search.js).
PARTIAL_HEADER = "X-Requested-With"
PARTIAL_VALUE = "search-results"


def home(request):
    articles = Article.objects.published().select_related("topic")
    if get_language() != settings.LANGUAGE_CODE:
        # On a page in another language, the articles translated into it come first.
        articles = articles.in_language_first(get_language())
    return render(
        request,
        "directory/home.html",
        {"treatments": Treatment.objects.all(), "articles": articles[:6]},
    )


def center_list(request):
    search, corrected_from = listing_search(request.GET)
    if search.place and search.place.from_device and request.GET.get("near") != search.place.rounded_position:
        # A position finer than about 1 km (not from our own button): answer with the rounded address only.
        query = request.GET.copy()
        query["near"] = search.place.rounded_position
        response = redirect(f"{request.path}?{query.urlencode()}")
        add_never_cache_headers(response)
        return response
    number = page_number(request.GET.get("page"))
    if place_needed(search):
        results = no_results()
    else:
        results = search_page(search.criteria, number=number or 1, vocabulary=search.vocabulary)
    page = SearchPage(request, search, results, page_was_valid=number is not None, corrected_from=corrected_from)
    context = {"search": page}
    partial = request.headers.get(PARTIAL_HEADER) == PARTIAL_VALUE
    response = render(request, "directory/center_list.html" + ("#results" if partial else ""), context)
    patch_vary_headers(response, [PARTIAL_HEADER])
    if page.place and page.place.from_device:
        # A position from "Use my location" is used for this answer only: no shared cache keeps it.
        add_never_cache_headers(response)
    return response


def center_detail(request, slug: str):
    center = get_object_or_404(Center.objects.visible(), slug=slug)
    # Most of the page is kept rendered ({% cache %} in the template, under the center's
    # version): what it shows is read from the database only when it is drawn.
    context = lazy_context(lambda: center_page_context(center, request), CENTER_PAGE_NAMES)
    return render(
        request,
        "directory/center_detail.html",
        {"center": center, "fragment_version": center_version(center), **context},
    )


def _city_or_404(state: str, city_slug: str) -> tuple[str, str]:
    """The city's name as the listings spell it, and its state, if a published center is there."""
    location = (
        Location.objects.filter(state=state.upper(), city_slug=city_slug, center__status=Center.Status.PUBLISHED)
        .values("city", "state")
        .first()
    )
    if location is None:
        raise Http404("No published center in this city.")
    return location["city"], location["state"]


def city(request, state: str, city: str):
    if state != state.lower() or city != city.lower():
        return redirect("directory:city", state.lower(), city.lower(), permanent=True)
    city_name, state_code = _city_or_404(state, city)
    number = page_number(request.GET.get("page"))
    if number is None:
        raise Http404("No such page.")

    def lists() -> dict:
        centers = Center.objects.published().in_city(state_code, city)
        offered = (
            Treatment.objects.filter(center_details__center__in=centers.values("pk"))
            .annotate(center_count=Count("center_details"))
            .order_by("sort_order")
        )
        return {"page": queryset_page(centers.order_by("name", "pk"), number=number), "offered": offered}

    return render(
        request,
        "directory/city.html",
        {
            # The page is kept rendered under the listings' version (city.html): read only when drawn.
            "fragment_version": listings_version(),
            **lazy_context(lists, ("page", "offered")),
            "city_name": city_name,
            "state_code": state_code,
            "state_slug": state,
            "city_slug": city,
            "place_text": f"{city_name}, {state_code}",
        },
    )


def treatment_list(request):
    treatments = Treatment.objects.annotate(
        center_count=Count("center_details", filter=Q(center_details__center__status=Center.Status.PUBLISHED))
    )
    groups: dict[str, list[Treatment]] = {}
    for treatment in treatments:
        groups.setdefault(treatment.get_category_display(), []).append(treatment)
    return render(request, "directory/treatment_list.html", {"groups": groups})


def treatment_detail(request, slug: str):
    treatment = get_object_or_404(Treatment, slug=slug)
    article = (
        Article.objects.published().filter(slug=treatment.guide_slug).only("title", "slug", "summary").first()
        if treatment.guide_slug
        else None
    )
    more_articles = (
        Article.objects.published().about_treatment(treatment).exclude(slug=treatment.guide_slug).only("title", "slug")
    )
    if get_language() != settings.LANGUAGE_CODE:  # their titles in the page's language where translated
        more_articles = more_articles.prefetch_related(
            Prefetch("translations", queryset=ArticleTranslation.objects.filter(language=get_language()))
        )
    offers = CenterTreatment.objects.filter(treatment=treatment, center__status=Center.Status.PUBLISHED)
    cities = (
        Location.objects.filter(center__in=offers.values("center"))
        .values("state", "city_slug", "city")
        .annotate(center_count=Count("center", distinct=True))
        .order_by("state", "city_slug")
    )
    by_state: dict[str, list[dict]] = {}
    for row in cities:
        by_state.setdefault(row["state"], []).append(row)
    return render(
        request,
        "directory/treatment_detail.html",
        {
            "treatment": treatment,
            "title_phrase": seo.treatment_phrase(treatment),
            "article": article,
            "more_articles": more_articles,
            "center_count": offers.count(),
            "cities_by_state": by_state,
        },
    )


def treatment_city(request, slug: str, state: str, city: str):
    if state != state.lower() or city != city.lower():
        return redirect("directory:treatment_city", slug, state.lower(), city.lower(), permanent=True)
    if slug not in vocabulary_load().slugs("treatment"):
        raise Http404("No such treatment.")
    city_name, state_code = _city_or_404(state, city)
    number = page_number(request.GET.get("page"))
    if number is None:
        raise Http404("No such page.")

    def lists() -> dict:
        treatment = get_object_or_404(Treatment, slug=slug)
        centers = Center.objects.published().in_city(state_code, city).offering(slug).order_by("name", "pk")
        return {
            "treatment": treatment,
            "title_phrase": seo.treatment_phrase(treatment),
            "page": queryset_page(centers, number=number),
        }

    return render(
        request,
        "directory/treatment_city.html",
        {
            # The page is kept rendered under the listings' version (treatment_city.html): read only when drawn.
            "fragment_version": listings_version(),
            **lazy_context(lists, ("treatment", "title_phrase", "page")),
            "city_name": city_name,
            "state_code": state_code,
            "state_slug": state,
            "city_slug": city,
            "place_text": f"{city_name}, {state_code}",
        },
    )


def privacy(request):
    return render(request, "pages/privacy.html")


def open_data(request):
    return render(request, "directory/open_data.html", {"export": latest_export(), "license": LICENSE})


def open_data_download(request):
    export = latest_export()
    if export is None:
        raise Http404("No open data export has been published yet.")
    filename = f"depression-treatment-centers-hsds-{export['created']:%Y-%m-%d}.zip"
    return FileResponse(open(export["zip_path"], "rb"), as_attachment=True, filename=filename)


def shortlist(request):
    """The centers of a shortlist, from its address (directory/shortlist.py): a sheet to print or share."""
    slugs = shortlist_slugs(request.GET.get("centers", ""))
    centers = shortlist_centers(slugs)
    return render(
        request,
        "directory/shortlist.html",
        {
            "centers": centers,
            "missing": len(slugs) - len(centers),
            "questions": shortlist_questions() if centers else [],
        },
    )
