from django.contrib.postgres.fields import HStoreField
from django.contrib.postgres.operations import CITextExtension, HStoreExtension
from django.db import migrations, models

import pgextras.models


def seed(apps, schema_editor):
    apps.get_model("pgextras", "Tagged").objects.using(schema_editor.connection.alias).create(
        tags={"seeded": "yes"}, label="Seeded"
    )


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        HStoreExtension(),
        CITextExtension(),
        migrations.CreateModel(
            "Tagged",
            [
                ("id", models.AutoField(primary_key=True, serialize=False)),
                ("tags", HStoreField(default=dict)),
                ("label", pgextras.models.CaseInsensitiveText(unique=True)),
            ],
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
