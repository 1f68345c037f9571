"""The guide in Spanish (issue 19, item 5): the translated articles, their own medical review,
the English-only note on the others, hreflang, and loading them with `load_guide`."""

import re
import xml.etree.ElementTree as ET
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import translation

from articles.models import Article, ArticleTranslation
from articles.services import CONTENT_DIR, article_review_record, guide_load, guide_sources, translation_sources
from tests.directory.outreach_helpers import admin_form_data, make_staff
from tests.factories import make_article

pytestmark = pytest.mark.django_db

TRANSLATIONS = translation_sources("es")
ENGLISH = {source.meta["slug"]: source for source in guide_sources()}
NOT_REVIEWED = "ningún profesional clínico ha revisado todavía esta traducción"
ENGLISH_ONLY = "Este artículo solo está disponible en inglés."
# The same words as tests/articles/test_content.py, in Spanish (PRODUCT.md's safe-messaging rules).
FORBIDDEN_PHRASES = [
    "cometió suicidio",
    "cometer suicidio",
    "suicidio exitoso",
    "intento fallido",
    "epidemia",
    "oprima 3",
]
SPANISH_CRISIS_LINE = [
    "llame o envíe un mensaje de texto al 988",
    "oprima 2 para español",
    "envíe AYUDA al 988",
    "988lineadevida.org",
    "llame al 911",
]


def citations(markdown_text: str) -> list[str]:
    return sorted(set(re.findall(r"\[(\d{1,3})\](?!\()", markdown_text)))


def references_shown(html: str) -> list[str]:
    section = re.search(r'<section class="article-section references".*?</section>', html, re.S).group(0)
    return re.findall(r'<li id="ref-(\d+)"[^>]*>\s*<a href="([^"]+)"', section)


@pytest.fixture
def guide(db):
    guide_load()


def test_the_four_first_visit_articles_are_translated():
    assert {source.meta["slug"] for source in TRANSLATIONS} >= {
        "what-is-treatment-resistant-depression",
        "how-to-choose-a-treatment-center",
        "questions-to-ask-a-provider",
        "costs-insurance-and-prior-authorization",
    }


@pytest.mark.parametrize("source", TRANSLATIONS, ids=[source.path.name for source in TRANSLATIONS])
def test_a_translation_keeps_the_originals_citations_and_follows_the_rules(source):
    original = ENGLISH[source.meta["slug"]]
    assert citations(source.body) == citations(original.body)
    assert len(source.meta.get("faq") or []) == len(original.meta.get("faq") or [])
    assert [len(group["items"]) for group in source.meta.get("checklist") or []] == [
        len(group["items"]) for group in original.meta.get("checklist") or []
    ]
    # Every number of the original is in the translation (none lost or changed in translation).
    numbers = set(re.findall(r"\d+(?:[.,]\d+)?", re.sub(r"\[\d+\]|\(/[^)]*\)", "", original.body)))
    numbers = {number.replace(",", "") for number in numbers}
    spanish_numbers = {n.replace(",", "") for n in re.findall(r"\d+(?:[.,]\d+)?", source.body)}
    assert numbers - spanish_numbers == set()
    text = source.path.read_text(encoding="utf-8").lower()
    assert [phrase for phrase in FORBIDDEN_PHRASES if phrase in text] == []
    assert not re.search(r"revisado por|revisión médica de", text), "no reviewer is named in a file"
    assert len(source.meta["summary"]) <= 400
    for path in re.findall(r"\]\((/[^)\s]*)\)", source.body):
        assert path.startswith("/es/"), path
        try:
            with translation.override("es"):
                match = resolve(path.split("?")[0])
        except Resolver404:
            pytest.fail(f"{source.path.name} links to {path}, which is no page")
        if match.view_name == "articles:detail":
            assert match.kwargs["slug"] in ENGLISH, path


@pytest.mark.parametrize("source", TRANSLATIONS, ids=[source.path.name for source in TRANSLATIONS])
def test_a_translation_that_speaks_of_crisis_gives_988s_spanish_line(source):
    text = " ".join(source.body.split())
    if "988" in text:
        assert [part for part in SPANISH_CRISIS_LINE if part.lower() not in text.lower()] == []


