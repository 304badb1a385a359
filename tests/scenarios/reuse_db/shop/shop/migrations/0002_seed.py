from django.db import migrations

from shop.seed_data import MIGRATION_NAME


def seed(apps, schema_editor):
    from kill import kill_at

    Item = apps.get_model("shop", "Item")
    Item.objects.using(schema_editor.connection.alias).create(name=MIGRATION_NAME)
    kill_at("migration")


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
