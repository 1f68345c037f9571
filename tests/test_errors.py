"""Our own error pages: a refused form (CSRF) gets the site's page with crisis help, not Django's."""

import re

import pytest
from django.test import Client

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
    assert 'class="crisis-strip' in html and "crisis-panel" in html and crisis in html
    assert "/static/css/site" in html, "styled by our own stylesheet, which the CSP allows"
    # Django's default page styles itself inline, which the CSP blocks; ours has no inline style.
    assert "<style" not in html and not re.search(r"\sstyle=", html)
    assert "CSRF verification failed" not in html
    assert "no-cache" in response["Cache-Control"]
