"""E-mail leaves outside the request (config/mail.py): a hung mail server holds no web worker,
and a failed message is tried again with backoff, then given up."""

import socket
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from directory.models import Inquiry
from tests.directory.outreach_helpers import BROKEN_MAILERS, WORKING_MAILERS, inquiry_data
from tests.factories import make_center
from tests.tasks_backend import DATABASE, use_task_backend


class HungSmtpServer:
    """A mail server on loopback that accepts connections and never says a word."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:  # closed
                return
            self.accepted.append(connection)

    def close(self):
        self.listener.close()
        for connection in self.accepted:
            connection.close()


@pytest.fixture
def hung_smtp(settings):
    server = HungSmtpServer()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 1},
        }
    }
    yield server
    server.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_inquiry_post_never_waits_for_a_hung_mail_server(hung_smtp, settings):
    # Before: each inquiry POST waited 10 s on such a server, and the site stalled (issue 16, F-02).
    use_task_backend(settings, DATABASE)  # the production queue: a row in the database
    settings.FORM_MIN_SECONDS = 0
    settings.INTAKE_EMAIL = "intake@example.org"
    cache.clear()
    center = make_center(name="Harbor Test Clinic")
    client = Client()
    ask = reverse("directory:center_ask", args=[center.slug])
    response = client.post(ask, inquiry_data(client.get(ask).content.decode()))

    assert response.status_code == 302
    assert hung_smtp.accepted == [], "the request never opened a connection to the mail server"
    queued = DBTaskResult.objects.get()
    assert (queued.status, queued.task_path) == ("READY", "config.mail.email_deliver")
    inquiry = Inquiry.objects.get()
    assert inquiry.notified_at is None and inquiry.notification_attempts == 0

    # The worker meets the hung server instead: it gives up on it after the SMTP timeout and
    # queues a retry a minute later; the message leaves the failed task's stored arguments.
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert len(hung_smtp.accepted) == 1
    inquiry.refresh_from_db()
    assert inquiry.notified_at is None and inquiry.notification_attempts == 1 and inquiry.notification_error
    queued.refresh_from_db()
    assert queued.status == "FAILED" and queued.args_kwargs == {"args": [], "kwargs": {}}
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"]["attempt"] == 2 and retry.args_kwargs["kwargs"]["to"] == ["intake@example.org"]
    wait = retry.run_after - timezone.now()
    assert timedelta(seconds=30) < wait <= timedelta(minutes=1)

    # The server recovers: the retry, once due, is sent and recorded, and its text wiped too.
    settings.MAILERS = WORKING_MAILERS
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    retry.refresh_from_db()
    assert retry.status == "SUCCESSFUL" and retry.args_kwargs == {"args": [], "kwargs": {}}
    inquiry.refresh_from_db()
    assert inquiry.notified_at is not None and inquiry.notification_attempts == 2
    assert [message.to for message in mail.outbox] == [["intake@example.org"]]


@pytest.mark.django_db
def test_a_failed_message_is_retried_with_backoff_then_given_up(settings, tasks_run_at_once, caplog):
    from config.mail import RETRY_DELAYS, email_send_later

    settings.MAILERS = BROKEN_MAILERS
    email_send_later(to=["someone@example.org"], subject="Hello", body="A link")
    waits = []
    while tasks_run_at_once.deferred:
        (retry,) = tasks_run_at_once.deferred
        waits.append(retry.task.run_after - timezone.now())
        tasks_run_at_once.run_deferred()
    expected = [timedelta(minutes=m) for m in (1, 5, 15, 60, 180, 360)]
    assert expected == RETRY_DELAYS
    assert len(waits) == len(expected)
    for wait, delay in zip(waits, expected, strict=True):
        assert delay - timedelta(seconds=30) < wait <= delay
    assert "not sent after 7 attempts (ConnectionRefusedError); given up" in caplog.text
    assert not mail.outbox


@pytest.mark.django_db
def test_every_e_mail_goes_through_the_queue(settings, tasks_run_at_once):
    # A listing e-mail (here a claim's link) is queued like an inquiry's notice: with the mail
    # server down the decision stands and a retry waits.
    from directory.listings.services import listing_mail_send

    settings.MAILERS = BROKEN_MAILERS
    assert listing_mail_send(
        to="jo@example.org",
        subject="Your link",
        template="emails/listings/checkup.txt",
        context={"center": make_center(), "links": [], "days": 14},
    )
    assert len(tasks_run_at_once.deferred) == 1
    settings.MAILERS = WORKING_MAILERS
    tasks_run_at_once.run_deferred()
    assert [message.subject for message in mail.outbox] == ["Your link"]
