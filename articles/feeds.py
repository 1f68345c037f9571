"""/guide/feed/: RSS 2.0 of the 20 most recently published guide articles."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy

from articles.models import Article


class LatestArticlesFeed(Feed):
    title = "Depression Treatment Finder: the treatment guide"
    link = reverse_lazy("articles:index")
    description = "Plain-language articles on treatment-resistant depression and its treatments, with sources."
    language = "en-us"

    def items(self):
        return Article.objects.published().select_related("topic").order_by("-published_at")[:20]

    def item_title(self, article: Article) -> str:
        return article.title

    def item_description(self, article: Article) -> str:
        return article.summary

    def item_pubdate(self, article: Article):
        return article.published_at

    def item_updateddate(self, article: Article):
        return article.updated_at

    def item_author_name(self, article: Article) -> str:
        return article.author

    def item_categories(self, article: Article) -> list[str]:
        return [article.topic.name]
