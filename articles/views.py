from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from articles import selfcheck
from articles.filters import ArticleFilter
from articles.forms import SelfCheckForm
from articles.models import Article, Topic
from articles.structured_data import article_jsonld, faq_jsonld


def guide_index(request):
    articles = ArticleFilter(request.GET, queryset=Article.objects.published().by_topic().select_related("topic"))
    return render(
        request,
        "articles/guide_index.html",
        {"filter": articles, "articles": articles.qs, "topics": Topic.objects.all()},
    )


def _visible_article(request, slug: str) -> Article:
    return get_object_or_404(
        Article.objects.visible_to(request.user)
        .select_related("topic")
        .prefetch_related(
            "references",
            "faq_items",
            "related_treatments",
            Prefetch(
                "related_articles",
                queryset=Article.objects.published().select_related("topic").order_by("title"),
            ),
        ),
        slug=slug,
    )


def article_detail(request, slug: str):
    article = _visible_article(request, slug)
    url = request.build_absolute_uri(article.get_absolute_url())
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "article_jsonld": article_jsonld(article, url=url),
            "faq_jsonld": faq_jsonld(article),
        },
    )


def article_checklist(request, slug: str):
    article = _visible_article(request, slug)
    if not article.checklist:
        raise Http404("This article has no checklist.")
    return render(request, "articles/article_checklist.html", {"article": article})


# The self-check changes nothing on the server, so there is nothing for CSRF to protect,
# and exempting it means it works with cookies blocked and sets none. The answers are
# health data: never logged in error reports, never cached, never stored.
@csrf_exempt
@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def self_check(request):
    if get_language() != settings.LANGUAGE_CODE:
        # Only the copyright holder's own wording is shown: other languages point to the English one.
        return render(request, "articles/self_check_in_english.html")
    context = {
        "instructions": selfcheck.INSTRUCTIONS,
        "attribution": selfcheck.ATTRIBUTION,
        "bands": selfcheck.BANDS,
    }
    if request.method != "POST":
        return render(request, "articles/self_check.html", context | {"form": SelfCheckForm()})
    form = SelfCheckForm(request.POST)
    if not form.is_valid():
        status = 400 if form.has_impossible_values() else 200
        context |= {"form": form, "self_harm_thoughts": form.self_harm_answered_above_zero()}
        return render(request, "articles/self_check.html", context, status=status)
    result = form.result()
    answered = [
        {"number": number, "text": text, "answer": dict(selfcheck.ANSWERS)[answer]}
        for number, (text, answer) in enumerate(zip(selfcheck.ITEMS, result.answers, strict=True), start=1)
    ]
    context |= {"result": result, "answered": answered, "difficulty": form.difficulty_label()}
    return render(request, "articles/self_check_result.html", context)
