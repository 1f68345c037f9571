"""The guide's second edition (issue 17) as readers meet it: every article in the index, feed and sitemap,
treatment pages that list their articles, the checklist's new questions, the self-check's link for families."""

import xml.etree.ElementTree as ET
from html import unescape

import pytest

from articles.models import Article
from articles.services import guide_load, guide_sources
from directory.models import Treatment
from tests.factories import make_article

pytestmark = pytest.mark.django_db

SHIPPED = len(guide_sources())
MEDICATION_ARTICLE = "medication-options-when-antidepressants-havent-worked"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def guide():
    guide_load()
    return {article.slug: article for article in Article.objects.all()}


def test_every_shipped_article_is_in_the_index_the_feed_and_the_sitemap(client, guide):
    assert SHIPPED >= 18
    index = client.get("/guide/").content.decode()
    assert index.count('class="article-card"') == SHIPPED
    feed = ET.fromstring(client.get("/guide/feed/").content)  # noqa: S314 (our own response)
    feed_links = {link.text for link in feed.findall("./channel/item/link")}
    root = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 (our own response)
    sitemap = {url.find("s:loc", SITEMAP_NS).text for url in root.findall("s:url", SITEMAP_NS)}
    for slug in guide:
        url = f"http://testserver/guide/{slug}/"
        assert url in feed_links, slug
        assert url in sitemap, slug
    assert len(feed_links) == SHIPPED


def test_the_medication_management_page_leads_to_its_own_guide_article(client, guide):
    assert Treatment.objects.get(slug="medication-management").guide_slug == MEDICATION_ARTICLE
    html = unescape(client.get("/treatments/medication-management/").content.decode())
    assert f'href="/guide/{MEDICATION_ARTICLE}/">Read our guide: {guide[MEDICATION_ARTICLE].title}' in html


def test_a_treatment_page_lists_the_other_published_articles_about_it(client, guide):
    html = unescape(client.get("/treatments/medication-management/").content.decode())
    section = html[html.index("More from the guide") :]
    for slug in ["genetic-tests-for-antidepressants", "is-it-bipolar-depression", "staying-well-after-treatment-works"]:
        assert f'href="/guide/{slug}/">{guide[slug].title}</a>' in section
    assert f'href="/guide/{MEDICATION_ARTICLE}/"' not in section  # already the page's main guide link
    esketamine = unescape(client.get("/treatments/esketamine/").content.decode())
    assert 'href="/guide/costs-insurance-and-prior-authorization/"' in esketamine


def test_a_treatment_page_leaves_drafts_out_of_its_guide_list(client):
    vns = Treatment.objects.get(slug="vns")
    draft = make_article(title="VNS draft notes", status=Article.Status.DRAFT)
    public = make_article(title="Living with a VNS device")
    for article in (draft, public):
        article.related_treatments.set([vns])
    html = client.get("/treatments/vns/").content.decode()
    assert "Living with a VNS device" in html and "VNS draft notes" not in html


def test_a_treatment_page_without_other_articles_has_no_empty_guide_list(client):
    assert "More from the guide" not in client.get("/treatments/ipt/").content.decode()


def test_the_printable_checklist_asks_about_cost_and_monitoring(client, guide):
    html = unescape(client.get("/guide/questions-to-ask-a-provider/checklist/").content.decode())
    assert "Good Faith Estimate" in html
    assert "medical benefit or my pharmacy benefit" in html
    assert ">Monitoring</h2>" in html
    assert "Which blood tests, weight or blood pressure checks will I need" in html


def test_the_self_check_result_points_family_members_to_the_supporting_article(client, guide):
    answers = {f"item{number}": "1" for number in range(1, 10)} | {"item9": "0"}
    html = client.post("/self-check/", answers).content.decode()
    assert 'href="/guide/supporting-someone-with-depression/"' in html
    assert client.get("/guide/supporting-someone-with-depression/").status_code == 200


def test_the_corrected_articles_show_their_new_update_date(client, guide):
    html = client.get("/guide/what-is-treatment-resistant-depression/").content.decode()
    assert 'Updated <time datetime="2026-11-29' in html
    assert "about two-thirds of people had reached remission" not in html
