"""Measure the speedups plugin's parts: what each saves, side by side with
Django's behaviour. Nothing here asserts on time.

``python benchmarks/speedups.py sessions [--backend sqlite|postgresql]``
    On ``testproject/``: the SQL queries of a test-client login and one
    request (``GET /admin/`` as a superuser) with the project's database
    sessions and with ``memory-sessions`` (the overrides the plugin applies).

``python benchmarks/speedups.py hashers``
    Milliseconds to hash one password with Django's default hasher and with
    the MD5 hasher ``fast-settings`` puts first (each test user costs one).

``python benchmarks/speedups.py connect-cost``
    On PostgreSQL (database ``postgres``): milliseconds for what Django does
    after each class (close, then open and set up a new connection on first
    use) against the one state query ``keep-connections`` runs instead.

``python benchmarks/speedups.py connections [--repeat 3] [--classes 60] [--objects-per-set 300]``
    On PostgreSQL: generates the goal suite on Django's own ``TestCase``
    (``benchmarks/out/speedups``), runs it under nose2 with and without
    ``--keep-connections``, interleaved, and prints the median wall time, the
    connections opened (``connection_probe`` plugin) and the tests run and
    failed of each.
"""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent
sys.path.insert(0, str(HERE))

OPENED = re.compile(r"^connection probe: (\d+) connections opened$", re.MULTILINE)


def measure_sessions(backend):
    """Queries of a login + request on testproject, without and with memory sessions."""
    os.environ["NOSE_SPEEDUP_TEST_DB"] = backend
    os.environ["DJANGO_SETTINGS_MODULE"] = "testproject.settings"
    sys.path[:0] = [str(REPO_ROOT / "testproject"), str(REPO_ROOT)]
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.db import connections
    from django.test import Client, override_settings
    from django.test.runner import DiscoverRunner
    from django.test.utils import (
        CaptureQueriesContext, setup_test_environment, teardown_test_environment,
    )

    from nose_speedup.speedups import settings_overrides

    setup_test_environment()
    runner = DiscoverRunner(verbosity=0, interactive=False)
    old_config = runner.setup_databases(aliases={"default"})
    try:
        User.objects.create_superuser("bench", "bench@example.com", "secret")
        overrides, _ = settings_overrides.memory_session_overrides(settings)
        rows = []
        for label, settings_overrides in (
            (f"database sessions ({settings.SESSION_ENGINE})", {}),
            ("memory-sessions", overrides),
        ):
            with override_settings(**settings_overrides):
                client = Client()
                with CaptureQueriesContext(connections["default"]) as queries:
                    assert client.login(username="bench", password="secret")
                    assert client.get("/admin/").status_code == 200
            on_sessions = sum("django_session" in q["sql"] for q in queries)
            rows.append((label, len(queries), on_sessions))
    finally:
        runner.teardown_databases(old_config)
        teardown_test_environment()
    print(f"testproject on {backend}: test-client login + GET /admin/")
    for label, total, on_sessions in rows:
        print(f"  {label:<50} {total:>3} queries ({on_sessions} on django_session)")


def measure_hashers():
    """Time to hash one password: Django's default hasher, then MD5."""
    sys.path.insert(0, str(REPO_ROOT))
    from django.conf import settings

    settings.configure()
    from django.utils.module_loading import import_string

    from nose_speedup.speedups import settings_overrides

    print("one password hashed (median of 5):")
    for name in (settings.PASSWORD_HASHERS[0], settings_overrides.FAST_PASSWORD_HASHER):
        hasher = import_string(name)()
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            hasher.encode("secret", hasher.salt())
            timings.append(time.perf_counter() - started)
        print(f"  {name:<55} {statistics.median(timings) * 1000:8.2f} ms per password")


def measure_connect_cost(rounds=50):
    sys.path.insert(0, str(REPO_ROOT))
    from django.conf import settings

    import measure

    settings.configure(DATABASES={"default": {
        "ENGINE": "django.db.backends.postgresql", "NAME": "postgres",
        "HOST": measure.PG["host"], "PORT": measure.PG["port"], "USER": measure.PG["user"],
    }})
    import django

    django.setup()
    from django.db import connection

    from nose_speedup.speedups import kept_connections

    def median_ms(step):
        timings = []
        for _ in range(rounds):
            started = time.perf_counter()
            step()
            timings.append(time.perf_counter() - started)
        return statistics.median(timings) * 1000

    def reconnect():
        connection.close()
        connection.ensure_connection()

    connection.ensure_connection()
    print(f"PostgreSQL, median of {rounds}:")
    print(f"  close + reconnect (Django after each class)   {median_ms(reconnect):7.2f} ms")
    check = median_ms(lambda: kept_connections._server_state(connection.connection))
    print(f"  session state query (keep-connections)        {check:7.2f} ms")
    connection.close()


def measure_connections(repeat, classes, objects_per_set):
    import generate
    import measure

    project = HERE / "out" / "speedups"
    options = generate.Options(classes=classes, objects_per_set=objects_per_set,
                               testcase="django.test.TestCase",
                               backend="postgresql", db_name="nsspeedups")
    manifest = generate.generate(project, options)
    base = ("-m", "nose2", "--plugin", "nose_speedup.plugins.django", "--plugin",
            "benchmarks.connection_probe", "--django-settings", measure.SETTINGS_MODULE,
            "-s", ".", "-t", ".")
    commands = {
        "Django's behaviour": measure.python_command(*base),
        "--keep-connections": measure.python_command(
            *base, "--plugin", "nose_speedup.plugins.speedups", "--keep-connections"),
    }
    runs = {label: [] for label in commands}
    try:
        for round_no in range(repeat + 1):  # round 0: untimed warm-up
            for label, command in commands.items():
                m = measure.run(project, command, "postgresql", "nsspeedups")
                if not m.passed:
                    print(f"{label} failed:\n{m.last_lines()}", file=sys.stderr)
                if round_no:
                    runs[label].append(m)
    finally:
        measure.drop_databases("nsspeedups")
    print(f"goal suite on django.test.TestCase, PostgreSQL: {manifest['classes']} classes, "
          f"{manifest['tests']} tests, {objects_per_set} objects per fixture set; "
          f"median of {repeat}")
    baseline = None
    for label, measurements in runs.items():
        seconds = statistics.median(m.seconds for m in measurements)
        baseline = baseline or seconds
        opened = [int(n) for m in measurements for n in OPENED.findall(m.output)]
        worst = max(measurements, key=lambda m: m.failed)
        print(f"  {label:<20} {seconds:7.2f} s  x{seconds / baseline:.3f}  "
              f"connections opened {statistics.median_low(opened) if opened else '?':>4}  "
              f"tests {worst.tests} failed {worst.failed}  "
              f"(runs: {', '.join(f'{m.seconds:.1f}' for m in measurements)})")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("sessions", "hashers", "connect-cost", "connections"))
    parser.add_argument("--backend", default="sqlite", choices=("sqlite", "postgresql"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--classes", type=int, default=60)
    parser.add_argument("--objects-per-set", type=int, default=300,
                        help="fewer objects make the per-class connection cost stand out")
    args = parser.parse_args(argv)
    if args.what == "sessions":
        measure_sessions(args.backend)
    elif args.what == "hashers":
        measure_hashers()
    elif args.what == "connect-cost":
        measure_connect_cost()
    else:
        measure_connections(args.repeat, args.classes, args.objects_per_set)


if __name__ == "__main__":
    main()
