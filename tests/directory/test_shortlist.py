"""Issue 13, item 11: the shortlist's page, /shortlist/?centers=a,b (directory/shortlist.py).
The list itself lives in the browser (tests/browser/test_shortlist.py); the page is public,
the same for everyone, and lists at most 5 centers with their phones and the questions to ask."""

import pytest

from directory.models import Center
from directory.shortlist import SHORTLIST_MAX, shortlist_slugs
from tests.factories import make_article, make_center

pytestmark = pytest.mark.django_db


def test_slugs_are_kept_in_order_without_repeats_or_junk_and_at_most_five():
    assert shortlist_slugs(" b-2 ,a-1,,b-2,<x>,C-3") == ["b-2", "a-1", "c-3"]
    assert len(shortlist_slugs(",".join(f"c{n}" for n in range(9)))) == SHORTLIST_MAX == 5


def test_the_page_lists_the_centers_in_order_with_their_phones_and_the_questions(client):
    first = make_center(name="Harbor Test Clinic", phone="(904) 555-0177")
    second = make_center(name="River Test Clinic", phone="(904) 555-0188", treatments=("ketamine",))
    draft = make_center(name="Draft Clinic", status=Center.Status.DRAFT)
    make_article(
        title="Questions to ask a provider",
        slug="questions-to-ask-a-provider",
        checklist=[{"heading": "Cost and insurance", "items": ["Are you in network with my health plan?"]}],
    )
    response = client.get(f"/shortlist/?centers={second.slug},{draft.slug},gone-clinic,{first.slug}")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("River Test Clinic") < html.index("Harbor Test Clinic") and "Draft Clinic" not in html
    assert 'href="tel:+19045550177">(904) 555-0177</a>' in html and 'href="tel:+19045550188"' in html
    assert "2 centers on this list are no longer listed." in html
    assert "Questions to ask when you call" in html and "Are you in network with my health plan?" in html
    assert '<meta name="robots" content="noindex">' in html


def test_the_page_is_public_and_sets_no_cookie(client):
    center = make_center()
    response = client.get(f"/shortlist/?centers={center.slug}")
    assert "public" in response["Cache-Control"] and not response.cookies


def test_the_page_reads_the_centers_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    centers = [make_center(treatments=("tms", "ketamine")) for _ in range(5)]
    client.get("/shortlist/")  # warm the per-process caches (demo flag, vocabulary)
    with django_assert_max_num_queries(6):
        response = client.get("/shortlist/?centers=" + ",".join(center.slug for center in centers))
    assert response.content.decode().count('class="shortlist-center"') == 5


def test_an_empty_list_points_to_the_search(client):
    html = client.get("/shortlist/").content.decode()
    assert "This list is empty." in html and 'href="/centers/"' in html


def test_the_keep_buttons_are_hidden_until_the_script_shows_them(client):
    center = make_center(name="Harbor Test Clinic")
    for path in ["/centers/?near=32207", center.get_absolute_url()]:
        html = client.get(path).content.decode()
        assert f'data-shortlist-slug="{center.slug}" aria-pressed="false" hidden>Keep on my shortlist</button>' in html
        assert "js/shortlist.js" in html
