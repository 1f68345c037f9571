"""Tasks in tests: run at once, as Django's ImmediateBackend does, so a test sees the mail a
request queued in mail.outbox right away. A task deferred to later (a mail retry, see
config/mail.py) is kept in `deferred` instead, for the test to inspect or run."""

from asgiref.local import Local
from django.tasks import TaskResult, TaskResultStatus, task_backends
from django.tasks.backends.immediate import ImmediateBackend
from django.utils.crypto import get_random_string

IMMEDIATE = {"default": {"BACKEND": "tests.tasks_backend.ImmediateKeepingRetriesBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class ImmediateKeepingRetriesBackend(ImmediateBackend):
    supports_defer = True

    def __init__(self, alias, params):
        super().__init__(alias, params)
        self.deferred: list[TaskResult] = []

    def enqueue(self, task, args, kwargs):
        if task.run_after is None:
            return super().enqueue(task, args, kwargs)
        self.validate_task(task)
        result = TaskResult(
            task=task,
            id=get_random_string(32),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        self.deferred.append(result)
        return result

    def run_deferred(self) -> int:
        """Run the retries queued so far (not the ones they queue in turn). Returns how many ran."""
        due, self.deferred = self.deferred, []
        for result in due:
            self._execute_task(result)
        return len(due)


def use_task_backend(settings, tasks: dict):
    """Point TASKS elsewhere for one test: Django caches the backends and does not reset them."""
    settings.TASKS = tasks
    task_backends.__dict__.pop("settings", None)
    task_backends._connections = Local(task_backends.thread_critical)
    return task_backends["default"]
