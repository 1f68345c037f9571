"""The site's CSS is written into each page (config/inline_css.py), allowed by the CSP by its
hash, and Bootstrap is trimmed to the rules the pages use (purgecss.config.js, `make css`)."""

import base64
import hashlib
import re
from pathlib import Path

import pytest

from tests.directory.outreach_helpers import inquiry_data
from tests.factories import make_article, make_center

pytestmark = pytest.mark.django_db

STATIC = Path(__file__).resolve().parent.parent / "static"


def styles_of(html: str) -> list[str]:
    return re.findall(r"<style>(.*?)</style>", html, re.DOTALL)


def selectors_of(css: str) -> set[str]:
    """Every selector of every rule (those in @media too), as written."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    heads = re.findall(r"([^{}]+)\{", css)
    return {part.strip() for head in heads if not head.lstrip().startswith("@") for part in head.split(",")}


def attributes_in(selector: str) -> set[str]:
    return set(re.findall(r"\[([\w-]+)", selector))


def classes_in(selector: str) -> set[str]:
    return set(re.findall(r"\.(-?[_a-zA-Z][\w-]*)", selector))


@pytest.fixture
def pages(client):
    center = make_center(name="Harbor Light Clinic", accepting_new_patients="yes")
    article = make_article(title="What TMS is like")
    ask = center.get_absolute_url() + "ask/"
    return {
        "home": "/",
        "listing": "/centers/?near=32207",
        "center": center.get_absolute_url(),
        "city": "/centers/fl/jacksonville/",
        "ask": ask,
        "article": article.get_absolute_url(),
        "guide": "/guide/",
    }


def test_every_page_carries_its_css_inline_and_the_csp_allows_exactly_it(client, pages):
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        html = response.content.decode()
        assert 'rel="stylesheet"' not in html, f"{name}: no stylesheet to wait for"
        styles = styles_of(html)
        assert styles, name
        policy = response["Content-Security-Policy"]
        for text in styles:
            digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in policy, f"{name}: the CSP allows its <style>"
        assert "'unsafe-inline'" not in policy
        assert not re.search(r"\sstyle=", html), f"{name}: no style attribute (the CSP blocks them)"
    assert len(styles_of(client.get(pages["article"]).content.decode())) == 2  # the guide's own CSS too


def test_trimmed_bootstrap_keeps_every_rule_for_the_classes_the_pages_use(client, pages):
    full = selectors_of((STATIC / "vendor/bootstrap/bootstrap.min.css").read_text())
    trimmed = selectors_of((STATIC / "css/build/bootstrap.min.css").read_text())
    assert len(trimmed) < len(full) / 3, "it is trimmed"
    # The ask form shown again with its errors draws the invalid states too.
    html = "".join(client.get(url).content.decode() for url in pages.values())
    shown = client.get(pages["ask"]).content.decode()
    html += client.post(pages["ask"], inquiry_data(shown, name=None, message=None)).content.decode()
    used = {name for attribute in re.findall(r'class="([^"]*)"', html) for name in attribute.split()}
    assert {"btn", "form-control", "is-invalid", "container", "row"} <= used
    attributes = set(re.findall(r"\s([a-z][\w-]*)(?==|\s|>)", html))
    # A rule whose classes (and attributes) all appear on our pages applies to them: it must have been kept.
    needed = {
        selector
        for selector in full
        if classes_in(selector) and classes_in(selector) <= used and attributes_in(selector) <= attributes
    }
    assert len(needed) > 100
    missing = sorted(needed - trimmed)
    assert not missing, f"rules for classes the pages use that the trimmed Bootstrap lost: {missing} (run make css)"
