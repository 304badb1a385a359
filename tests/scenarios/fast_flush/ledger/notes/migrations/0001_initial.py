from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = [("ledger", "0001_initial")]
    operations = [
        migrations.CreateModel("Note", [
            ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False)),
            ("text", models.CharField(max_length=50)),
            ("account", models.ForeignKey(null=True, on_delete=models.CASCADE,
                                          to="ledger.account")),
        ]),
    ]
