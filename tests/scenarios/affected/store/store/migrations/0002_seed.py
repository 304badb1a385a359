from django.db import migrations


def seed(apps, schema_editor):
    apps.get_model("store", "Product").objects.create(name="Seed", price="5.00")


class Migration(migrations.Migration):
    dependencies = [("store", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
