"""The guide as readers and staff meet it: index, search, articles, previews, checklist, feed, sitemap."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from articles.models import Article, FAQItem, Reference, Topic
from config.inline_css import stylesheet_text
from directory.models import Treatment
from tests.factories import make_article

pytestmark = pytest.mark.django_db

RSS_ITEM_LINKS = "./channel/item/link"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def days_ago(days: int):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def tms_article():
    article = make_article(
        title="TMS for depression",
        slug="tms-for-depression",
        topic=Topic.objects.get(slug="treatment-options"),
        summary="How magnetic stimulation treats depression.",
        body="Intro about TMS [1].\n\n## How TMS works\n\nMagnets [2].\n\n## Side effects\n\nMild [3].",
        published_at=days_ago(30),
        updated_at=days_ago(2),
    )
    for number in (1, 2, 3):
        Reference.objects.create(
            article=article,
            number=number,
            title=f"Trial number {number}",
            publisher="A Journal",
            year=2020 + number,
            url=f"https://doi.org/10.1000/trial{number}",
        )
    FAQItem.objects.create(article=article, question="Does TMS hurt?", answer="Most people feel tapping.")
    article.related_treatments.set([Treatment.objects.get(slug="tms")])
    return article


def test_the_index_groups_articles_by_topic_with_the_newest_update_first(client):
    understanding = Topic.objects.get(slug="understanding-depression")
    options = Topic.objects.get(slug="treatment-options")
    make_article(title="Older option", topic=options, updated_at=days_ago(10))
    make_article(title="Newer option", topic=options, updated_at=days_ago(1))
    make_article(title="What TRD is", topic=understanding, updated_at=days_ago(5))
    html = client.get("/guide/").content.decode()
    understanding_heading = html.index('id="topic-understanding-depression-heading"')
    options_heading = html.index('id="topic-treatment-options-heading"')
    assert understanding_heading < html.index("What TRD is") < options_heading
    assert options_heading < html.index("Newer option") < html.index("Older option")


def test_the_index_lists_only_published_articles(client):
    make_article(title="Public piece")
    make_article(title="Draft piece", status=Article.Status.DRAFT)
    make_article(title="Future piece", published_at=timezone.now() + timedelta(days=3))
    html = client.get("/guide/").content.decode()
    assert "Public piece" in html
    assert "Draft piece" not in html and "Future piece" not in html


def test_the_index_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for n in range(6):
        make_article(title=f"Article {n}", topic=Topic.objects.all()[n % 4])
    # The articles with their topics, the topic links, the demo-notice check.
    with django_assert_max_num_queries(3):
        assert client.get("/guide/").status_code == 200


def test_the_index_links_the_self_check_and_the_feed(client):
    html = client.get("/guide/").content.decode()
    assert 'href="/self-check/"' in html
    assert 'type="application/rss+xml"' in html and 'href="/guide/feed/"' in html


def test_searching_finds_words_in_titles_summaries_and_bodies(client):
    make_article(title="Ketamine infusions", body="About infusions.")
    make_article(title="Sleep", summary="Why rest matters for recovery.", body="Text.")
    make_article(title="Exercise", body="Walking helps some people with their mood.")
    for query, expected in [("ketamine", "Ketamine infusions"), ("recovery", "Sleep"), ("walking", "Exercise")]:
        html = client.get("/guide/", {"q": query}).content.decode()
        assert expected in html, query
        assert "1 article matches" in html, query


def test_a_search_that_matches_nothing_says_so(client):
    make_article(title="Ketamine infusions")
    html = client.get("/guide/", {"q": "zzzunknownword"}).content.decode()
    assert "0 articles match" in html and "Nothing in the guide matches that" in html


def test_a_search_never_shows_drafts(client):
    make_article(title="Secret ketamine draft", status=Article.Status.DRAFT)
    make_article(title="Published ketamine guide")
    response = client.get("/guide/", {"q": "ketamine"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Published ketamine guide" in html and "1 article matches" in html  # the search works
    assert "Secret ketamine draft" not in html


def test_an_overlong_search_or_unknown_topic_is_ignored_with_a_note(client):
    make_article(title="Still listed")
    response = client.get("/guide/", {"q": "x" * 500, "topic": "no-such-topic"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Still listed" in html and "too long" in html and "We don't have that topic" in html


def test_search_pages_are_not_indexed_and_point_to_the_index_as_canonical(client):
    html = client.get("/guide/", {"q": "tms"}).content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert '<link rel="canonical" href="http://testserver/guide/">' in html


@pytest.mark.postgres  # full-text search runs on PostgreSQL
@pytest.mark.postgres
def test_postgres_search_ranks_title_matches_above_body_matches_and_stems_words(client):
    make_article(title="Living with depression", body="Some people try stimulation when medicine fails.")
    make_article(title="Stimulation treatments", body="An overview.")
    html = client.get("/guide/", {"q": "stimulating"}).content.decode()
    assert "2 articles match" in html
    assert html.index("Stimulation treatments") < html.index("Living with depression")


@pytest.mark.postgres  # full-text search runs on PostgreSQL
@pytest.mark.postgres
def test_postgres_search_understands_web_search_syntax(client):
    make_article(title="Ketamine infusions", body="Ketamine is given through a vein.")
    make_article(title="Esketamine spray", body="Esketamine, related to ketamine, is a nasal spray.")
    html = client.get("/guide/", {"q": "ketamine -spray"}).content.decode()
    assert "Ketamine infusions" in html and "Esketamine spray" not in html
    html = client.get("/guide/", {"q": '"nasal spray"'}).content.decode()
    assert "Esketamine spray" in html and "Ketamine infusions" not in html


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite fallback")
def test_sqlite_search_needs_every_word_and_puts_title_matches_first(client):
    make_article(title="Living with depression", body="Some try magnetic stimulation.")
    make_article(title="Magnetic stimulation", body="An overview of magnets.")
    make_article(title="Unrelated", body="Only magnetic here.")
    html = client.get("/guide/", {"q": "magnetic stimulation"}).content.decode()
    assert "2 articles match" in html and "Unrelated" not in html
    assert html.index("Magnetic stimulation</a>") < html.index("Living with depression")


def test_an_article_page_shows_byline_review_status_dates_contents_and_references(client, tms_article):
    html = client.get("/guide/tms-for-depression/").content.decode()
    assert "<h1" in html and "TMS for depression" in html
    assert "How magnetic stimulation treats depression." in html
    assert "By Health Connect Daily editorial team" in html
    assert "Not yet medically reviewed" in html and "Medically reviewed by" not in html
    updated = timezone.localtime(tms_article.updated_at)
    assert f'Updated <time datetime="{updated.isoformat()}">{updated:%B} {updated.day}, {updated.year}</time>' in html
    assert '<a href="#how-tms-works">How TMS works</a>' in html and '<h2 id="how-tms-works">' in html
    assert '<li id="ref-2" value="2">' in html
    assert '<a href="https://doi.org/10.1000/trial2" rel="noopener noreferrer">Trial number 2</a>' in html
    assert '<a href="#ref-2">[2]</a>' in html
    assert "Does TMS hurt?" in html and "Most people feel tapping." in html


def test_a_reviewed_article_names_its_reviewer_and_the_review_date(client, tms_article):
    tms_article.reviewer_name = "Dr. Ada Example"
    tms_article.reviewer_credentials = "MD, psychiatrist"
    tms_article.reviewed_on = date(2026, 10, 1)
    tms_article.save()
    html = client.get("/guide/tms-for-depression/").content.decode()
    assert "Medically reviewed by Dr. Ada Example, MD, psychiatrist on" in html
    assert '<time datetime="2026-10-01">October 1, 2026</time>' in html
    assert "Not yet medically reviewed" not in html


def test_an_article_links_its_treatments_to_the_treatment_page_and_to_centers_offering_them(client, tms_article):
    html = client.get("/guide/tms-for-depression/").content.decode()
    assert 'href="/treatments/tms/"' in html
    assert 'href="/centers/?treatment=tms"' in html


def test_related_articles_show_only_published_ones(client, tms_article):
    public = make_article(title="ECT explained")
    draft = make_article(title="Unfinished VNS draft", status=Article.Status.DRAFT)
    tms_article.related_articles.set([public, draft])
    html = client.get("/guide/tms-for-depression/").content.decode()
    assert "ECT explained" in html and "Unfinished VNS draft" not in html


def test_an_article_page_runs_a_constant_number_of_queries(client, tms_article, django_assert_max_num_queries):
    tms_article.related_articles.set([make_article(title=f"Related {n}") for n in range(4)])
    # Article with topic, references, FAQ, treatments, translations (hreflang), related articles,
    # the demo-notice check.
    with django_assert_max_num_queries(7):
        assert client.get("/guide/tms-for-depression/").status_code == 200


@pytest.mark.parametrize(
    "fields",
    [{"status": Article.Status.DRAFT}, {"published_at": timezone.now() + timedelta(days=7)}],
    ids=["draft", "future"],
)
def test_drafts_and_future_articles_are_hidden_from_the_public_and_previewable_by_staff(admin_client, fields):
    article = make_article(title="Not yet", slug="not-yet", **fields)
    assert Client().get("/guide/not-yet/").status_code == 404
    staff_view = admin_client.get("/guide/not-yet/")
    assert staff_view.status_code == 200
    html = staff_view.content.decode()
    assert "Preview: not public." in html
    assert '<meta name="robots" content="noindex">' in html
    assert "application/ld+json" not in html
    assert article.title in html


def test_published_articles_carry_no_preview_banner_even_for_staff(admin_client, tms_article):
    assert "Preview: not public." not in admin_client.get("/guide/tms-for-depression/").content.decode()


def test_drafts_and_future_articles_stay_out_of_the_feed_and_sitemap(client):
    make_article(title="Public one", slug="public-one")
    make_article(title="Draft one", slug="draft-one", status=Article.Status.DRAFT)
    make_article(title="Future one", slug="future-one", published_at=timezone.now() + timedelta(days=1))
    for url in ("/guide/feed/", "/sitemap.xml"):
        body = client.get(url).content.decode()
        assert "/guide/public-one/" in body, url
        assert "/guide/draft-one/" not in body and "/guide/future-one/" not in body, url


def jsonld_blocks(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)
    return [json.loads(block) for block in blocks]


def test_an_article_carries_medical_web_page_and_faq_page_json_ld(client, tms_article):
    page, faq = jsonld_blocks(client.get("/guide/tms-for-depression/").content.decode())
    assert page["@context"] == "https://schema.org" and page["@type"] == "MedicalWebPage"
    assert page["headline"] == "TMS for depression"
    assert page["description"] == "How magnetic stimulation treats depression."
    assert page["url"] == "http://testserver/guide/tms-for-depression/"
    assert page["datePublished"] == tms_article.published_at.isoformat()
    assert page["dateModified"] == tms_article.updated_at.isoformat()
    assert "lastReviewed" not in page and "reviewedBy" not in page
    assert [c["url"] for c in page["citation"]] == [f"https://doi.org/10.1000/trial{n}" for n in (1, 2, 3)]
    assert faq["@type"] == "FAQPage"
    assert faq["mainEntity"] == [
        {
            "@type": "Question",
            "name": "Does TMS hurt?",
            "acceptedAnswer": {"@type": "Answer", "text": "Most people feel tapping."},
        }
    ]


def test_a_reviewed_article_json_ld_names_the_reviewer_and_date(client, tms_article):
    tms_article.reviewer_name = "Dr. Ada Example"
    tms_article.reviewer_credentials = "MD"
    tms_article.reviewed_on = date(2026, 10, 1)
    tms_article.save()
    page = jsonld_blocks(client.get("/guide/tms-for-depression/").content.decode())[0]
    assert page["lastReviewed"] == "2026-10-01"
    assert page["reviewedBy"] == {"@type": "Person", "name": "Dr. Ada Example", "jobTitle": "MD"}


def test_json_ld_escapes_text_that_could_close_the_script_element(client):
    make_article(
        title="</script><script>alert(1)</script>",
        slug="tricky",
        summary="Tom & Jerry <b>bold</b>",
    )
    html = client.get("/guide/tricky/").content.decode()
    assert "<script>alert(1)" not in html
    (page,) = jsonld_blocks(html)
    assert page["headline"] == "</script><script>alert(1)</script>"
    assert page["description"] == "Tom & Jerry <b>bold</b>"


def test_an_article_without_faq_items_has_no_faq_page_json_ld(client):
    make_article(title="Plain", slug="plain")
    assert [block["@type"] for block in jsonld_blocks(client.get("/guide/plain/").content.decode())] == [
        "MedicalWebPage"
    ]


def test_the_feed_is_valid_rss_with_the_newest_twenty_published_articles(client):
    for n in range(22):
        make_article(title=f"Article {n:02d}", slug=f"article-{n:02d}", published_at=days_ago(30 - n))
    response = client.get("/guide/feed/")
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    assert root.tag == "rss"
    links = [link.text for link in root.findall(RSS_ITEM_LINKS)]
    assert len(links) == 20
    assert links[0] == "http://testserver/guide/article-21/"
    assert "http://testserver/guide/article-01/" not in links
    assert root.find("./channel/item/description").text == "A summary."


def test_the_sitemap_is_valid_xml_listing_published_articles_with_their_update_dates(client):
    article = make_article(title="Listed", slug="listed", updated_at=timezone.now() - timedelta(days=3))
    root = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 (our own response)
    entries = {
        url.find("s:loc", SITEMAP_NS).text: url.find("s:lastmod", SITEMAP_NS)
        for url in root.findall("s:url", SITEMAP_NS)
    }
    assert "http://testserver/guide/listed/" in entries
    # The sitemap writes the date in the site's time zone (America/New_York), as Django's template does.
    assert entries["http://testserver/guide/listed/"].text == timezone.localdate(article.updated_at).isoformat()
    assert "http://testserver/self-check/" in entries


CHECKLIST = [
    {"heading": "About the treatment", "items": ["What do you recommend?", "How will we measure progress?"]},
    {"heading": "Cost", "items": ["Are you in network?"]},
]


def test_the_checklist_page_prints_each_group_of_questions_and_is_linked_from_its_article(client):
    article = make_article(title="Questions to ask", slug="questions", checklist=CHECKLIST)
    article_html = client.get("/guide/questions/").content.decode()
    assert 'href="/guide/questions/checklist/"' in article_html
    html = client.get("/guide/questions/checklist/").content.decode()
    assert "About the treatment" in html and "How will we measure progress?" in html and "Are you in network?" in html
    assert html.count('<ul class="checklist">') == 2
    assert f"<style>{stylesheet_text('guide')}</style>" in html  # the guide's stylesheet, with its print rules
    assert "call or text 988" in html
    assert article.get_checklist_url() == "/guide/questions/checklist/"


def test_the_print_stylesheet_draws_checkboxes_and_hides_the_screen_chrome(client):
    from django.contrib.staticfiles import finders

    with open(finders.find("css/guide.css"), encoding="utf-8") as stylesheet:
        css = stylesheet.read()
    assert ".checklist li::before" in css
    print_rules = css[css.index("@media print") :]
    assert ".checklist li::before" in print_rules and "display: none" in print_rules


def test_articles_without_a_checklist_have_no_checklist_page(client):
    make_article(title="No list", slug="no-list")
    assert client.get("/guide/no-list/checklist/").status_code == 404
    assert 'checklist/"' not in client.get("/guide/no-list/").content.decode()


def test_the_checklist_of_a_draft_is_hidden_from_the_public_and_previewable_by_staff(admin_client):
    make_article(title="Draft list", slug="draft-list", checklist=CHECKLIST, status=Article.Status.DRAFT)
    assert Client().get("/guide/draft-list/checklist/").status_code == 404
    assert "Preview: not public." in admin_client.get("/guide/draft-list/checklist/").content.decode()


def test_the_home_page_links_the_self_check(client):
    assert 'href="/self-check/"' in client.get("/").content.decode()


def test_guide_pages_have_no_inline_scripts_or_styles(client, tms_article):
    make_article(title="Questions", slug="questions", checklist=CHECKLIST)
    pages = [
        client.get("/guide/"),
        client.get("/guide/", {"q": "tms"}),
        client.get("/guide/tms-for-depression/"),
        client.get("/guide/questions/checklist/"),
        client.get("/self-check/"),
        client.post("/self-check/", {f"item{n}": "1" for n in range(1, 10)}),
        client.post("/self-check/", {"item1": "9"}),
    ]
    for response in pages:
        html = response.content.decode()
        assert "style=" not in html, response.request["PATH_INFO"]
        for tag in html.split("<script")[1:]:
            head = tag.split(">", 1)[0]
            assert "src=" in head or head.strip() == 'type="application/ld+json"', head
