from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from articles import selfcheck
from articles.filters import ArticleFilter
from articles.forms import SelfCheckForm
from articles.models import Article, ArticleTranslation, Topic
from articles.structured_data import article_jsonld, faq_jsonld
from config.public_forms import public_form


def _translations_in_current_language() -> Prefetch:
    """For `Article.text_in()`: the translations into the page's language, one query per list."""
    return Prefetch("translations", queryset=ArticleTranslation.objects.filter(language=get_language()))


def guide_index(request):
    articles = Article.objects.published().by_topic().select_related("topic")
    if get_language() != settings.LANGUAGE_CODE:
        articles = articles.prefetch_related(_translations_in_current_language())
    guide = ArticleFilter(request.GET, queryset=articles)
    articles = guide.qs
    if get_language() != settings.LANGUAGE_CODE and not guide.searching:
        # Within each topic, the articles translated into the page's language come first.
        language = get_language()
        articles = sorted(
            articles, key=lambda a: (a.topic.sort_order, a.topic.name, not a.text_in(language).is_translation)
        )
    return render(
        request,
        "articles/guide_index.html",
        {"filter": guide, "articles": articles, "topics": Topic.objects.all()},
    )


def _visible_article(request, slug: str) -> Article:
    related = Article.objects.published().select_related("topic").order_by("title")
    if get_language() != settings.LANGUAGE_CODE:
        related = related.prefetch_related(_translations_in_current_language())
    return get_object_or_404(
        Article.objects.visible_to(request.user)
        .select_related("topic")
        .prefetch_related(
            "references",
            "faq_items",
            "related_treatments",
            "translations",
            Prefetch("related_articles", queryset=related),
        ),
        slug=slug,
    )


def _text(request, article: Article) -> Article | ArticleTranslation:
    """What the page shows: the translation into its language when there is one, else the
    English article. Staff also preview draft translations."""
    if get_language() == settings.LANGUAGE_CODE:
        return article
    return article.text_in(get_language(), drafts=request.user.is_staff)


def _english_fallback(text: Article | ArticleTranslation) -> bool:
    """A page in another language showing the English article: it says so and marks it lang="en"."""
    return get_language() != settings.LANGUAGE_CODE and not text.is_translation


def _is_translated(article: Article) -> bool:
    """Whether the article has a published translation: then both versions name each other (hreflang)."""
    return any(translation.status == Article.Status.PUBLISHED for translation in article.translations.all())


def article_detail(request, slug: str):
    article = _visible_article(request, slug)
    text = _text(request, article)
    url = request.build_absolute_uri(text.get_absolute_url())
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "text": text,
            "english_fallback": _english_fallback(text),
            "is_translated": _is_translated(article),
            "article_jsonld": article_jsonld(article, text=text, url=url),
            "faq_jsonld": faq_jsonld(text),
        },
    )


def article_checklist(request, slug: str):
    article = _visible_article(request, slug)
    text = _text(request, article)
    if not text.checklist:
        raise Http404("This article has no checklist.")
    return render(
        request,
        "articles/article_checklist.html",
        {
            "article": article,
            "text": text,
            "english_fallback": _english_fallback(text),
            "is_translated": _is_translated(article),
        },
    )


# The self-check changes nothing on the server, so there is nothing for CSRF to protect,
# and exempting it means it works with cookies blocked and sets none. The answers are
# health data: never logged in error reports, never cached, never stored. The blank form
# (GET) is the same for every visitor, so it is public like the guide: a shared cache may
# keep it and it is sent compressed (92 KB became 19 KB on the wire).
@public_form
@csrf_exempt
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def self_check(request):
    response = _self_check(request)
    if request.method == "POST":
        add_never_cache_headers(response)  # the answers and the score: no cache keeps them
    return response


def _self_check(request):
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
