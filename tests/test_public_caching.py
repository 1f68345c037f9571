"""Public pages are the same for every anonymous visitor, so a shared cache may keep them.

The walk below visits every URL pattern the site routes. Each pattern is either public (an
anonymous GET sets no cookie and is sent `Cache-Control: public, max-age=...` with a Vary
that names Cookie, and Accept-Encoding when compressed; HTML is compressed) or listed in
PRIVATE with the reason. A new pattern that is in neither list fails the walk: whoever
adds a page decides which it is.
"""

import gzip
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import make_article, make_center

pytestmark = pytest.mark.django_db

# Patterns (by their full name, or their route when unnamed) that are not for a shared cache.
PRIVATE = {
    "admin": "staff only, behind a sign-in",
    "directory:center_ask": "the ask form's own page hands out a CSRF token",
    "directory:center_report": "the report form's own page hands out a CSRF token",
    "healthz": "a probe of this instance, never kept",
    "favicon.ico": "a permanent redirect to the static icon",
    "directory:open_data_download": "a file download, present only after an export",
}
# The centers' own flows (claiming a listing, listing a center, signing in, the representatives'
# pages): forms, single-use links and personal pages. Not walked: they decide their own caching.
PRIVATE |= {
    f"directory:{name}": "a center's or representative's form, link or personal page"
    for name in [
        "center_claim", "center_claim_sent", "list_your_center", "list_your_center_sent", "portal",
        "representative_sign_in", "representative_sign_in_sent", "representative_link", "portal_sign_out",
        "claim_confirm", "claim_code", "checkup", "portal_center", "portal_availability", "portal_propose",
        "portal_inquiry",
    ]
}  # fmt: skip


