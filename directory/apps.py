from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = "Treatment centers"

    def ready(self) -> None:
        from simple_history.signals import post_create_historical_record

        import config.checks  # noqa: F401 - registers the deployment checks
        from directory.context_processors import demo_flag_connect
        from directory.fragments import fragments_connect
        from directory.outreach.history import change_log_forget

        demo_flag_connect()
        fragments_connect()
        post_create_historical_record.connect(change_log_forget, dispatch_uid="directory.change_log_forget")
