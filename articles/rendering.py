"""Markdown to safe HTML for guide articles.

Markdown may carry raw HTML (staff type it in the admin), so the output goes through
nh3's allow-list: no scripts, styles, frames, images or SVG, no event handlers, no
`style` attributes, no `javascript:` or `data:` links. Between two sanitizing passes a
small rewriter adds what the guide needs: `rel="noopener noreferrer"` on links that
leave the site, links from inline citations like "[2]" to reference 2 at the end of
the article, and tappable links on the crisis numbers 988 and 911. The second pass
makes sure the rewriter cannot let anything unsafe in.
"""

import re
from html import escape, unescape
from html.parser import HTMLParser

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
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel", "sms"}
EXTERNAL_REL = "noopener noreferrer"
# Only the rewriter sets rel, and only to this value; any other rel is dropped.
REL_VALUES = {"a": {"rel": {EXTERNAL_REL}}}

# In running text: inline citations ("studies [2]" becomes "studies<sup>[2]</sup>", the
# space dropped), and crisis numbers, which become tappable on a phone.
TEXT_LINKS = re.compile(
    r"(?P<citation> ?\[(?P<number>\d{1,3})\])|(?P<lifeline>\b988lifeline\.org\b)"
    r"|(?P<text>(?<=AYUDA al )988\b)|(?P<phone>\b(?:988|911)\b)"
)
VOID_TAGS = {"br", "hr"}
NO_LINKS_INSIDE = {"a", "code", "pre"}


def _text_link(match: re.Match) -> str:
    if match["citation"]:
        return f'<sup><a href="#ref-{match["number"]}">[{match["number"]}]</a></sup>'
    if match["lifeline"]:
        return f'<a href="https://988lifeline.org/" rel="{EXTERNAL_REL}">{match["lifeline"]}</a>'
    if match["text"]:  # "envíe AYUDA al 988": a text message, as in includes/crisis_line_es.html
        return f'<a href="sms:{match["text"]}">{match["text"]}</a>'
    return f'<a href="tel:{match["phone"]}">{match["phone"]}</a>'


def _clean(html: str, *, allow_rel: bool) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        tag_attribute_values=REL_VALUES if allow_rel else None,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=None,
    )


def is_external(href: str) -> bool:
    return href.strip().lower().startswith(("http://", "https://", "//"))


class _LinkRewriter(HTMLParser):
    """Re-serializes already-sanitized HTML, adding rel to external links and citation links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open_tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = [(name, value or "") for name, value in attrs if name != "rel"]
        if tag == "a" and any(name == "href" and is_external(value) for name, value in attrs):
            attrs.append(("rel", EXTERNAL_REL))
        rendered = "".join(f' {name}="{escape(value, quote=True)}"' for name, value in attrs)
        self.out.append(f"<{tag}{rendered}>")
        if tag not in VOID_TAGS:
            self.open_tags.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in self.open_tags:
            # Close back to the matching tag; sanitized input is well nested anyway.
            while self.open_tags and self.open_tags.pop() != tag:
                pass
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        text = escape(data, quote=False)
        if not NO_LINKS_INSIDE.intersection(self.open_tags):
            text = TEXT_LINKS.sub(_text_link, text)
        self.out.append(text)


def sanitize_html(html: str) -> str:
    rewriter = _LinkRewriter()
    rewriter.feed(_clean(html, allow_rel=False))
    rewriter.close()
    return _clean("".join(rewriter.out), allow_rel=True)


def render_markdown(text: str) -> tuple[str, list[dict]]:
    """Return (safe HTML, table of contents) for a Markdown body.

    The table of contents lists the level-2 headings with their anchors, and the level-3
    headings beneath them.
    """
    md = markdown.Markdown(
        extensions=["toc", "tables", "sane_lists"],
        extension_configs={"toc": {"toc_depth": "2-3"}, "tables": {"use_align_attribute": True}},
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
