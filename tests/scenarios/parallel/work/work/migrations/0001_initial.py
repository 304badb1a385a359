from django.db import migrations, models


def add_kinds(apps, schema_editor):
    Kind = apps.get_model("work", "Kind")
    Kind.objects.create(name="tool")
    Kind.objects.create(name="part")


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="Item",
            fields=[
                ("id", models.AutoField(primary_key=True, serialize=False)),
                ("name", models.CharField(max_length=50)),
            ],
        ),
        migrations.CreateModel(
            name="Kind",
            fields=[
                ("id", models.AutoField(primary_key=True, serialize=False)),
                ("name", models.CharField(max_length=50)),
            ],
        ),
        migrations.RunPython(add_kinds, migrations.RunPython.noop),
    ]
