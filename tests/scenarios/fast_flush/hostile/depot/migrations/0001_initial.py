from django.db import migrations, models


def seed(apps, schema_editor):
    Crate = apps.get_model("depot", "Crate")
    Crate.objects.using(schema_editor.connection.alias).create(label="seeded")


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel("Node", [
            ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False)),
            ("name", models.CharField(max_length=50)),
            ("parent", models.ForeignKey(null=True, on_delete=models.CASCADE, to="depot.node")),
        ]),
        migrations.CreateModel("Crate", [
            ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False)),
            ("label", models.CharField(max_length=50)),
        ]),
        migrations.CreateModel("Legacy", [
            ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False)),
            ("code", models.CharField(max_length=50)),
        ], options={"managed": False, "db_table": "depot_legacy"}),
        migrations.RunSQL(
            "CREATE TABLE depot_legacy (id integer PRIMARY KEY, code varchar(50))",
            "DROP TABLE depot_legacy",
        ),
        migrations.RunSQL("INSERT INTO depot_legacy (id, code) VALUES (1, 'migrated')"),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
