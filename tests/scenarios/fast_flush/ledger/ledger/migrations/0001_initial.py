from django.db import migrations, models


def seed(apps, schema_editor):
    Setting = apps.get_model("ledger", "Setting")
    Setting.objects.using(schema_editor.connection.alias).bulk_create(
        [Setting(key="currency"), Setting(key="locale")]
    )


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel("Account", [
            ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False)),
            ("name", models.CharField(max_length=50)),
        ]),
        migrations.CreateModel("Tag", [
            ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False)),
            ("label", models.CharField(max_length=50)),
        ]),
        migrations.CreateModel("Entry", [
            ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False)),
            ("amount", models.IntegerField()),
            ("account", models.ForeignKey(on_delete=models.CASCADE, to="ledger.account")),
            ("tags", models.ManyToManyField(to="ledger.tag")),
        ]),
        migrations.CreateModel("Setting", [
            ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False)),
            ("key", models.CharField(max_length=50)),
        ]),
        migrations.CreateModel("Audit", [
            ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False)),
            ("note", models.CharField(max_length=50)),
        ]),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
