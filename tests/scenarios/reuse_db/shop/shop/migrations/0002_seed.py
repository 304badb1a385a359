from django.db import migrations


def seed(apps, schema_editor):
    from kill import kill_at

    Item = apps.get_model("shop", "Item")
    Item.objects.using(schema_editor.connection.alias).create(name="Seeded by a migration")
    kill_at("migration")


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
