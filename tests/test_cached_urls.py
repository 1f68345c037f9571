"""config/cached_urls.py: the {% url %} tag and the static storage keep fixed URLs, and
write exactly what Django's own would."""

import json

import pytest
from django.template import Context, Template, engines
from django.urls import NoReverseMatch, reverse, set_script_prefix

from config.cached_urls import StaticStorage
from tests.factories import make_center

pytestmark = pytest.mark.django_db


def render(text: str, **context) -> str:
    return engines["django"].from_string(text).render(context)


def test_pages_link_to_the_same_addresses_as_reverse():
    html = render("{% url 'directory:center_list' %} {% url 'articles:index' %}")
    assert html == f"{reverse('directory:center_list')} {reverse('articles:index')}"


def test_a_link_with_arguments_follows_its_argument():
    first = render("{% url 'directory:center_detail' slug %}", slug="harbor-clinic")
    second = render("{% url 'directory:center_detail' slug %}", slug="riverbend-clinic")
    assert first.endswith("/harbor-clinic/")
    assert second.endswith("/riverbend-clinic/")


def test_a_kept_link_follows_the_script_prefix():
    plain = render("{% url 'directory:center_list' %}")
    set_script_prefix("/mounted/")
    try:
        mounted = render("{% url 'directory:center_list' %}")
    finally:
        set_script_prefix("/")
    assert mounted == "/mounted" + plain
    assert render("{% url 'directory:center_list' %}") == plain


def test_a_kept_link_follows_a_changed_url_configuration(settings):
    assert render("{% url 'directory:center_list' %}") == "/centers/"
    settings.ROOT_URLCONF = "tests.urls_mounted_elsewhere"
    assert render("{% url 'directory:center_list' %}") == "/elsewhere/centers/"


def test_an_unknown_name_fails_as_with_djangos_tag():
    with pytest.raises(NoReverseMatch):
        render("{% url 'directory:no_such_page' %}")
    assert render("{% url 'directory:no_such_page' as link %}[{{ link }}]") == "[]"


def test_a_kept_link_can_be_named_with_as():
    text = "{% url 'directory:center_list' as link %}<a href='{{ link }}'>{{ link }}</a>"
    assert render(text) == f"<a href='{reverse('directory:center_list')}'>{reverse('directory:center_list')}</a>"


def test_the_tag_works_outside_a_request():
    # A template rendered without a request (an e-mail) has no current app: the plain URL.
    assert Template("{% url 'directory:center_list' %}").render(Context()) == reverse("directory:center_list")


def test_listing_links_are_unchanged(client):
    make_center(name="Harbor Test Clinic", slug="harbor-test-clinic")
    html = client.get("/centers/?q=Harbor").content.decode()  # a name search lists without a place
    assert f'href="{reverse("directory:center_detail", args=["harbor-test-clinic"])}"' in html
    assert f'action="{reverse("directory:center_list")}"' in html
    assert f'href="{reverse("directory:privacy")}"' in html


def manifest_storage(tmp_path) -> StaticStorage:
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"paths": {"css/site.css": "css/site.0123456789ab.css"}, "version": "1.1", "hash": "x"})
    )
    return StaticStorage(location=tmp_path, base_url="/static/")


def test_static_storage_gives_the_hashed_name_every_time(tmp_path):
    storage = manifest_storage(tmp_path)
    assert storage.url("css/site.css") == "/static/css/site.0123456789ab.css"
    assert storage.url("css/site.css") == "/static/css/site.0123456789ab.css"


def test_static_storage_still_refuses_a_file_missing_from_the_manifest(tmp_path):
    storage = manifest_storage(tmp_path)
    for _ in range(2):  # a refusal is not kept as an answer
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/missing.css")
