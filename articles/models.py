from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.urls import reverse
from django.utils import timezone

from articles.rendering import render_markdown

# Full-text search configurations by language code, for PostgreSQL.
SEARCH_CONFIGS = {"en": "english", "es": "spanish"}


def text_search(queryset: models.QuerySet, query: str, *, config: str) -> models.QuerySet:
    """Rows of `queryset` (articles or translations: title, summary, body) matching `query`, best first.

    PostgreSQL: full-text search with web-search syntax ("quoted phrase", -exclude, or)
    over title (weight A), summary (B) and body (C), ranked, in the language `config` names.
    SQLite: every word must appear somewhere (case-insensitive); words found in the title,
    then the summary, rank first.
    """
    query = query.strip()
    if not query:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        vector = (
            SearchVector("title", weight="A", config=config)
            + SearchVector("summary", weight="B", config=config)
            + SearchVector("body", weight="C", config=config)
        )
        search_query = SearchQuery(query, search_type="websearch", config=config)
        return (
            queryset.alias(document=vector)
            .filter(document=search_query)
            .annotate(rank=SearchRank(models.F("document"), search_query))
            .order_by("-rank", "-updated_at")
        )
    words = query.split()[:10]
    matches = queryset
    rank = models.Value(0)
    for word in words:
        matches = matches.filter(
            models.Q(title__icontains=word) | models.Q(summary__icontains=word) | models.Q(body__icontains=word)
        )
        rank += models.Case(models.When(title__icontains=word, then=2), default=0)
        rank += models.Case(models.When(summary__icontains=word, then=1), default=0)
    return matches.annotate(rank=rank).order_by("-rank", "-updated_at")


