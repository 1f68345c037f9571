"""/sitemap.xml: every public page a search engine should know about."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article, ArticleTranslation
from directory.models import Center, CenterTreatment, Location, Treatment


class StaticPagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self) -> list[str]:
        return ["directory:home", "directory:center_list", "directory:treatment_list", "articles:index", "self_check"]

    def location(self, item: str) -> str:
        return reverse(item)


class CenterSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return Center.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, center: Center):
        return center.updated_at


class TreatmentSitemap(Sitemap):
    def items(self):
        return Treatment.objects.all()


class CitySitemap(Sitemap):
    """/centers/<state>/<city>/ for every city with a published center."""

    changefreq = "weekly"
    limit = 5000

    def items(self):
        return (
            Location.objects.filter(center__status=Center.Status.PUBLISHED)
            .values_list("state", "city_slug")
            .distinct()
            .order_by("state", "city_slug")
        )

    def location(self, item: tuple[str, str]) -> str:
        state, city_slug = item
        return reverse("directory:city", args=[state.lower(), city_slug])


class TreatmentCitySitemap(Sitemap):
    """/treatments/<slug>/<state>/<city>/ for every treatment offered by a published center in a city."""

    changefreq = "weekly"
    limit = 5000

    def items(self):
        return (
            CenterTreatment.objects.filter(center__status=Center.Status.PUBLISHED)
            .values_list("treatment__slug", "center__locations__state", "center__locations__city_slug")
            .distinct()
            .order_by("treatment__slug", "center__locations__state", "center__locations__city_slug")
        )

    def location(self, item: tuple[str, str, str]) -> str:
        slug, state, city_slug = item
        return reverse("directory:treatment_city", args=[slug, state.lower(), city_slug])


class ArticleSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Article.objects.published().order_by("pk")

    def lastmod(self, article: Article):
        return article.updated_at


class TranslatedArticleSitemap(Sitemap):
    """The guide's articles that have a published Spanish translation (the others' /es/ pages
    show the English text and name the English page as canonical)."""

    changefreq = "monthly"

    def items(self):
        return ArticleTranslation.objects.published().filter(article__in=Article.objects.published()).order_by("pk")

    def lastmod(self, translation: ArticleTranslation):
        return translation.updated_at


ENGLISH_SITEMAPS = {
    "pages": StaticPagesSitemap,
    "centers": CenterSitemap,
    "treatments": TreatmentSitemap,
    "cities": CitySitemap,
    "treatments-in-cities": TreatmentCitySitemap,
    "guide": ArticleSitemap,
}


def in_spanish(section: type[Sitemap]) -> type[Sitemap]:
    """The same pages under /es/: Django's i18n sitemap with Spanish as its only language
    reverses every location with Spanish active, so each URL gets the /es/ prefix."""
    return type(f"Spanish{section.__name__}", (section,), {"i18n": True, "languages": ["es"]})


# The Spanish section lists the same pages under /es/, except the guide's articles: only those
# translated into Spanish; the others' /es/ pages name the English article as canonical.
SITEMAPS = (
    ENGLISH_SITEMAPS
    | {f"es-{name}": in_spanish(section) for name, section in ENGLISH_SITEMAPS.items() if name != "guide"}
    | {"es-guide": in_spanish(TranslatedArticleSitemap)}
)
