from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = "Treatment centers"

    def ready(self) -> None:
        from directory.context_processors import demo_flag_connect

        demo_flag_connect()
