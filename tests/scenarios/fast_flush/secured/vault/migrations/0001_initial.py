from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel("Secret", [
            ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False)),
            ("code", models.CharField(max_length=20, unique=True)),
        ]),
        migrations.CreateModel("Sealed", [
            ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False)),
            ("code", models.CharField(max_length=20, unique=True)),
        ]),
        # Rows may be written, never read: FORCE applies the policies to the
        # owner too.
        migrations.RunSQL(
            "ALTER TABLE vault_secret ENABLE ROW LEVEL SECURITY; "
            "ALTER TABLE vault_secret FORCE ROW LEVEL SECURITY; "
            "CREATE POLICY hidden ON vault_secret FOR SELECT USING (false); "
            "CREATE POLICY writable ON vault_secret FOR INSERT WITH CHECK (true)"
        ),
    ]
