"""City pages, treatment pages, treatment-in-city pages, and the sitemap that lists them."""

import re
from html import unescape

import pytest

from directory.models import Center, Treatment
from tests.factories import make_article, make_center

pytestmark = pytest.mark.django_db


def title(response) -> str:
    return unescape(re.search(r"<title>(.*?)</title>", response.content.decode(), re.DOTALL).group(1)).strip()


def description(response) -> str:
    return unescape(re.search(r'<meta name="description" content="([^"]*)"', response.content.decode()).group(1))


@pytest.fixture
def jacksonville(db):
    make_center(name="Jax TMS One", treatments=("tms",))
    make_center(name="Jax TMS Two", treatments=("tms", "ketamine"))
    make_center(name="Jax Therapy", treatments=("cbt",))
    make_center(name="Jax Draft", treatments=("tms",), status=Center.Status.DRAFT)
    make_center(name="Orlando TMS", treatments=("tms",), city="Orlando", zip_code="32803", latitude=28.55,
                longitude=-81.37)  # fmt: skip


def test_a_city_page_lists_its_published_centers_with_a_unique_title(client, jacksonville):
    response = client.get("/centers/fl/jacksonville/")
    html = unescape(response.content.decode())
    assert title(response).startswith("Depression treatment centers in Jacksonville, FL - 3 centers")
    assert "Jax TMS One" in html and "Jax Therapy" in html and "Jax Draft" not in html and "Orlando TMS" not in html
    assert 'href="/treatments/tms/fl/jacksonville/">TMS (2)' in html
    assert "3 depression treatment centers in Jacksonville, FL" in description(response)
    assert title(client.get("/centers/fl/orlando/")) != title(response)


def test_a_city_page_for_an_unknown_city_is_not_found_and_capitals_redirect(client, jacksonville):
    assert client.get("/centers/fl/atlantis/").status_code == 404
    assert client.get("/centers/zz/jacksonville/").status_code == 404
    response = client.get("/centers/FL/jacksonville/")
    assert response.status_code == 301 and response["Location"] == "/centers/fl/jacksonville/"


@pytest.mark.parametrize(
    ("typed", "page"),
    [
        ("/centers/FL/Jacksonville/", "/centers/fl/jacksonville/"),
        ("/centers/fl/Jacksonville/", "/centers/fl/jacksonville/"),
        ("/treatments/tms/FL/Jacksonville/", "/treatments/tms/fl/jacksonville/"),
        ("/treatments/tms/fl/JACKSONVILLE/", "/treatments/tms/fl/jacksonville/"),
    ],
)
def test_a_city_address_typed_with_capitals_reaches_the_page_in_one_redirect(client, jacksonville, typed, page):
    response = client.get(typed)
    assert response.status_code == 301 and response["Location"] == page
    assert client.get(page).status_code == 200


def test_a_treatment_in_city_page_says_how_many_centers_offer_it(client, jacksonville):
    response = client.get("/treatments/tms/fl/jacksonville/")
    html = unescape(response.content.decode())
    assert title(response).startswith("TMS therapy in Jacksonville, FL - 2 centers")
    assert "Jax TMS One" in html and "Jax TMS Two" in html and "Jax Therapy" not in html
    assert "2 centers offering Transcranial magnetic stimulation (TMS) in Jacksonville, FL" in description(response)
    ketamine = client.get("/treatments/ketamine/fl/jacksonville/")
    assert title(ketamine).startswith("Ketamine infusion therapy in Jacksonville, FL - 1 center ")


def test_a_treatment_nobody_offers_in_a_city_says_so_and_is_not_indexed(client, jacksonville):
    response = client.get("/treatments/vns/fl/jacksonville/")
    html = unescape(response.content.decode())
    assert response.status_code == 200 and "No center in Jacksonville lists VNS yet" in html
    assert "0 centers" not in html  # said once, in words, not twice
    assert title(response).startswith("VNS therapy in Jacksonville, FL |")
    assert 'content="noindex"' in html
    assert client.get("/treatments/no-such-thing/fl/jacksonville/").status_code == 404


def test_the_treatments_page_lists_every_treatment_with_its_centers(client, jacksonville):
    html = unescape(client.get("/treatments/").content.decode())
    for treatment in Treatment.objects.all():
        assert treatment.get_absolute_url() in html and treatment.name in html
    assert "4 centers listed" not in html and "3 centers listed" in html  # TMS: the draft does not count


def test_a_treatment_page_explains_it_lists_its_cities_and_finds_centers(client, jacksonville):
    response = client.get("/treatments/tms/")
    html = unescape(response.content.decode())
    tms = Treatment.objects.get(slug="tms")
    assert tms.summary in html
    assert 'href="/treatments/tms/fl/jacksonville/">Jacksonville</a> <span class="text-muted small">(2)' in html
    assert 'href="/treatments/tms/fl/orlando/">Orlando</a>' in html
    assert '<input type="hidden" name="treatment" value="tms">' in html and 'action="/centers/"' in html
    assert 'href="/centers/?treatment=tms">Search near you' in html
    assert title(response) != title(client.get("/treatments/ect/"))


def test_a_treatment_page_links_its_guide_article_only_once_it_is_published(client):
    tms = Treatment.objects.get(slug="tms")
    article = make_article(title="TMS therapy explained", slug=tms.guide_slug, status="draft")
    assert article.get_absolute_url() not in client.get("/treatments/tms/").content.decode()
    article.status = "published"
    article.save()
    html = unescape(client.get("/treatments/tms/").content.decode())
    assert f'href="{article.get_absolute_url()}">Read our guide: TMS therapy explained' in html


def test_the_sitemap_lists_city_and_treatment_in_city_pages_of_published_centers_only(client, jacksonville):
    xml = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/centers/fl/jacksonville/" in xml and "http://testserver/centers/fl/orlando/" in xml
    assert "http://testserver/treatments/tms/fl/jacksonville/" in xml
    assert "http://testserver/treatments/ketamine/fl/jacksonville/" in xml
    assert "http://testserver/treatments/vns/fl/jacksonville/" not in xml
    assert "http://testserver/treatments/ketamine/fl/orlando/" not in xml
    make_center(name="Draft Only", city="Tampa", zip_code="33602", status=Center.Status.DRAFT)
    assert "/centers/fl/tampa/" not in client.get("/sitemap.xml").content.decode()


@pytest.mark.parametrize("address", ["/centers/fl/jacksonville/", "/treatments/tms/fl/jacksonville/"])
def test_the_second_page_of_a_city_lists_the_centers_after_the_first_twenty(client, address):
    for n in range(21):
        make_center(name=f"Center {n:02d}", treatments=("tms",))
    first = unescape(client.get(address).content.decode())
    second = unescape(client.get(f"{address}?page=2").content.decode())
    assert "Center 00" in first and "Center 19" in first and "Center 20" not in first
    assert "Center 20" in second and "Center 00" not in second and "Center 19" not in second