def test_the_spanish_article_says_it_is_an_unreviewed_translation_and_cites_the_same_references(client, guide):
    english = client.get("/guide/what-is-treatment-resistant-depression/").content.decode()
    spanish = client.get("/es/guide/what-is-treatment-resistant-depression/").content.decode()
    assert '<h1 id="article-title">¿Qué es la depresión resistente al tratamiento?</h1>' in spanish
    assert NOT_REVIEWED in spanish and "Todavía sin revisión médica" in spanish
    assert ENGLISH_ONLY not in spanish
    assert 'lang="en"' not in spanish.split('<div class="article-body"')[1].split(">")[0]
    assert references_shown(spanish) == references_shown(english)
    assert len(references_shown(spanish)) == len(ENGLISH["what-is-treatment-resistant-depression"].references)
    assert "¿Es rara la depresión resistente al tratamiento?" in spanish  # the FAQ in Spanish
    assert NOT_REVIEWED not in english and "¿Qué es la depresión" not in english


def test_other_articles_on_spanish_pages_show_the_english_text_with_a_spanish_note(client, guide):
    html = client.get("/es/guide/tms-therapy/").content.decode()
    assert ENGLISH_ONLY in html
    assert re.search(r'<h1 id="article-title" lang="en">', html)
    assert '<div class="article-body" lang="en">' in html
    assert ENGLISH_ONLY not in client.get("/es/guide/what-is-treatment-resistant-depression/").content.decode()


def test_the_spanish_guide_index_lists_spanish_articles_where_they_exist(client, guide):
    html = client.get("/es/guide/").content.decode()
    assert (
        '<a href="/es/guide/what-is-treatment-resistant-depression/">¿Qué es la depresión resistente al '
        "tratamiento?</a>" in html
    )
    card = re.search(r'<h3 class="h5 mb-1"( lang="en")?><a href="/es/guide/tms-therapy/">', html)
    assert card and card.group(1) == ' lang="en"', "an untranslated article is marked as English"
    assert "Entender la depresión" in html  # topic names in Spanish
    finding_care = html.split('id="topic-finding-care"')[1].split("</section>")[0]
    slugs = re.findall(r'<a href="/es/guide/([^/]+)/">', finding_care)
    assert set(slugs[:3]) == {
        "how-to-choose-a-treatment-center",
        "questions-to-ask-a-provider",
        "costs-insurance-and-prior-authorization",
    }, "translated articles first within a topic"
    english = client.get("/guide/").content.decode()
    assert "What is treatment-resistant depression?" in english and "¿Qué es" not in english


def test_a_translation_has_its_own_medical_review(client, guide):
    article = Article.objects.get(slug="what-is-treatment-resistant-depression")
    article_review_record(
        article=article, reviewer_name="Dr. English Reviewer", reviewer_credentials="MD", reviewed_on=date(2026, 11, 30)
    )
    spanish = client.get("/es/guide/what-is-treatment-resistant-depression/").content.decode()
    assert "Dr. English Reviewer" not in spanish and NOT_REVIEWED in spanish
    assert "Dr. English Reviewer" in client.get("/guide/what-is-treatment-resistant-depression/").content.decode()

    translation = article.translations.get(language="es")
    article_review_record(
        article=translation,
        reviewer_name="Dra. Revisora Española",
        reviewer_credentials="MD, psiquiatra",
        reviewed_on=date(2026, 12, 1),
    )
    spanish = client.get("/es/guide/what-is-treatment-resistant-depression/").content.decode()
    assert "Revisión médica de Dra. Revisora Española, MD, psiquiatra" in spanish and NOT_REVIEWED not in spanish
    assert "Dr. English Reviewer" not in spanish
    assert "Dra. Revisora Española" not in client.get("/guide/what-is-treatment-resistant-depression/").content.decode()


