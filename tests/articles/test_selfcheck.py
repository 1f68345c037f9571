"""The PHQ-9 self-check: exact wording, server-side scoring, crisis help first on item 9, nothing kept."""

import logging

import pytest
from django.apps import apps

from articles import selfcheck
from tests.html import without_styles

pytestmark = pytest.mark.django_db

OFFICIAL_ITEMS = [
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or "
    "restless that you have been moving around a lot more than usual",
    "Thoughts that you would be better off dead or of hurting yourself in some way",
]
OFFICIAL_ATTRIBUTION = (
    "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an educational "
    "grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute."
)


def answers_totalling(total: int, *, item9: int | None = None) -> dict[str, str]:
    """Nine answers adding up to `total`, filled from item 1 on; item 9 only as needed unless given."""
    if item9 is None:
        item9 = max(0, total - 24)
    values = [0] * 9
    values[8] = item9
    remaining = total - item9
    for index in range(8):
        values[index] = min(3, remaining)
        remaining -= values[index]
    assert remaining == 0 and sum(values) == total
    return {f"item{n}": str(value) for n, value in enumerate(values, start=1)}


def main_html(response) -> str:
    html = response.content.decode()
    return html[html.index('<main id="main"') :]


def test_the_form_shows_pfizers_exact_items_answers_and_attribution(client):
    response = client.get("/self-check/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Over the last 2 weeks, how often have you been bothered by any of the following problems?" in html
    for item in OFFICIAL_ITEMS:
        assert item in html, item
    for answer in ("Not at all", "Several days", "More than half the days", "Nearly every day"):
        assert html.count(f"<span>{answer}</span>") == 9, answer
    assert OFFICIAL_ATTRIBUTION in html
    assert selfcheck.ITEMS == OFFICIAL_ITEMS and selfcheck.ATTRIBUTION == OFFICIAL_ATTRIBUTION


def test_the_form_posts_to_the_server_and_works_without_javascript_or_cookies(client):
    html = client.get("/self-check/").content.decode()
    assert '<form method="post" action="/self-check/"' in html
    assert html.count('type="radio"') == 9 * 4 + 4
    assert "<script" not in html.split("<footer")[0].split("<main")[1]
    assert "csrftoken" not in client.cookies


@pytest.mark.parametrize(
    "total, band",
    [
        (0, "No symptoms reported"),
        (1, "Minimal"),
        (4, "Minimal"),
        (5, "Mild"),
        (9, "Mild"),
        (10, "Moderate"),
        (14, "Moderate"),
        (15, "Moderately severe"),
        (19, "Moderately severe"),
        (20, "Severe"),
        (27, "Severe"),
    ],
)
def test_the_score_and_band_at_every_boundary(client, total, band):
    response = client.post("/self-check/", answers_totalling(total))
    assert response.status_code == 200
    html = main_html(response)
    assert f'<span class="score-number">{total}</span> <span class="score-out-of">out of 27</span>' in html
    assert f'<p class="score-band">{band}' in html
    assert "This is not a diagnosis" in html
    assert 'href="/centers/"' in html and 'href="/guide/"' in html


def test_the_scoring_function_rejects_impossible_answers():
    assert selfcheck.phq9_score([3] * 9).total == 27
    for bad in ([1] * 8, [1] * 10, [4] + [0] * 8, [-1] + [0] * 8):
        with pytest.raises(ValueError, match=r"^The PHQ-9 needs nine answers, each 0, 1, 2 or 3\.$"):
            selfcheck.phq9_score(bad)
    for total in (-1, 28):  # no band outside the questionnaire's range, and the message says why
        with pytest.raises(ValueError, match=rf"^A PHQ-9 total is between 0 and 27, not {total}\.$"):
            selfcheck.band_for(total)


@pytest.mark.parametrize("item9, total", [(1, 1), (1, 25), (2, 2), (3, 12), (3, 27)])
def test_any_answer_above_zero_on_item_9_puts_crisis_help_before_the_score(client, item9, total):
    html = main_html(client.post("/self-check/", answers_totalling(total, item9=item9)))
    crisis = html.index('class="crisis-panel crisis-first"')
    assert crisis < html.index('href="tel:988"') < html.index('class="score-number"')
    assert "Please reach out for support now" in html
    assert html.index("<h1") == html.index('<h1 id="crisis-first-heading"')


def test_without_item_9_the_score_comes_first_and_crisis_help_follows(client):
    html = main_html(client.post("/self-check/", answers_totalling(20)))
    assert "crisis-first" not in html
    assert html.index('class="score-number"') < html.index('class="crisis-panel"')


def test_the_result_is_never_cached_nor_compressed_while_the_blank_form_is_public(client):
    for answers in (answers_totalling(12), answers_totalling(12, item9=1), {"item1": "9"}):
        response = client.post("/self-check/", answers, HTTP_ACCEPT_ENCODING="gzip")
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"no-store", "no-cache", "private"} <= directives and "public" not in directives
        assert "Content-Encoding" not in response
    for url in ("/self-check/", "/es/self-check/"):
        blank = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert "public" in blank["Cache-Control"] and blank["Content-Encoding"] == "gzip", url
        assert not blank.cookies, url


