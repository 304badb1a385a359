from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save


def add_post_migrate_row(sender, using, **kwargs):
    from kill import kill_at
    from shop.models import Item
    from shop.seeding import POST_MIGRATE_NAME

    Item.objects.using(using).get_or_create(name=POST_MIGRATE_NAME)
    kill_at("post_migrate")


def kill_during_fixture_loading(sender, raw, **kwargs):
    from kill import kill_at

    if raw:
        kill_at("fixture")


class ShopConfig(AppConfig):
    name = "shop"

    def ready(self):
        post_migrate.connect(add_post_migrate_row, sender=self)
        post_save.connect(kill_during_fixture_loading, sender="shop.Item")
