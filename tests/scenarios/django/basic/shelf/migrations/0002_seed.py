from django.db import migrations


def seed(apps, schema_editor):
    apps.get_model("shelf", "Book").objects.using(schema_editor.connection.alias).create(
        title="Seeded by a migration", pages=1
    )


class Migration(migrations.Migration):
    dependencies = [("shelf", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
