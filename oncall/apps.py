from django.apps import AppConfig


class OncallConfig(AppConfig):
    name = "oncall"
    verbose_name = "On-call and people"

    def ready(self) -> None:
        from oncall import checks  # noqa: F401  (registers system checks)
        from oncall.notify import transports  # noqa: F401  (registers the built-in transports)
