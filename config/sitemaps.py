"""/sitemap.xml: every public page a search engine should know about."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article
from directory.models import Center, Treatment


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


class ArticleSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Article.objects.published().order_by("pk")

    def lastmod(self, article: Article):
        return article.updated_at


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "centers": CenterSitemap,
    "treatments": TreatmentSitemap,
    "guide": ArticleSitemap,
}
