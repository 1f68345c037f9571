"""The site in Spanish under /es/ (issue 19): the language in the path, the switcher,
hreflang, the sitemap, and crisis help in Spanish first and exact."""

import ast
import gettext
import re
import xml.etree.ElementTree as ET
from html import unescape
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import Client

from tests.factories import make_article, make_center

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)">', response.content.decode()).group(1)


def crisis_strip(response) -> str:
    return re.search(r'<aside class="crisis-strip".*?</aside>', response.content.decode(), re.S).group(0)


def switcher_link(response, language: str) -> str:
    html = response.content.decode()
    switcher = re.search(r'<ul class="language-switcher.*?</ul>', html, re.S).group(0)
    return unescape(re.search(rf'href="([^"]*)" hreflang="{language}"', switcher).group(1))


def test_english_stays_at_todays_urls_and_spanish_is_under_es(client):
    english, spanish = client.get("/centers/"), client.get("/es/centers/")
    assert english.status_code == spanish.status_code == 200
    assert html_lang(english) == "en" and english["Content-Language"] == "en"
    assert html_lang(spanish) == "es" and spanish["Content-Language"] == "es"
    assert "Buscar un centro" in spanish.content.decode()


def test_the_path_alone_picks_the_language(client):
    """A Spanish browser on an English URL gets the English page, not a redirect: bookmarks
    keep working, and shared caches need no Vary: Accept-Language."""
    response = client.get("/centers/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200 and html_lang(response) == "en"
    for url in ("/", "/es/", "/centers/", "/es/centers/"):
        assert "Accept-Language" not in client.get(url, HTTP_ACCEPT_LANGUAGE="es").get("Vary", ""), url


def test_the_admin_stays_in_english(client):
    response = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert 'lang="en"' in response.content.decode() and "Iniciar sesión" not in response.content.decode()
    assert client.get("/es/admin/login/").status_code == 404


def test_language_switch_round_trips_with_the_page_and_its_query(client):
    make_center(
        name="Round Trip Clinic",
        city="Miami",
        state="FL",
        zip_code="33130",
        latitude=25.7743,
        longitude=-80.1937,
        treatments=("ketamine",),
    )
    start = "/centers/?near=Miami%2C+FL&treatment=ketamine"
    english = client.get(start)
    spanish_url = switcher_link(english, "es")
    assert spanish_url == "/es" + start
    spanish = client.get(spanish_url)
    assert spanish.status_code == 200 and html_lang(spanish) == "es"
    assert "Round Trip Clinic" in spanish.content.decode()
    assert switcher_link(spanish, "en") == start
    assert client.get("/es/").status_code == 200 and switcher_link(client.get("/es/"), "en") == "/"


def test_every_page_names_its_other_language_for_search_engines(client):
    center = make_center(name="Hreflang Clinic")
    for path in ("/", center.get_absolute_url(), "/treatments/tms/", "/guide/"):
        for url in (path, "/es" + path):
            html = client.get(url).content.decode()
            alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
            assert alternates == {
                "en": f"http://testserver{path}",
                "es": f"http://testserver/es{path}",
                "x-default": f"http://testserver{path}",
            }, url


def test_the_sitemap_has_a_spanish_section(client):
    center = make_center(name="Sitemap Clinic")
    make_article(title="Sitemap article", slug="sitemap-article")
    root = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 (our own response)
    urls = {url.find("s:loc", SITEMAP_NS).text for url in root.findall("s:url", SITEMAP_NS)}
    for path in ("/", "/centers/", center.get_absolute_url(), "/treatments/tms/", "/centers/fl/jacksonville/"):
        assert f"http://testserver{path}" in urls, path
        assert f"http://testserver/es{path}" in urls, path
    assert "http://testserver/guide/sitemap-article/" in urls
    assert "http://testserver/es/guide/sitemap-article/" not in urls, "articles are English only"


def test_spanish_crisis_help_is_first_and_exact(client):
    """988's own Spanish instructions (templates/includes/crisis_strip.html cites them)."""
    center = make_center(name="Crisis Check Clinic")
    for url in ("/es/", "/es/centers/", "/es" + center.get_absolute_url(), "/es/guide/", "/es/no-such-page/"):
        response = client.get(url)
        html = response.content.decode()
        strip = crisis_strip(response)
        assert html.index(strip) < html.index("<header"), f"{url}: crisis help is not first"
        text = " ".join(unescape(re.sub(r"<[^>]+>", " ", strip)).split())
        assert "Llame o envíe un mensaje de texto al 988" in text, url
        assert "oprima 2 para español" in text.lower(), url
        assert "envíe AYUDA al 988" in text, url
        assert "chatear en español en 988lineadevida.org" in text, url
        assert "llame al 911" in text, url
        assert "oprima 3" not in text.lower() and "press 3" not in text.lower(), url
        first_paragraph = re.search(r'<p class="crisis-strip-main.*?</p>', strip, re.S).group(0)
        assert re.findall(r'href="(?:tel|sms):([^"]+)"', first_paragraph) == ["988", "988", "911"], url
        assert 'href="https://988lineadevida.org/"' in first_paragraph, url


def test_spanish_crisis_options_give_crisis_text_lines_own_spanish_keyword(client):
    """Crisis Text Line's own pages: text AYUDA to 741741 (templates/includes/crisis_options.html cites them)."""
    center = make_center(name="Options Clinic")
    html = client.get("/es" + center.get_absolute_url() + "ask/").content.decode()
    options = re.search(r'<ul class="crisis-options">.*?</ul>', html, re.S).group(0)
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", options)).split())
    assert "Crisis Text Line en español: envíe AYUDA al 741741" in text and "HOLA" not in text


def test_english_pages_keep_their_english_crisis_help(client):
    strip = crisis_strip(client.get("/"))
    assert "Call or text" in strip and "988lifeline.org/chat/" in strip and "AYUDA" not in strip


def test_not_found_and_unavailable_pages_answer_in_spanish_under_es(client):
    response = client.get("/es/centers/no-such-center/")
    assert response.status_code == 404 and html_lang(response) == "es"
    assert "No encontramos esa página" in response.content.decode()
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("server closed the connection")
    ):
        response = client.get("/es/centers/")
    assert response.status_code == 503 and html_lang(response) == "es"
    html = response.content.decode()
    assert "El directorio no está disponible por un momento" in html and "oprima 2 para español" in html


