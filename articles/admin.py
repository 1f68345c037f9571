from django.contrib import admin
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.models import Article, FAQItem, Reference, Topic


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


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "topic", "status", "published_at", "updated_at", "review_status"]
    list_filter = ["status", "topic", "related_treatments"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["related_treatments", "related_articles"]
    inlines = [ReferenceInline, FAQItemInline]
    readonly_fields = ["rendered_preview", "view_on_site_link"]
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
                    ("reviewer_name", "reviewer_credentials", "reviewed_on"),
                    "published_at",
                    "updated_at",
                ]
            },
        ),
        ("Related", {"fields": ["related_treatments", "related_articles", "view_on_site_link"]}),
    ]

    @admin.display(description="medical review")
    def review_status(self, obj: Article) -> str:
        if obj.is_reviewed:
            return f"{obj.reviewer_name}, {obj.reviewed_on:%Y-%m-%d}"
        return "Not yet reviewed"

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
