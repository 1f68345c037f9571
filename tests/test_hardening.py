"""Issue 16 (hardening, round 2): NUL bytes in URLs, the state segment of city URLs, the
public forms' body limits and the change-history page under the CSP."""

from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.urls import Resolver404, resolve, reverse
from django.utils import translation

from directory.models import Inquiry
from tests.directory.outreach_helpers import inquiry_data
from tests.factories import make_center

pytestmark = pytest.mark.django_db


# F-05: a NUL in the path or the query string answers 400 with crisis help, never 500.


@pytest.mark.parametrize(
    "url",
    [
        "/centers/f%00/jacksonville/",
        "/treatments/tms/f%00/jacksonville/",
        "/es/centers/f%00/jacksonville/",
        "/centers/?q=%00",
        "/centers/?near=Jacksonville%2C+FL&treatment=tms%00",
        "/centers/?%00=1",
        "/guide/?q=a%00b",
    ],
)
def test_a_nul_in_a_public_url_answers_400_with_crisis_help(client, center, url):
    response = client.get(url)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="tel:988"' in html and 'href="tel:911"' in html
    assert "We could not read that address" in html or "No pudimos leer esa dirección" in html


def test_the_spanish_nul_page_is_in_spanish(client, center):
    html = client.get("/es/centers/f%00/jacksonville/").content.decode()
    assert '<html lang="es">' in html and "No pudimos leer esa dirección" in html


def test_a_nul_in_an_admin_filter_answers_400(admin_client, center):
    response = admin_client.get("/admin/directory/center/?status__exact=%00")
    assert response.status_code == 400
    assert b'href="tel:988"' in response.content


def test_a_nul_in_the_api_answers_400_in_json(client, center):
    response = client.get("/api/centers/?q=%00")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "NUL" in response.json()["errors"]["request"][0]
    assert client.get("/api/hsds/services?search=%00").status_code == 400


def test_urls_without_nul_still_answer(client, center):
    # The positive control: the same pages answer normally without the NUL.
    assert client.get("/centers/fl/jacksonville/").status_code == 200
    assert client.get("/treatments/tms/fl/jacksonville/").status_code == 200
    assert client.get("/centers/?q=harbor").status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/centers/f1/jacksonville/", "/centers/flo/jacksonville/", "/treatments/tms/f-/jacksonville/", "/es/centers/x/y/"],
)
def test_the_state_segment_of_city_urls_is_two_letters(path):
    with pytest.raises(Resolver404):
        resolve(path)


def test_city_urls_with_two_letters_resolve_in_both_languages():
    assert resolve("/centers/fl/jacksonville/").url_name == "city"
    with translation.override("es"):
        assert resolve("/es/treatments/tms/FL/jacksonville/").url_name == "treatment_city"
        with pytest.raises(Resolver404):
            resolve("/es/treatments/tms/FLA/jacksonville/")
    assert reverse("directory:city", args=["pr", "san-juan"]) == "/centers/pr/san-juan/"


# F-18: the public forms take a small urlencoded body, nothing else.

SMALL_FILE = b"x" * 100
BIG = 17 * 1024


def multipart_with_file(boundary: str = "BoUnDaRy") -> bytes:
    return (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="item1"\r\n\r\n1\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="upload"; filename="a.bin"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + SMALL_FILE
        + f"\r\n--{boundary}--\r\n".encode()
    )


@pytest.fixture
def public_form_urls(center):
    return {
        "self-check": "/self-check/",
        "ask": reverse("directory:center_ask", args=[center.slug]),
        "report": reverse("directory:center_report", args=[center.slug]),
        "ask in Spanish": "/es" + reverse("directory:center_ask", args=[center.slug]),
    }


