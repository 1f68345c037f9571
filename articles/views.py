from django.shortcuts import get_object_or_404, render

from articles.models import Article


def guide_index(request):
    articles = Article.objects.published().select_related("topic")
    return render(request, "articles/guide_index.html", {"articles": articles})


def article_detail(request, slug: str):
    visible = Article.objects.all() if request.user.is_staff else Article.objects.published()
    article = get_object_or_404(
        visible.select_related("topic").prefetch_related("references", "faq_items", "related_treatments"),
        slug=slug,
    )
    return render(request, "articles/article_detail.html", {"article": article})