def walk(patterns, prefix: str = "", namespace: str = ""):
    """(route, name) for every pattern, with included routes joined and names namespaced."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                yield route, "admin"
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            yield route, f"{namespace}{pattern.name}" if pattern.name else route


@pytest.fixture
def samples(client) -> dict[str, str]:
    """A real address for every public pattern, on a small directory."""
    center = make_center(name="Walk Test Clinic", city="Jacksonville", state="FL", treatments=("tms",))
    article = make_article(title="Walk test article", checklist=[{"heading": "Cost", "items": ["In network?"]}])

    def first_id(url: str) -> str:
        items = client.get(url).json()
        return (items["contents"] if isinstance(items, dict) else items)[0]["id"]

    return {
        "directory:home": "/",
        "directory:center_list": "/centers/?near=32207&treatment=tms",
        "directory:center_detail": center.get_absolute_url(),
        "directory:center_ask_sent": f"{center.get_absolute_url()}ask/sent/",
        "directory:center_report_sent": f"{center.get_absolute_url()}report/sent/",
        "directory:city": "/centers/fl/jacksonville/",
        "directory:treatment_list": "/treatments/",
        "directory:treatment_detail": "/treatments/tms/",
        "directory:treatment_city": "/treatments/tms/fl/jacksonville/",
        "directory:privacy": "/privacy/",
        "self_check": "/self-check/",  # the blank form; its answers (POST) are never kept
        "directory:shortlist": f"/shortlist/?centers={center.slug}",
        "directory:open_data": "/open-data/",
        "directory:api_center_list": "/api/centers/",
        "directory:api_center_detail": f"/api/centers/{center.slug}/",
        "articles:index": "/guide/",
        "articles:feed": "/guide/feed/",
        "articles:detail": article.get_absolute_url(),
        "articles:checklist": f"{article.get_absolute_url()}checklist/",
        "sitemap": "/sitemap.xml",
        "robots": "/robots.txt",
        "hsds:meta": "/api/hsds/",
        "hsds:openapi": "/api/hsds/openapi.json",
        "hsds:service_list": "/api/hsds/services",
        "hsds:service_detail": f"/api/hsds/services/{first_id('/api/hsds/services')}",
        "hsds:organization_list": "/api/hsds/organizations",
        "hsds:organization_detail": f"/api/hsds/organizations/{center.public_id}",
        "hsds:taxonomy_list": "/api/hsds/taxonomies",
        "hsds:taxonomy_detail": f"/api/hsds/taxonomies/{first_id('/api/hsds/taxonomies')}",
        "hsds:taxonomy_term_list": "/api/hsds/taxonomy_terms",
        "hsds:taxonomy_term_detail": f"/api/hsds/taxonomy_terms/{first_id('/api/hsds/taxonomy_terms')}",
    }


def assert_shareable(response, url: str) -> None:
    assert response.status_code == 200, (url, response.status_code)
    assert not response.cookies, (url, "sets a cookie", list(response.cookies))
    assert "Set-Cookie" not in response.headers, url
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert "public" in directives, (url, response["Cache-Control"])
    assert any(re.fullmatch(r"max-age=[1-9]\d*", part) for part in directives), (url, response["Cache-Control"])
    assert not directives & {"private", "no-store", "no-cache"}, (url, response["Cache-Control"])
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",")}
    assert "cookie" in vary, (url, response.get("Vary"))
    if response["Content-Type"].startswith("text/html"):
        assert response.get("Content-Encoding") == "gzip", (url, "HTML sent uncompressed")
    if response.get("Content-Encoding"):
        assert "accept-encoding" in vary, (url, response.get("Vary"))


def test_every_url_pattern_is_either_public_and_shareable_or_private_for_a_reason(samples):
    routes = list(walk(get_resolver().url_patterns))
    unlisted = [(route, name) for route, name in routes if name not in samples and name not in PRIVATE]
    assert unlisted == [], "new URL patterns: add a sample address to samples() or a reason to PRIVATE"
    anonymous = Client(HTTP_ACCEPT_ENCODING="gzip")  # a fresh visitor: no cookie at all
    walked = set()
    for _route, name in routes:
        if name in PRIVATE:
            continue
        url = samples[name]
        assert_shareable(anonymous.get(url), url)
        walked.add(name)
    assert walked == set(samples), set(samples) - walked


def test_the_center_page_links_to_its_forms_instead_of_embedding_them(client):
    center = make_center(name="Link Test Clinic")
    html = client.get(center.get_absolute_url()).content.decode()
    assert "csrfmiddlewaretoken" not in html and "<form" not in html.split('<main id="main"', 1)[1]
    assert f'href="{center.get_absolute_url()}ask/"' in html
    assert f'href="{center.get_absolute_url()}report/"' in html


def test_the_form_pages_hand_out_their_token_and_are_never_kept(client):
    center = make_center(name="Form Page Clinic")
    for url in [f"{center.get_absolute_url()}ask/", f"{center.get_absolute_url()}report/"]:
        response = client.get(url)
        assert 'name="csrfmiddlewaretoken"' in response.content.decode(), url
        assert "csrftoken" in response.cookies, url
        directives = response["Cache-Control"]
        assert "private" in directives and "no-store" in directives, (url, directives)


def test_anyone_with_a_session_gets_private_pages(admin_client):
    center = make_center(name="Session Test Clinic")
    for url in ["/", center.get_absolute_url(), "/centers/fl/jacksonville/", "/guide/"]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"], url


def test_an_anonymous_visit_after_a_form_page_is_shareable_again_without_a_new_cookie(client):
    """Someone who opened a form has a CSRF cookie; the next public page sets nothing new."""
    center = make_center(name="Return Visit Clinic")
    client.get(f"{center.get_absolute_url()}ask/")
    response = client.get(center.get_absolute_url())
    assert not response.cookies
    assert "public" in response["Cache-Control"]


def test_public_pages_are_compressed_for_browsers_that_accept_gzip(client):
    center = make_center(name="Gzip Test Clinic")
    plain = client.get(center.get_absolute_url())
    compressed = client.get(center.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    html = gzip.decompress(compressed.content).decode()
    assert "Gzip Test Clinic" in html and 'href="tel:988"' in html
    assert len(compressed.content) * 2 < len(plain.content)


def test_pages_with_a_secret_are_never_compressed(client, admin_client):
    """No compression oracle (BREACH): a form's CSRF token or a staff session stays uncompressed."""
    center = make_center(name="Oracle Test Clinic")
    anonymous = Client(HTTP_ACCEPT_ENCODING="gzip")
    for url in [f"{center.get_absolute_url()}ask/", f"{center.get_absolute_url()}report/"]:
        response = anonymous.get(url)
        assert "csrfmiddlewaretoken" in response.content.decode(), url
        assert "Content-Encoding" not in response, url
    for url in ["/", center.get_absolute_url(), "/admin/"]:
        response = admin_client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200, url
        assert "Content-Encoding" not in response, url
