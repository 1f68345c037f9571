"""Every article shipped in articles/content/ meets the guide's editorial rules, and loads as a real page."""

import re
from io import StringIO

import pytest

from articles.models import Article
from articles.services import GuideSource, guide_load, guide_sources

SOURCES = guide_sources()

# PRODUCT.md, "Writing about depression and suicide" and "Crisis help".
FORBIDDEN_PHRASES = [
    "committed suicide",
    "commit suicide",
    "successful suicide",
    "failed attempt",
    "successful attempt",
    "unsuccessful attempt",
    "epidemic",
    "skyrocketing",
    "press 3",
    "honcode",
]
REVIEWER_CLAIMS = re.compile(r"(medically\s+)?reviewed\s+by\b", re.I)
REVIEWER_KEYS = {"reviewer", "reviewer_name", "reviewer_credentials", "reviewed_on", "medical_reviewer"}
MIN_WORDS = 600
MIN_REFERENCES = 3

# Issue 17, the guide's second edition: each new article has at least 900 words and 5 references,
# a FAQ, a "what to ask" section, links to centers offering its treatments, and crisis help.
SECOND_EDITION = [
    "medication-options-when-antidepressants-havent-worked",
    "costs-insurance-and-prior-authorization",
    "supporting-someone-with-depression",
    "staying-well-after-treatment-works",
    "genetic-tests-for-antidepressants",
    "is-it-bipolar-depression",
]
SECOND_EDITION_MIN_WORDS = 900
SECOND_EDITION_MIN_REFERENCES = 5
BY_SLUG = {source.meta["slug"]: source for source in SOURCES}


def test_the_guide_ships_the_first_twelve_articles_and_the_six_of_the_second_edition():
    assert len(SOURCES) >= 18
    assert set(SECOND_EDITION) <= set(BY_SLUG)


def words(markdown_text: str) -> int:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown_text)  # keep link text, drop URLs
    return len(re.findall(r"[A-Za-z0-9][A-Za-z0-9'’-]*", text))


def editorial_problems(source: GuideSource) -> list[str]:
    problems = []
    text = source.path.read_text(encoding="utf-8").lower()
    problems += [f"says {phrase!r}" for phrase in FORBIDDEN_PHRASES if phrase in text]
    summary = (source.meta.get("summary") or "").strip()
    if not summary:
        problems.append("no summary")
    elif len(summary) > 400:
        problems.append("summary over 400 characters")
    if len(source.references) < MIN_REFERENCES:
        problems.append(f"{len(source.references)} references")
    problems += [
        f"reference without title or https URL: {ref}"
        for ref in source.references
        if not (ref.get("title") and str(ref.get("url", "")).startswith("https://"))
    ]
    if words(source.body) < MIN_WORDS:
        problems.append(f"{words(source.body)} words")
    if REVIEWER_KEYS.intersection(source.meta) or REVIEWER_CLAIMS.search(source.body):
        problems.append("names a reviewer")
    return problems


@pytest.mark.parametrize("source", SOURCES, ids=[source.path.name for source in SOURCES])
def test_a_shipped_article_follows_the_editorial_rules(source):
    assert editorial_problems(source) == []
    assert source.path.stem == source.meta["slug"]


def test_the_editorial_check_catches_each_kind_of_problem(tmp_path):
    body = "Reviewed by Dr. Nobody. An epidemic, skyrocketing. He committed suicide; a failed attempt. Press 3.\n"
    path = tmp_path / "bad.md"
    path.write_text(body, encoding="utf-8")
    source = GuideSource(
        path=path,
        meta={"summary": " ", "reviewer_name": "Dr. Nobody"},
        body=body,
        references=[{"title": "Only one", "url": "http://example.org/"}],
    )
    problems = editorial_problems(source)
    for expected in [
        "'committed suicide'",
        "'failed attempt'",
        "'epidemic'",
        "'skyrocketing'",
        "'press 3'",
        "no summary",
        "1 references",
        "reference without title or https URL",
        "words",
        "names a reviewer",
    ]:
        assert any(expected in problem for problem in problems), expected


@pytest.mark.parametrize("source", SOURCES, ids=[source.path.name for source in SOURCES])
def test_every_citation_in_a_shipped_article_points_at_one_of_its_references(source):
    cited = {int(number) for number in re.findall(r"\[(\d{1,3})\](?!\()", source.body)}
    assert cited, "cites nothing"
    assert cited <= set(range(1, len(source.references) + 1)), f"cites {sorted(cited)}"


@pytest.mark.django_db
def test_the_shipped_guide_loads_and_every_article_page_says_it_is_not_yet_reviewed(client):
    guide_load()
    assert Article.objects.published().count() == len(SOURCES)
    for article in Article.objects.all():
        assert not article.is_reviewed
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200, article.slug
        html = response.content.decode()
        assert "Not yet medically reviewed" in html and "Medically reviewed by" not in html
        assert html.count('<li id="ref-') >= MIN_REFERENCES
        assert "<script>" not in html
    checklist = Article.objects.get(slug="questions-to-ask-a-provider")
    assert client.get(checklist.get_checklist_url()).status_code == 200
    assert client.get("/guide/").content.decode().count('class="article-card"') == len(SOURCES)


@pytest.mark.django_db
def test_load_guide_dates_articles_from_the_start_of_their_day_and_refreshes_stale_html(client):
    from django.core.management import call_command
    from django.utils import timezone

    call_command("load_guide", stdout=StringIO())
    article = Article.objects.get(slug="tms-therapy")
    published = timezone.localtime(article.published_at)
    assert (published.hour, published.minute) == (0, 0)
    Article.objects.filter(pk=article.pk).update(body_html="<p>stale</p>", toc=[])
    call_command("load_guide", stdout=StringIO())
    article.refresh_from_db()
    assert "stale" not in article.body_html and article.toc


def second_edition_problems(source: GuideSource) -> list[str]:
    problems = []
    if (count := words(source.body)) < SECOND_EDITION_MIN_WORDS:
        problems.append(f"{count} words")
    if (count := len(source.references)) < SECOND_EDITION_MIN_REFERENCES:
        problems.append(f"{count} references")
    if not source.meta.get("faq"):
        problems.append("no FAQ")
    if not re.search(r"^## .*\bask\b", source.body, re.I | re.M):
        problems.append('no "what to ask" section')
    treatments = source.meta.get("related_treatments") or []
    if not treatments:
        problems.append("no related treatments")
    if not any(f"/centers/?treatment={slug})" in source.body for slug in treatments):
        problems.append("no link to centers offering its treatments")
    if "call or text 988" not in source.body.lower():
        problems.append("no crisis line")
    return problems


@pytest.mark.parametrize("slug", SECOND_EDITION)
def test_a_second_edition_article_meets_the_numbers_of_issue_17(slug):
    assert second_edition_problems(BY_SLUG[slug]) == []


def test_the_second_edition_check_catches_a_thin_article(tmp_path):
    body = "A short text [1].\n\n## Background\n\nNothing to ask here.\n"
    path = tmp_path / "thin.md"
    path.write_text(body, encoding="utf-8")
    source = GuideSource(path=path, meta={"summary": "s"}, body=body, references=[{"title": "t", "url": "https://a"}])
    assert second_edition_problems(source) == [
        "9 words",
        "1 references",
        "no FAQ",
        'no "what to ask" section',
        "no related treatments",
        "no link to centers offering its treatments",
        "no crisis line",
    ]
