"""Every public page carries crisis help; the demo notice shows only while demo centers exist."""

import re
from html import unescape

import pytest

from directory.generate import centers_generate, centers_generated_delete
from directory.models import Treatment
from tests.factories import make_article, make_center

pytestmark = pytest.mark.django_db

CRISIS_MARKERS = [b'href="tel:988"', b"988lifeline.org", b'href="tel:911"']


@pytest.fixture
def public_urls(db):
    center = make_center(city="Jacksonville", state="FL")
    article = make_article()
    return [
        "/",
        "/centers/",
        "/centers/?near=32207&treatment=tms",
        center.get_absolute_url(),
        "/centers/fl/jacksonville/",
        "/treatments/",
        "/treatments/tms/",
        "/treatments/tms/fl/jacksonville/",
        "/guide/",
        article.get_absolute_url(),
        "/self-check/",
        "/privacy/",
        "/open-data/",
    ]


def test_every_public_page_shows_crisis_help(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        for marker in CRISIS_MARKERS:
            assert marker in response.content, f"{url} lacks {marker!r}"
        assert b"Veterans" in response.content and b"741741" in response.content
        assert b"press 3" not in response.content.lower()


def test_each_public_page_describes_itself_to_search_engines(client, public_urls):
    """The meta description is what a search result shows under the title: no page may borrow another's."""
    descriptions = {}
    for url in public_urls:
        html = unescape(client.get(url).content.decode())
        description = re.search(r'<meta name="description" content="([^"]*)">', html).group(1)
        assert 0 < len(description) <= 300, (url, description)
        descriptions.setdefault(description, []).append(url)
    assert [urls for urls in descriptions.values() if len(urls) > 1] == []


def test_every_page_has_one_main_heading(client, public_urls):
    center = make_center(name="Heading Test Clinic")
    urls = [*public_urls, f"{center.get_absolute_url()}ask/", f"{center.get_absolute_url()}report/"]
    for url in urls:
        html = client.get(url).content.decode()
        assert len(re.findall(r"<h1[ >]", html)) == 1, url


def test_a_guide_checklist_is_described_as_a_checklist_once(client):
    article = make_article(
        title="Questions to ask",
        slug="questions",
        checklist=[{"heading": "Cost", "items": ["Are you in network?"]}],
    )
    html = unescape(client.get(article.get_checklist_url()).content.decode())
    description = re.search(r'<meta name="description" content="([^"]*)">', html).group(1)
    assert description == "Questions to ask: a checklist to print and take with you to an appointment."


def test_not_found_pages_show_crisis_help_too(client):
    response = client.get("/centers/no-such-center/")
    assert response.status_code == 404
    assert b'href="tel:988"' in response.content


def test_demo_notice_appears_only_while_demo_centers_exist(client):
    make_center()
    assert b"Demo data." not in client.get("/").content
    demo = make_center(is_demo=True)
    assert b"Demo data." in client.get("/").content
    demo.delete()
    assert b"Demo data." not in client.get("/").content


def test_demo_notice_shows_at_once_after_a_bulk_load_of_generated_centers(client):
    """The flag is cached between pages; bulk writes send no signal, so the generator must
    forget it: a page served right after must already carry the notice."""
    make_center()
    assert b"Demo data." not in client.get("/").content  # the flag is now cached as "no"
    centers_generate(count=2, seed=1)
    assert b"Demo data." in client.get("/").content
    centers_generated_delete()
    assert b"Demo data." not in client.get("/").content


def test_pages_carry_no_inline_scripts_or_styles_and_no_third_party_assets(client, public_urls):
    for url in public_urls:
        html = client.get(url).content.decode()
        assert "style=" not in html, url
        for tag in html.split("<script")[1:]:
            head = tag.split(">", 1)[0]
            assert "src=" in head or 'type="application/ld+json"' in head, f"inline script on {url}"
        assert "cdn." not in html and "googleapis" not in html, url


def test_sitemap_lists_published_centers_and_articles_and_robots_points_to_it(client):
    from directory.models import Center

    center = make_center()
    draft = make_center(status=Center.Status.DRAFT)
    article = make_article()
    xml = client.get("/sitemap.xml").content.decode()
    assert center.get_absolute_url() in xml and article.get_absolute_url() in xml
    assert draft.get_absolute_url() not in xml
    robots = client.get("/robots.txt")
    assert robots["Content-Type"].startswith("text/plain")
    assert b"Sitemap: http://testserver/sitemap.xml" in robots.content


def test_the_privacy_page_explains_the_one_link_that_leaves_for_a_third_party(client):
    """Center pages link "Directions" to Google Maps: the privacy page must say what that shares."""
    center = make_center()
    assert "google.com/maps" in client.get(center.get_absolute_url()).content.decode()
    html = client.get("/privacy/").content.decode()
    directions = html[html.index('id="directions"') :].split("</p>")[0]
    assert "Google Maps" in directions and "only when you tap it" in directions


def test_the_no_results_crisis_help_does_not_say_the_same_thing_twice(client):
    html = client.get("/centers/?near=99501&treatment=vns").content.decode()
    panel = html[html.index('class="no-results"') :].split("</section>")[0]
    assert panel.lower().count("have to wait") == 1


def test_the_home_page_shows_each_treatment_blurb_whole(client):
    """Issue 13: the home page's treatment blurbs were cut mid-sentence."""
    page = unescape(client.get("/").content.decode())
    for treatment in Treatment.objects.all():
        assert treatment.summary.strip() in page, treatment.slug
        assert treatment.summary.strip().endswith("."), treatment.slug
