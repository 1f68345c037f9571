"""Outgoing e-mail, never sent inside a request.

Every e-mail the site sends goes through `email_send_later`: it stores a task (in the
database, with the data it announces, so both commit or neither does) and returns at
once. The worker (`manage.py db_worker`) sends it; when the mail server fails or hangs it
tries again later, after 1, 5 and 15 minutes, then 1, 3 and 6 hours, then gives up with an
error in the log. A mail server that never answers can no longer hold a web worker.

Once a message is sent or given up, its text (which may hold a signed link) is wiped from
the task's stored arguments; only pending messages keep it.

A caller that needs to know the outcome names a hook, `"module.function"`, called in the
worker as `hook(sent=bool, error="ErrorClassName" or "", final=bool, **hook_kwargs)`.
"""

import logging
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import TaskContext, task
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# Waits before each retry; after the last one the message is given up.
RETRY_DELAYS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
]


def email_send_later(
    *, to: list[str], subject: str, body: str, hook: str = "", hook_kwargs: dict | None = None
) -> None:
    """Queue one plain-text e-mail from DEFAULT_FROM_EMAIL; the worker sends it."""
    email_deliver.enqueue(to=list(to), subject=subject, body=body, attempt=1, hook=hook, hook_kwargs=hook_kwargs or {})


@task(takes_context=True)
def email_deliver(
    context: TaskContext, *, to: list[str], subject: str, body: str, attempt: int, hook: str, hook_kwargs: dict
) -> str:
    message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to)
    try:
        message.send()
    except Exception as error:  # any mail failure: try again later, never lose the message silently
        final = attempt > len(RETRY_DELAYS)
        if final:
            logger.error(
                "E-mail task %s: not sent after %s attempts (%s); given up.",
                context.task_result.id,
                attempt,
                type(error).__name__,
            )
        else:
            delay = RETRY_DELAYS[attempt - 1]
            email_deliver.using(run_after=timezone.now() + delay).enqueue(
                to=to, subject=subject, body=body, attempt=attempt + 1, hook=hook, hook_kwargs=hook_kwargs
            )
            logger.warning(
                "E-mail task %s: attempt %s failed (%s); trying again in %s.",
                context.task_result.id,
                attempt,
                type(error).__name__,
                delay,
            )
        _hook(hook, hook_kwargs, sent=False, error=type(error).__name__, final=final)
        _forget(context)
        raise
    _hook(hook, hook_kwargs, sent=True, error="", final=True)
    _forget(context)
    return "sent"


def _hook(path: str, kwargs: dict, **outcome) -> None:
    if path:
        import_string(path)(**outcome, **kwargs)


def _forget(context: TaskContext) -> None:
    """Wipe the message from the stored task: it may carry a signed link."""
    if apps.is_installed("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.filter(id=context.task_result.id).update(args_kwargs={"args": [], "kwargs": {}})
