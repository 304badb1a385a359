"""Side channel: what the run found in its databases at the start, written as
JSON to ``PROBE_REPORT``. A ``TestCase``, so it sees the committed state."""
import json
import os
import sys
import time

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.test import TestCase

from shop.models import Item


def _applied(connection):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, app, name, applied FROM django_migrations ORDER BY id")
        return [[str(value) for value in row] for row in cursor.fetchall()]


class ProbeTests(TestCase):
    databases = "__all__"

    def test_report_start_state(self):
        started = os.environ.get("NSP_STARTED")
        if started:
            open(started, "w").close()
        default, other = connections["default"], connections["other"]
        with default.cursor() as cursor:
            description = default.introspection.get_table_description(cursor, "shop_item")
            columns = [column.name for column in description]
            group = default.introspection.get_table_description(cursor, "auth_group")
            tables = default.introspection.table_names(cursor)
        report = {
            "items": sorted(Item.objects.values_list("name", flat=True)),
            "other_items": sorted(Item.objects.using("other").values_list("name", flat=True)),
            "content_types": ContentType.objects.count(),
            "content_type_rows": sorted(
                ContentType.objects.values_list("id", "app_label", "model")
            ),
            "permission_rows": sorted(
                Permission.objects.values_list("id", "codename", "content_type_id")
            ),
            "applied_migrations": _applied(default),
            "permissions": Permission.objects.count(),
            "migration_modules_loaded": sorted(
                name for name in sys.modules if name.startswith("shop.migrations.0")
            ),
            "serialized": sorted(
                alias for alias in connections
                if getattr(connections[alias], "_test_serialized_contents", None) is not None
            ),
            "columns": columns,
            "group_columns": [column.name for column in group],
            "tables": tables,
            "replica_name": connections["replica"].settings_dict["NAME"],
            "default_name": default.settings_dict["NAME"],
            "other_name": other.settings_dict["NAME"],
            "first_pk": Item.objects.create(name="created by the probe").pk,
        }
        with open(os.environ.get("PROBE_REPORT", os.devnull), "w") as handle:
            json.dump(report, handle)
        time.sleep(float(os.environ.get("NSP_SLEEP", "0")))
        release = os.environ.get("NSP_RELEASE")  # hold the database until the file exists
        deadline = time.monotonic() + 120
        while release and not os.path.exists(release) and time.monotonic() < deadline:
            time.sleep(0.05)