def test_a_self_check_stores_nothing_in_any_table_and_sets_no_cookie(client):
    def row_counts():
        return {model._meta.label: model._default_manager.count() for model in apps.get_models()}

    before = row_counts()
    response = client.post("/self-check/", answers_totalling(16, item9=2) | {"difficulty": "very"})
    assert response.status_code == 200
    assert row_counts() == before
    assert not response.cookies


def test_a_self_check_writes_no_log_line(client, caplog):
    with caplog.at_level(logging.DEBUG):
        client.post("/self-check/", answers_totalling(16, item9=2))
        client.post("/self-check/", {"item1": "7"})
    assert [record.getMessage() for record in caplog.records if record.name != "django.db.backends"] == []


def test_an_error_report_would_hide_the_answers(client, rf):
    from django.views.debug import SafeExceptionReporterFilter

    from articles.views import self_check

    request = rf.post("/self-check/", answers_totalling(5))
    self_check(request)
    cleaned = SafeExceptionReporterFilter().get_post_parameters(request)
    assert set(cleaned.values()) == {SafeExceptionReporterFilter.cleansed_substitute}


def test_answers_never_travel_in_the_url(client):
    response = client.get("/self-check/", answers_totalling(12))
    assert response.status_code == 200
    assert "score-number" not in without_styles(response.content.decode())


def test_missing_answers_reshow_the_form_with_a_message_per_question(client):
    answers = answers_totalling(6)
    del answers["item3"], answers["item7"]
    response = client.post("/self-check/", answers)
    assert response.status_code == 200
    html = main_html(response)
    assert "Please check your answers" in html
    assert "Please choose an answer for question 3." in html and "Please choose an answer for question 7." in html
    assert "score-number" not in html
    assert 'value="3" checked' in html  # what was answered stays answered


@pytest.mark.parametrize("bad", ["4", "-1", "abc", "1.5", ""])
def test_impossible_values_reshow_the_form_with_status_400(client, bad):
    answers = answers_totalling(6) | {"item2": bad}
    response = client.post("/self-check/", answers)
    assert response.status_code == (200 if bad == "" else 400)
    html = main_html(response)
    assert "Please check your answers" in html and "score-number" not in html


def test_an_empty_post_reshows_the_form(client):
    response = client.post("/self-check/", {})
    assert response.status_code == 200
    assert main_html(response).count('class="selfcheck-error"') == 9


def test_an_incomplete_form_with_item_9_above_zero_still_shows_crisis_help_first(client):
    response = client.post("/self-check/", {"item9": "1"})
    html = main_html(response)
    assert html.index('class="crisis-panel crisis-first"') < html.index("Please check your answers")


def test_other_methods_are_refused(client):
    assert client.put("/self-check/").status_code == 405


def test_the_optional_difficulty_answer_is_echoed_and_bad_values_are_refused(client):
    html = main_html(client.post("/self-check/", answers_totalling(8) | {"difficulty": "somewhat"}))
    assert "<strong>somewhat difficult</strong>" in html
    assert client.post("/self-check/", answers_totalling(8) | {"difficulty": "awful"}).status_code == 400
