"""schema.org JSON-LD for guide articles, built from plain dicts.

`MedicalWebPage` names a reviewer and a review date only when a clinician really reviewed
the article. `FAQPage` carries the article's FAQ items. Serialize with `jsonld_script`.
"""

import json

from django.utils.html import format_html
from django.utils.safestring import SafeString

from articles.models import Article, ArticleTranslation

PUBLISHER = {"@type": "Organization", "name": "Health Connect Daily"}

# The same escapes Django's json_script uses: nothing in the data can close the script
# element or start markup, whatever an editor typed.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def article_jsonld(article: Article, *, text: Article | ArticleTranslation | None = None, url: str) -> dict:
    """`text` is what the page shows: the article, or its translation (with its own review)."""
    text = text or article
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "url": url,
        "headline": text.title,
        "description": text.summary,
        "inLanguage": "es-US" if text.is_translation else "en-US",
        "datePublished": article.published_at.isoformat(),
        "dateModified": text.updated_at.isoformat(),
        "author": {"@type": "Organization", "name": text.author},
        "publisher": PUBLISHER,
        "citation": [
            {"@type": "CreativeWork", "name": ref.title, "publisher": ref.publisher, "url": ref.url}
            | ({"datePublished": str(ref.year)} if ref.year else {})
            for ref in article.references.all()
        ],
    }
    if text.is_reviewed:
        data["lastReviewed"] = text.reviewed_on.isoformat()
        reviewer = {"@type": "Person", "name": text.reviewer_name}
        if text.reviewer_credentials:
            reviewer["jobTitle"] = text.reviewer_credentials
        data["reviewedBy"] = reviewer
    return data


def faq_jsonld(text: Article | ArticleTranslation) -> dict | None:
    items = text.faq_list
    if not items:
        return None
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": item["question"],
                "acceptedAnswer": {"@type": "Answer", "text": item["answer"]},
            }
            for item in items
        ],
    }


def jsonld_script(data: dict) -> SafeString:
    """A <script type="application/ld+json"> element: data, not code, so the strict CSP allows it."""
    payload = json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', SafeString(payload))