def test_a_guide_editor_records_a_translations_review_in_the_article_admin(client, django_user_model, guide):
    client.force_login(make_staff(django_user_model, "editor", "Guide editors"))
    article = Article.objects.get(slug="what-is-treatment-resistant-depression")
    queue = client.get("/admin/articles/article/review-queue/").content.decode()
    assert f"Translations awaiting review ({len(TRANSLATIONS)})" in queue
    assert "¿Qué es la depresión resistente al tratamiento?" in queue

    change_url = f"/admin/articles/article/{article.pk}/change/"
    data = admin_form_data(client.get(change_url))
    assert data["translations-0-language"] == "es"
    data |= {
        "translations-0-reviewer_name": "Dra. Revisora Española",
        "translations-0-reviewer_credentials": "MD, psiquiatra",
        "translations-0-reviewed_on": "2026-12-01",
    }
    response = client.post(change_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response

    article.refresh_from_db()
    assert not article.is_reviewed, "the English article keeps its own review status"
    assert article.translations.get().faq[0]["question"].startswith("¿Qué significa"), "the FAQ saved unchanged"
    spanish = client.get("/es/guide/what-is-treatment-resistant-depression/").content.decode()
    assert "Revisión médica de Dra. Revisora Española, MD, psiquiatra" in spanish and NOT_REVIEWED not in spanish
    queue = client.get("/admin/articles/article/review-queue/").content.decode()
    assert f"Translations awaiting review ({len(TRANSLATIONS) - 1})" in queue


def test_both_versions_of_a_translated_article_name_each_other(client, guide):
    path = "/guide/what-is-treatment-resistant-depression/"
    for url in (path, "/es" + path):
        head = client.get(url).content.decode().split("</head>")[0]
        alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', head))
        assert alternates == {
            "en": f"http://testserver{path}",
            "es": f"http://testserver/es{path}",
            "x-default": f"http://testserver{path}",
        }, url
    assert f'<link rel="canonical" href="http://testserver/es{path}">' in client.get("/es" + path).content.decode()
    untranslated = client.get("/es/guide/tms-therapy/").content.decode().split("</head>")[0]
    assert 'hreflang="es"' not in untranslated
    assert '<link rel="canonical" href="http://testserver/guide/tms-therapy/">' in untranslated


def test_the_spanish_sitemap_lists_translated_articles_only(client, guide):
    root = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 (our own response)
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = {url.find("s:loc", namespace).text for url in root.findall("s:url", namespace)}
    assert "http://testserver/es/guide/what-is-treatment-resistant-depression/" in urls
    assert "http://testserver/es/guide/tms-therapy/" not in urls


def test_a_draft_translation_is_not_shown_to_the_public(admin_client):
    client = Client()  # pytest-django's `client` is the one admin_client signs in
    article = make_article(title="Only in English for now", slug="draft-translated")
    ArticleTranslation.objects.create(
        article=article, title="Borrador en español", summary="Resumen.", body="## Parte\n\nTexto.", status="draft"
    )
    assert ENGLISH_ONLY in client.get("/es/guide/draft-translated/").content.decode()
    assert "Borrador en español" not in client.get("/es/guide/").content.decode()
    assert "Borrador en español" in admin_client.get("/es/guide/draft-translated/").content.decode()


def test_load_guide_loads_translations_and_update_overwrites_them_but_never_the_review(db):
    out = StringIO()
    call_command("load_guide", stdout=out)
    assert f"Guide translations: created {len(TRANSLATIONS)}," in out.getvalue()
    translation = ArticleTranslation.objects.get(article__slug="what-is-treatment-resistant-depression")
    assert translation.status == "published" and translation.body_html.startswith("<p>Si ha probado")
    translation.title = "Cambiado por el personal"
    translation.reviewer_name, translation.reviewed_on = "Dra. Revisora", date(2026, 11, 29)
    translation.save()
    call_command("load_guide", stdout=StringIO())
    translation.refresh_from_db()
    assert translation.title == "Cambiado por el personal", "staff edits survive a plain load_guide"
    call_command("load_guide", "--update", stdout=StringIO())
    translation.refresh_from_db()
    assert translation.title == "¿Qué es la depresión resistente al tratamiento?"
    assert translation.reviewer_name == "Dra. Revisora", "the review is never set or cleared from a file"


def test_a_translation_file_may_not_carry_its_own_references(tmp_path, db):
    (tmp_path / "es").mkdir()
    source = (CONTENT_DIR / "es" / "what-is-treatment-resistant-depression.md").read_text(encoding="utf-8")
    (tmp_path / "es" / "x.md").write_text(
        source.replace("faq:", 'references:\n  - title: "x"\n    url: "https://example.org"\nfaq:', 1),
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="references"):
        translation_sources("es", tmp_path)


def test_the_spanish_index_runs_a_constant_number_of_queries(client, guide, django_assert_max_num_queries):
    # The articles with their topics, their Spanish translations, the topic links, the demo-notice check.
    with django_assert_max_num_queries(4):
        assert client.get("/es/guide/").status_code == 200


def test_the_printable_checklist_is_in_spanish_on_spanish_pages(client, guide):
    html = client.get("/es/guide/questions-to-ask-a-provider/checklist/").content.decode()
    assert "<h1>Preguntas para hacerle a un proveedor de tratamiento para la depresión: lista para marcar</h1>" in html
    assert '<h2 id="checklist-group-1">Sobre el tratamiento</h2>' in html
    assert "¿Qué tratamiento me recomienda y por qué?" in html and 'lang="en"' not in html.split("<main")[1]
    assert "What treatment do you recommend" not in html
    english = client.get("/guide/questions-to-ask-a-provider/checklist/").content.decode()
    assert "What treatment do you recommend" in english


def test_the_admin_refuses_a_faq_the_page_could_not_show(client, django_user_model, guide):
    client.force_login(make_staff(django_user_model, "editor", "Guide editors"))
    article = Article.objects.get(slug="what-is-treatment-resistant-depression")
    change_url = f"/admin/articles/article/{article.pk}/change/"
    data = admin_form_data(client.get(change_url)) | {"translations-0-faq": '"just a sentence"'}
    response = client.post(change_url, data)
    assert response.status_code == 200 and "Write a list of" in response.content.decode()
    assert article.translations.get().faq != "just a sentence"
    assert client.get("/es/guide/what-is-treatment-resistant-depression/").status_code == 200


def test_a_search_on_the_spanish_guide_finds_the_spanish_articles_first(client, guide):
    html = client.get("/es/guide/", {"q": "autorización previa"}).content.decode()
    found = re.findall(r'<h3 class="h5 mb-1"[^>]*><a href="/es/guide/([^/]+)/">', html)
    assert found[:1] == ["costs-insurance-and-prior-authorization"] and set(found) <= set(ENGLISH)
    assert "tms-therapy" not in found
    both = re.findall(
        r'<h3 class="h5 mb-1"[^>]*><a href="/es/guide/([^/]+)/">',
        client.get("/es/guide/", {"q": "TMS"}).content.decode(),
    )
    assert "tms-therapy" in both, "English matches still come after the Spanish ones"
    assert both[0] in {source.meta["slug"] for source in TRANSLATIONS}, "a Spanish match comes first"
    english = client.get("/guide/", {"q": "autorización"}).content.decode()
    assert "Nothing in the guide matches that" in english, "English pages search the English text"


def test_the_spanish_home_and_treatment_pages_name_guide_articles_in_spanish(client, guide):
    home = client.get("/es/").content.decode()
    guide_list = home.split('id="guide-heading"')[1].split("</section>")[0]
    assert "¿Qué es la depresión resistente al tratamiento?" in guide_list
    assert "Entender la depresión" in guide_list or "Encontrar atención" in guide_list  # topics in Spanish
    for title in re.findall(r"<li[^>]*>(.*?)</li>", guide_list, re.S):
        assert "lang=" in title or re.search(r"[¿áéíóúñ]", title), f"an English title not marked as English: {title}"
    assert "¿Qué es" not in client.get("/").content.decode()

    treatment = client.get("/es/treatments/tms/").content.decode()
    assert "Cómo pagar el tratamiento: costos, seguro y autorización previa" in treatment
    assert "Paying for treatment: costs, insurance and prior authorization" not in treatment


def test_a_spanish_article_page_runs_a_constant_number_of_queries(client, guide, django_assert_max_num_queries):
    # Article with topic, references, FAQ, treatments, translations, related articles with their
    # Spanish translations, the demo-notice check: the same for 11 related articles as for none.
    with django_assert_max_num_queries(8):
        assert client.get("/es/guide/what-is-treatment-resistant-depression/").status_code == 200
