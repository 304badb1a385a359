from django.db import migrations, models


def model(name, *fields):
    return migrations.CreateModel(
        name=name,
        fields=[("id", models.AutoField(primary_key=True, serialize=False)), *fields],
    )


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        model("Customer", ("name", models.CharField(max_length=50, unique=True))),
        model("Event", ("name", models.CharField(max_length=50)), ("when", models.DateTimeField())),
        model("Place", ("name", models.CharField(max_length=50))),
        model("Note", ("text", models.CharField(max_length=50))),
    ]