def test_a_server_error_under_es_answers_in_spanish_with_crisis_help():
    client = Client(raise_request_exception=False)
    with mock.patch("directory.views.render", side_effect=ValueError("a bug")):
        spanish, english = client.get("/es/privacy/"), client.get("/privacy/")
    assert spanish.status_code == english.status_code == 500
    assert html_lang(spanish) == "es" and html_lang(english) == "en"
    html = spanish.content.decode()
    assert "Algo salió mal de nuestro lado" in html and "oprima 2 para español" in html
    assert "Something went wrong" not in html


CATALOGUE = settings.BASE_DIR / "locale" / "es" / "LC_MESSAGES" / "django"


def po_entries(path) -> list[dict]:
    """The entries of a .po file: msgid, msgid_plural, msgstr (or msgstr[n]) and flags."""
    entries, entry, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry and "msgid" in entry:
                entries.append(entry)
            entry, key = None, None
            continue
        entry = entry if entry is not None else {"flags": ""}
        if line.startswith("#,"):
            entry["flags"] += line[2:]
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    return entries[1:]  # the first is the header


def test_every_message_in_the_spanish_catalogue_is_translated():
    entries = po_entries(CATALOGUE.with_suffix(".po"))
    assert len(entries) > 20
    untranslated = [
        entry["msgid"]
        for entry in entries
        if "fuzzy" in entry["flags"] or not all(value for key, value in entry.items() if key.startswith("msgstr"))
    ]
    assert untranslated == []


def test_the_compiled_catalogue_matches_its_source():
    """The .mo is committed (no gettext needed to install): it must say what the .po says."""
    with CATALOGUE.with_suffix(".mo").open("rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    for entry in po_entries(CATALOGUE.with_suffix(".po")):
        if "msgid_plural" in entry:
            for n, key in ((1, "msgstr[0]"), (2, "msgstr[1]")):
                assert translations.ngettext(entry["msgid"], entry["msgid_plural"], n) == entry[key], entry["msgid"]
        elif "msgctxt" in entry:
            assert translations.pgettext(entry["msgctxt"], entry["msgid"]) == entry["msgstr"], entry["msgid"]
        else:
            assert translations.gettext(entry["msgid"]) == entry["msgstr"], entry["msgid"]
