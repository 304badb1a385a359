from django.apps import AppConfig


class StoreConfig(AppConfig):
    name = "store"

    def ready(self):
        from store import signals  # noqa: F401 (connects the receivers)
