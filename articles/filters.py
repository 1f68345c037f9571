import django_filters
from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import get_language

from articles.models import Article, ArticleTranslation, Topic


class ArticleFilter(django_filters.FilterSet):
    """The guide's search box (`q`) and topic links (`topic`), both plain GET parameters."""

    q = django_filters.CharFilter(
        label="Search the guide",
        method="filter_text",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    topic = django_filters.ModelChoiceFilter(queryset=Topic.objects.all(), to_field_name="slug", label="Topic")

    class Meta:
        model = Article
        fields = ["q", "topic"]

    def filter_text(self, queryset, name, value):
        language = get_language()
        if language == settings.LANGUAGE_CODE:
            return queryset.search(value)
        # On a page in another language: the articles whose translation matches first, then those
        # whose English text does, each group best first.
        translated = ArticleTranslation.objects.search(value, language=language).filter(article__in=queryset)
        in_language = translated.values_list("article_id", flat=True)
        in_english = queryset.search(value).values_list("pk", flat=True)
        order = list(dict.fromkeys([*in_language, *in_english]))
        if not order:
            return queryset.none()
        position = models.Case(*(models.When(pk=pk, then=index) for index, pk in enumerate(order)))
        return queryset.filter(pk__in=order).order_by(position)

    @property
    def searching(self) -> bool:
        return bool(self.form.is_valid() and self.form.cleaned_data.get("q", "").strip())