class Topic(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What the public may read: published, and not dated in the future."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def visible_to(self, user):
        """Staff may open drafts and future articles to preview them; everyone else sees published()."""
        return self if user.is_staff else self.published()

    def about_treatment(self, treatment):
        """Articles that name `treatment` among their related treatments, by title."""
        return self.filter(related_treatments=treatment).order_by("title")

    def awaiting_review(self):
        """Never medically reviewed, or changed after the last review: the version waiting longest first."""
        return self.filter(
            models.Q(reviewed_on__isnull=True) | models.Q(updated_at__date__gt=models.F("reviewed_on"))
        ).order_by("updated_at", "title")

    def reviewed(self):
        """Medically reviewed, and not changed since: the most recently reviewed first."""
        return self.filter(reviewed_on__isnull=False, updated_at__date__lte=models.F("reviewed_on")).order_by(
            "-reviewed_on", "title"
        )

    def in_language_first(self, language: str):
        """Articles with a published translation into `language` first (newest first), then the
        others; the translations prefetched for `Article.text_in()`."""
        translated = ArticleTranslation.objects.published().filter(article=models.OuterRef("pk"), language=language)
        return (
            self.annotate(translated=models.Exists(translated))
            .order_by("-translated", "-updated_at")
            .prefetch_related(
                models.Prefetch("translations", queryset=ArticleTranslation.objects.filter(language=language))
            )
        )

    def by_topic(self):
        """In topic order, the most recently updated first within each topic."""
        return self.order_by("topic__sort_order", "topic__name", "-updated_at", "title")

    def search(self, query: str):
        """Articles matching `query` in their English text, best first (see `text_search`)."""
        return text_search(self, query, config="english")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="articles")
    summary = models.TextField(max_length=400)
    body = models.TextField(help_text="Markdown. Use ## headings: they build the table of contents.")
    body_html = models.TextField(editable=False, blank=True)
    toc = models.JSONField(editable=False, default=list, blank=True)
    checklist = models.JSONField(
        default=list,
        blank=True,
        help_text='Optional printable checklist: [{"heading": "...", "items": ["..."]}].',
    )
    author = models.CharField(max_length=120, default="Health Connect Daily editorial team")
    reviewer_name = models.CharField("medical reviewer", max_length=120, blank=True)
    reviewer_credentials = models.CharField(max_length=120, blank=True, help_text="e.g. 'MD, psychiatrist'.")
    reviewed_on = models.DateField(null=True, blank=True)
    published_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, help_text="Shown as 'Updated DATE'.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    related_treatments = models.ManyToManyField("directory.Treatment", blank=True, related_name="articles")
    related_articles = models.ManyToManyField("self", blank=True, symmetrical=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["status", "published_at"], name="article_status_published_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reviewed_on__isnull=True) | ~models.Q(reviewer_name=""),
                name="review_date_needs_reviewer",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # The HTML is derived from the Markdown once here, never per request.
        self.body_html, self.toc = render_markdown(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", args=[self.slug])

    @property
    def is_reviewed(self) -> bool:
        return bool(self.reviewer_name and self.reviewed_on)

    @property
    def changed_since_review(self) -> bool:
        """The text was updated after the day of its last medical review."""
        return self.is_reviewed and timezone.localdate(self.updated_at) > self.reviewed_on

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    def get_checklist_url(self) -> str:
        return reverse("articles:checklist", args=[self.slug])

    @property
    def faq_list(self) -> list[dict]:
        """The FAQ as question/answer pairs, as a translation keeps it."""
        return [{"question": item.question, "answer": item.answer} for item in self.faq_items.all()]

    @property
    def is_translation(self) -> bool:
        return False

    def text_in(self, language: str, *, drafts: bool = False) -> "Article | ArticleTranslation":
        """This article's text in `language`: its published translation (or a draft one, for
        staff previews), else the article itself, in English. Prefetch `translations` for lists."""
        for translation in self.translations.all():
            if translation.language == language and (drafts or translation.status == Article.Status.PUBLISHED):
                return translation
        return self


class ArticleTranslationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Article.Status.PUBLISHED)

    def search(self, query: str, *, language: str):
        """Published translations into `language` whose text matches `query`, best first."""
        return text_search(
            self.published().filter(language=language), query, config=SEARCH_CONFIGS.get(language, "simple")
        )

    def awaiting_review(self):
        """Never medically reviewed, or changed after the last review."""
        return self.filter(
            models.Q(reviewed_on__isnull=True) | models.Q(updated_at__date__gt=models.F("reviewed_on"))
        ).order_by("updated_at", "article__title")


class ArticleTranslation(models.Model):
    """An article in another language than English, at the same URL under the language's prefix.

    It has its own text, FAQ, checklist and medical review: a translation is reviewed on its
    own, and until a clinician has reviewed it the page says so. The references stay the
    original article's, so the citation numbers in the text point to the same sources.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=10, choices=[("es", "Spanish")], default="es")
    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=400)
    body = models.TextField(help_text="Markdown, with the same ## headings and citation numbers as the original.")
    body_html = models.TextField(editable=False, blank=True)
    toc = models.JSONField(editable=False, default=list, blank=True)
    checklist = models.JSONField(
        default=list,
        blank=True,
        help_text='Optional printable checklist: [{"heading": "...", "items": ["..."]}].',
    )
    faq = models.JSONField(
        "FAQ", default=list, blank=True, help_text='Optional: [{"question": "...", "answer": "..."}].'
    )
    author = models.CharField(max_length=120, default="Equipo editorial de Health Connect Daily")
    reviewer_name = models.CharField("medical reviewer", max_length=120, blank=True)
    reviewer_credentials = models.CharField(max_length=120, blank=True, help_text="e.g. 'MD, psiquiatra'.")
    reviewed_on = models.DateField(
        null=True, blank=True, help_text="Only once a clinician has reviewed this translation itself."
    )
    updated_at = models.DateTimeField(default=timezone.now, help_text="Shown as 'Updated DATE'.")
    status = models.CharField(max_length=10, choices=Article.Status.choices, default=Article.Status.DRAFT)

    objects = ArticleTranslationQuerySet.as_manager()

    class Meta:
        ordering = ["article", "language"]
        constraints = [
            models.UniqueConstraint(fields=["article", "language"], name="one_translation_per_language"),
            models.CheckConstraint(
                condition=models.Q(reviewed_on__isnull=True) | ~models.Q(reviewer_name=""),
                name="translation_review_date_needs_reviewer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"

    def save(self, *args, **kwargs):
        self.body_html, self.toc = render_markdown(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return self.article.get_absolute_url()

    def clean(self):
        # The page and its JSON-LD read the FAQ as question/answer pairs.
        if not isinstance(self.faq, list) or not all(
            isinstance(item, dict) and isinstance(item.get("question"), str) and isinstance(item.get("answer"), str)
            for item in self.faq
        ):
            raise ValidationError({"faq": 'Write a list of {"question": "...", "answer": "..."} pairs, or [].'})

    def get_checklist_url(self) -> str:
        return self.article.get_checklist_url()

    # The same names as Article's, so templates show either through one `text` variable.
    published_at = property(lambda self: self.article.published_at)
    is_reviewed = Article.is_reviewed
    changed_since_review = Article.changed_since_review

    @property
    def is_public(self) -> bool:
        return self.status == Article.Status.PUBLISHED and self.article.is_public

    @property
    def faq_list(self) -> list[dict]:
        return self.faq

    @property
    def is_translation(self) -> bool:
        return True


class FAQItem(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="faq_items")
    question = models.CharField(max_length=300)
    answer = models.TextField()
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = "FAQ item"

    def __str__(self) -> str:
        return self.question


class Reference(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="references")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=400)
    publisher = models.CharField(max_length=200, help_text="Journal or organisation.")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    url = models.URLField(max_length=500)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="one_reference_per_number")]

    def __str__(self) -> str:
        return f"[{self.number}] {self.title}"
