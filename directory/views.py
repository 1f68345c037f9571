from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from articles.models import Article
from directory.hsds import LICENSE, latest_export
from directory.models import Center, Location, Treatment


def home(request):
    return render(
        request,
        "directory/home.html",
        {
            "treatments": Treatment.objects.all(),
            "articles": Article.objects.published().select_related("topic")[:6],
        },
    )


def center_list(request):
    centers = Center.objects.published().prefetch_related("locations", "treatments")
    return render(request, "directory/center_list.html", {"centers": centers[:20], "count": centers.count()})


def center_detail(request, slug: str):
    center = get_object_or_404(
        Center.objects.visible().prefetch_related(
            "locations",
            "treatment_details__treatment",
            "care_settings",
            "payment_options",
            "age_groups",
            "languages",
            "crisis_services",
        ),
        slug=slug,
    )
    return render(request, "directory/center_detail.html", {"center": center})


def city(request, state: str, city: str):
    centers = Center.objects.published().in_city(state, city).prefetch_related("locations", "treatments")
    location = Location.objects.filter(state__iexact=state, city_slug=city).first()
    if location is None:
        raise Http404("No such city in the directory.")
    return render(
        request,
        "directory/center_list.html",
        {"centers": centers, "count": centers.count(), "place": f"{location.city}, {location.state}"},
    )


def treatment_list(request):
    return render(request, "directory/treatment_list.html", {"treatments": Treatment.objects.all()})


def treatment_detail(request, slug: str):
    treatment = get_object_or_404(Treatment, slug=slug)
    return render(request, "directory/treatment_detail.html", {"treatment": treatment})


def treatment_city(request, slug: str, state: str, city: str):
    treatment = get_object_or_404(Treatment, slug=slug)
    centers = Center.objects.published().offering(slug).in_city(state, city).prefetch_related("locations", "treatments")
    return render(
        request,
        "directory/center_list.html",
        {"centers": centers, "count": centers.count(), "treatment": treatment},
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
