"""Migration-created data: what serialized_rollback must bring back."""

from django.db import migrations


def add_regions(apps, schema_editor):
    Region = apps.get_model("shop", "Region")
    db = schema_editor.connection.alias
    Region.objects.using(db).bulk_create([Region(name="north"), Region(name="south")])


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]
    operations = [migrations.RunPython(add_regions, migrations.RunPython.noop)]
