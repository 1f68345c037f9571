"""schema.org JSON-LD for guide articles, built from plain dicts.

`MedicalWebPage` names a reviewer and a review date only when a clinician really reviewed
the article. `FAQPage` carries the article's FAQ items. Serialize with `jsonld_script`.
"""

import json

from django.utils.html import format_html
from django.utils.safestring import SafeString

from articles.models import Article

PUBLISHER = {"@type": "Organization", "name": "Health Connect Daily"}

# The same escapes Django's json_script uses: nothing in the data can close the script
# element or start markup, whatever an editor typed.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def article_jsonld(article: Article, *, url: str) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "url": url,
        "headline": article.title,
        "description": article.summary,
        "inLanguage": "en-US",
        "datePublished": article.published_at.isoformat(),
        "dateModified": article.updated_at.isoformat(),
        "author": {"@type": "Organization", "name": article.author},
        "publisher": PUBLISHER,
        "citation": [
            {"@type": "CreativeWork", "name": ref.title, "publisher": ref.publisher, "url": ref.url}
            | ({"datePublished": str(ref.year)} if ref.year else {})
            for ref in article.references.all()
        ],
    }
    if article.is_reviewed:
        data["lastReviewed"] = article.reviewed_on.isoformat()
        reviewer = {"@type": "Person", "name": article.reviewer_name}
        if article.reviewer_credentials:
            reviewer["jobTitle"] = article.reviewer_credentials
        data["reviewedBy"] = reviewer
    return data


def faq_jsonld(article: Article) -> dict | None:
    items = list(article.faq_items.all())
    if not items:
        return None
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {"@type": "Question", "name": item.question, "acceptedAnswer": {"@type": "Answer", "text": item.answer}}
            for item in items
        ],
    }


def jsonld_script(data: dict) -> SafeString:
    """A <script type="application/ld+json"> element: data, not code, so the strict CSP allows it."""
    payload = json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', SafeString(payload))
