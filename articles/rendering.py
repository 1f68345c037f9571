"""Markdown to safe HTML for guide articles.

Markdown may carry raw HTML, so the output goes through nh3's allow-list: no scripts,
no event handlers, no `javascript:` or `data:` links, and every link gets
`rel="noopener noreferrer"`.
"""

from html import unescape

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol",
    "p", "pre", "strong", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "td": {"align"},
    "th": {"align", "scope"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def render_markdown(text: str) -> tuple[str, list[dict]]:
    """Return (safe HTML, table of contents) for a Markdown body.

    The table of contents lists the level-2 headings with their anchors, and the level-3
    headings beneath them.
    """
    md = markdown.Markdown(
        extensions=["toc", "tables", "sane_lists"],
        extension_configs={"toc": {"toc_depth": "2-3"}},
    )
    html = sanitize_html(md.convert(text or ""))
    toc = [
        {
            "id": token["id"],
            "name": unescape(token["name"]),
            "children": [{"id": child["id"], "name": unescape(child["name"])} for child in token["children"]],
        }
        for token in md.toc_tokens
    ]
    return html, toc