@pytest.mark.parametrize("form", ["self-check", "ask", "report", "ask in Spanish"])
def test_a_body_over_16_kb_is_refused_with_413_before_it_is_read(client, public_form_urls, form):
    body = urlencode({"message": "a" * BIG})
    response = client.generic("POST", public_form_urls[form], body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert b'href="tel:988"' in response.content
    # The length alone decides: a body announced as too long is refused unread.
    announced = client.generic(
        "POST",
        public_form_urls[form],
        "item1=1",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(100 * 1024 * 1024),
    )
    assert announced.status_code == 413


@pytest.mark.parametrize("form", ["self-check", "ask", "report"])
def test_files_and_other_content_types_are_refused_with_415(client, public_form_urls, form):
    url = public_form_urls[form]
    with_file = client.generic(
        "POST", url, multipart_with_file(), content_type="multipart/form-data; boundary=BoUnDaRy"
    )
    assert with_file.status_code == 415
    assert b'href="tel:988"' in with_file.content
    assert client.generic("POST", url, '{"item1": 1}', content_type="application/json").status_code == 415
    assert client.generic("POST", url, "item1=1", content_type="text/plain").status_code == 415


def test_the_self_check_still_scores_a_urlencoded_post_and_a_small_multipart_one(client):
    answers = {f"item{n}": "1" for n in range(1, 10)} | {"item9": "0"}
    urlencoded = client.post("/self-check/", urlencode(answers), content_type="application/x-www-form-urlencoded")
    assert urlencoded.status_code == 200 and b"8" in urlencoded.content
    multipart = client.post("/self-check/", answers)  # the test client's default: multipart without files
    assert multipart.status_code == 200
    assert urlencoded.context["result"].total == multipart.context["result"].total == 8


def test_an_inquiry_sent_as_a_browser_sends_it_is_still_accepted(client, center, settings):
    settings.FORM_MIN_SECONDS = 0
    cache.clear()
    url = reverse("directory:center_ask", args=[center.slug])
    data = inquiry_data(client.get(url).content.decode())
    response = client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert Inquiry.objects.count() == 1


def test_the_centers_own_forms_are_limited_too(client, center):
    for url in [reverse("directory:list_your_center"), reverse("directory:representative_sign_in")]:
        huge = client.generic("POST", url, "a=" + "b" * (65 * 1024), content_type="application/x-www-form-urlencoded")
        assert huge.status_code == 413, url
        upload = client.generic(
            "POST", url, multipart_with_file(), content_type="multipart/form-data; boundary=BoUnDaRy"
        )
        assert upload.status_code == 415, url


# F-12: simple-history's object history page sends no inline style (the CSP blocks them).


def test_the_change_history_page_has_no_inline_style(admin_client):
    center = make_center(name="History Clinic")
    center.phone = "(904) 555-0111"
    center.save()
    response = admin_client.get(reverse("admin:directory_center_history", args=[center.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="paginator' in html  # the part that had the style is still there
    assert "style=" not in html
    assert "style-src 'self'" in response["Content-Security-Policy"]


def test_the_location_history_page_has_no_inline_style_either(admin_client):
    location = make_center(name="History Clinic").locations.get()
    response = admin_client.get(reverse("admin:directory_location_history", args=[location.pk]))
    assert response.status_code == 200 and 'class="paginator' in response.content.decode()
    assert "style=" not in response.content.decode()


# F-07: `check --deploy` warns when several workers would each keep their own rate-limit counts.

LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/0"}
}


def deploy_check_ids() -> set[str]:
    from django.core import checks

    return {message.id for message in checks.run_checks(include_deployment_checks=True, tags=["security"])}


@pytest.mark.parametrize(
    ("debug", "caches", "workers", "warned"),
    [
        (False, LOCAL_CACHE, "5", True),
        (False, LOCAL_CACHE, "2", True),
        (False, LOCAL_CACHE, "1", False),
        (False, REDIS_CACHE, "5", False),
        (True, LOCAL_CACHE, "5", False),
    ],
)
def test_deploy_check_warns_of_several_workers_without_a_shared_cache(
    settings, monkeypatch, debug, caches, workers, warned
):
    settings.DEBUG = debug
    settings.CACHES = caches
    monkeypatch.setenv("GUNICORN_WORKERS", workers)
    assert ("config.W001" in deploy_check_ids()) is warned


def test_the_deploy_check_counts_workers_as_gunicorn_does(settings, monkeypatch):
    from config.checks import gunicorn_workers

    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    default = gunicorn_workers()
    assert 1 <= default <= 8
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    assert gunicorn_workers() == 3
