from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.forms import MedicalReviewForm
from articles.models import Article, ArticleTranslation, FAQItem, Reference, Topic
from articles.services import article_review_record


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "sort_order"]
    list_editable = ["sort_order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class FAQItemInline(admin.StackedInline):
    model = FAQItem
    extra = 0


class ReferenceInline(admin.TabularInline):
    model = Reference
    extra = 0
    fields = ["number", "title", "publisher", "year", "url"]


class ArticleTranslationInline(admin.StackedInline):
    """A translation has its own text and its own medical review: fill the reviewer and the date
    only once a clinician has reviewed this translation (its page says so until then)."""

    model = ArticleTranslation
    extra = 0
    fields = [
        ("language", "status"),
        "title",
        "summary",
        "body",
        "checklist",
        "faq",
        "author",
        ("reviewer_name", "reviewer_credentials", "reviewed_on"),
        "updated_at",
    ]


class MedicalReviewFilter(admin.SimpleListFilter):
    title = "medical review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("awaiting", "Awaiting review (never reviewed, or changed since)"),
            ("reviewed", "Reviewed, unchanged since"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "awaiting":
            return queryset.awaiting_review()
        if self.value() == "reviewed":
            return queryset.reviewed()
        return queryset


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "topic", "status", "published_at", "updated_at", "review_status"]
    list_filter = [MedicalReviewFilter, "status", "topic", "related_treatments"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["related_treatments", "related_articles"]
    inlines = [ReferenceInline, FAQItemInline, ArticleTranslationInline]
    readonly_fields = ["rendered_preview", "view_on_site_link", "record_review_link"]
    list_select_related = ["topic"]
    date_hierarchy = "updated_at"
    fieldsets = [
        (None, {"fields": ["title", "slug", "topic", "status", "summary"]}),
        ("Body", {"fields": ["body", "rendered_preview", "checklist"]}),
        (
            "Provenance",
            {
                "fields": [
                    "author",
                    "record_review_link",
                    ("reviewer_name", "reviewer_credentials", "reviewed_on"),
                    "published_at",
                    "updated_at",
                ]
            },
        ),
        ("Related", {"fields": ["related_treatments", "related_articles", "view_on_site_link"]}),
    ]

    def get_urls(self):
        # The medical review queue and the "record a review" form, linked from the changelist.
        return [
            path(
                "review-queue/",
                self.admin_site.admin_view(self.review_queue_view),
                name="articles_article_review_queue",
            ),
            path(
                "<int:pk>/record-review/",
                self.admin_site.admin_view(self.record_review_view),
                name="articles_article_record_review",
            ),
        ] + super().get_urls()

    def review_queue_view(self, request):
        """Which articles await a medical review (the version waiting longest first), and who reviewed the rest."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        articles = Article.objects.select_related("topic")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Medical review",
            "awaiting": articles.awaiting_review(),
            "reviewed": articles.reviewed(),
            "translations_awaiting": ArticleTranslation.objects.awaiting_review().select_related("article"),
            "can_record": self.has_change_permission(request),
        }
        return TemplateResponse(request, "admin/articles/article/review_queue.html", context)

    def record_review_view(self, request, pk: int):
        article = get_object_or_404(Article, pk=pk)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        form = MedicalReviewForm(request.POST or None, article=article)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            article_review_record(
                article=article,
                reviewer_name=data["reviewer_name"],
                reviewer_credentials=data["reviewer_credentials"],
                reviewed_on=data["reviewed_on"],
            )
            # The admin history of the article keeps who recorded the review and when.
            self.log_change(
                request, article, f"Recorded a medical review by {article.reviewer_name} on {article.reviewed_on}."
            )
            self.message_user(request, f"Recorded the review of “{article.title}”.", messages.SUCCESS)
            return redirect("admin:articles_article_review_queue")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Record a medical review: {article.title}",
            "article": article,
            "form": form,
        }
        return TemplateResponse(request, "admin/articles/article/record_review.html", context)

    @admin.display(description="medical review")
    def review_status(self, obj: Article) -> str:
        if not obj.is_reviewed:
            return "Not yet reviewed"
        if obj.changed_since_review:
            return f"Changed since review by {obj.reviewer_name}, {obj.reviewed_on:%Y-%m-%d}"
        return f"{obj.reviewer_name}, {obj.reviewed_on:%Y-%m-%d}"

    @admin.display(description="record a review")
    def record_review_link(self, obj: Article) -> str:
        if not obj.pk:
            return "-"
        url = reverse("admin:articles_article_record_review", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, "Record a medical review of the current text")

    @admin.display(description="preview (as saved)")
    def rendered_preview(self, obj: Article) -> str:
        if not obj.pk:
            return "Save to see the rendered article."
        # body_html was sanitized by articles.rendering when the article was saved.
        return format_html('<div class="article-preview">{}</div>', mark_safe(obj.body_html))  # noqa: S308

    @admin.display(description="public page")
    def view_on_site_link(self, obj: Article) -> str:
        if not obj.pk:
            return "-"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), "Open the article (staff see drafts)")
