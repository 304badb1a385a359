from django.db import migrations, models

POSTGRESQL_TRAPS = [
    "CREATE FUNCTION depot_journal_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "INSERT INTO depot_journal (note) VALUES ('deleted ' || OLD.name); RETURN OLD; END $$",
    "CREATE TRIGGER depot_watched_delete AFTER DELETE ON depot_watched "
    "FOR EACH ROW EXECUTE FUNCTION depot_journal_delete()",
    "CREATE RULE depot_ruled_keep AS ON DELETE TO depot_ruled DO INSTEAD NOTHING",
    "ALTER TABLE depot_holder ADD CONSTRAINT depot_holder_held_cascade FOREIGN KEY (held_id) "
    "REFERENCES depot_held (id) ON DELETE CASCADE",
    "ALTER TABLE depot_strict ADD CONSTRAINT depot_strict_parent_now FOREIGN KEY (parent_id) "
    "REFERENCES depot_strict (id)",
    "ALTER TABLE depot_guarded ENABLE ROW LEVEL SECURITY",
    "CREATE POLICY depot_guarded_all ON depot_guarded USING (true)",
]


def set_traps(apps, schema_editor):
    """PostgreSQL only: the other backends' flush is Django's DELETE already."""
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL_TRAPS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("depot", "0001_initial")]
    operations = [
        migrations.CreateModel("Watched", [
            ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False)),
            ("name", models.CharField(max_length=50)),
        ]),
        migrations.CreateModel("Ruled", [
            ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False)),
            ("name", models.CharField(max_length=50)),
        ]),
        migrations.CreateModel("Held", [
            ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False)),
            ("name", models.CharField(max_length=50)),
        ]),
        migrations.CreateModel("Holder", [
            ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False)),
            ("held", models.ForeignKey(on_delete=models.CASCADE, to="depot.held")),
        ]),
        migrations.CreateModel("Strict", [
            ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False)),
            ("parent", models.ForeignKey(null=True, on_delete=models.CASCADE,
                                         to="depot.strict")),
        ]),
        migrations.CreateModel("Guarded", [
            ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False)),
            ("name", models.CharField(max_length=50)),
        ]),
        # Never listed by Django's flush: what a trigger writes stays.
        migrations.RunSQL("CREATE TABLE depot_journal (note varchar(80))",
                          "DROP TABLE depot_journal"),
        migrations.RunPython(set_traps, migrations.RunPython.noop),
    ]
