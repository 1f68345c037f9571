import django_filters
from django import forms

from articles.models import Article, Topic


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
        return queryset.search(value)

    @property
    def searching(self) -> bool:
        return bool(self.form.is_valid() and self.form.cleaned_data.get("q", "").strip())
