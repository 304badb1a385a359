"""Data migration: every catalogue needs the "Uncategorized" category that
``catalog.services.retire_category`` moves orphaned products to.

This row is why the demo suite needs more than Django's ``--keepdb``: a
``TransactionTestCase`` flush deletes it, and a kept database never runs
this migration again.
"""

from django.db import migrations

UNCATEGORIZED = {
    "slug": "uncategorized",
    "name": "Uncategorized",
    "description": "Products whose category was retired.",
}


def create_uncategorized(apps, schema_editor):
    category_model = apps.get_model("catalog", "Category")
    category_model.objects.using(schema_editor.connection.alias).get_or_create(
        slug=UNCATEGORIZED["slug"],
        defaults={"name": UNCATEGORIZED["name"], "description": UNCATEGORIZED["description"]},
    )


def delete_uncategorized(apps, schema_editor):
    category_model = apps.get_model("catalog", "Category")
    category_model.objects.using(schema_editor.connection.alias).filter(
        slug=UNCATEGORIZED["slug"]
    ).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_uncategorized, delete_uncategorized),
    ]
