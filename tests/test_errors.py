"""Our own error pages: a refused form (CSRF) gets the site's page with crisis help, not Django's."""

import re

import pytest
from django.test import Client

from config.inline_css import stylesheet_hashes, stylesheet_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("prefix", "heading", "crisis"),
    [
        ("", "Your form could not be sent", "Call or text"),
        ("/es", "No se pudo enviar su formulario", "988"),
    ],
)
def test_a_form_refused_by_the_csrf_check_gets_our_page_with_crisis_help(center, prefix, heading, crisis):
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"{prefix}/centers/{center.slug}/ask/", {"name": "Quillonia", "message": "Hello"})
    assert response.status_code == 403
    html = response.content.decode()
    assert heading in html
    assert 'class="crisis-strip' in html and 'class="crisis-panel' in html and crisis in html
    # Styled by our own stylesheet, inline and allowed by its hash (config/inline_css.py).
    assert f"<style>{stylesheet_text('site')}</style>" in html
    assert stylesheet_hashes()[0] in response["Content-Security-Policy"]
    # Django's default page styles itself inline, which the CSP blocks; ours has no other inline style.
    assert html.count("<style") == 1 and not re.search(r"\sstyle=", html)
    assert "CSRF verification failed" not in html
    assert "no-cache" in response["Cache-Control"]
