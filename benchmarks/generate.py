"""Generate a fixture-heavy Django project to benchmark test runners on.

Usage::

    python benchmarks/generate.py benchmarks/out/goal --classes 60 --tests-per-class 8 \\
        --fixture-sets 6 --objects-per-set 300 --migrations 20 --backend postgresql

The shape of a real fixture-heavy suite whose classes nearly all share one
fixture list (issue: bundles and processes)::

    python benchmarks/generate.py benchmarks/out/dominant --shape dominant \\
        --classes 100 --tests-per-class 4 --fixture-sets 4 --objects-per-set 1500 \\
        --plain-classes 6 --test-work 40 --backend postgresql

The project (``bench_project`` settings, apps ``shop``/``crm``/``billing``/
``ledger``, the ``benchmark_probe`` counters) runs unchanged under Django's
runner, pytest-django and nose2::

    python manage.py test --testrunner django.test.runner.DiscoverRunner
    python -m pytest -p pytest_django --ds bench_project.settings
    python -m nose2 --plugin nose_speedup.plugins.django \\
        --django-settings bench_project.settings -s . -t .

The environment overrides the generated database choice:
``BENCHMARK_DB_BACKEND`` (sqlite/postgresql/mariadb), ``BENCHMARK_DB_NAME`` and
``BENCHMARK_PG_HOST/PORT/USER/PASSWORD`` (127.0.0.1, 5432, root, empty).
"""

import argparse
import json
import shutil
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import schema  # noqa: E402
import suite  # noqa: E402

HERE = Path(__file__).resolve().parent
SETTINGS_MODULE = "bench_project.settings"

SETTINGS = '''"""Settings of a generated nose-speedup benchmark project."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "benchmark-only-not-secret"
DEBUG = False
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
INSTALLED_APPS = [
    "benchmark_probe",
    "django.contrib.contenttypes",
    "django.contrib.auth",
{apps}
]
TEST_RUNNER = "nose_speedup.runner.Nose2TestRunner"

_BACKEND = os.environ.get("BENCHMARK_DB_BACKEND", {backend!r})
_NAME = os.environ.get("BENCHMARK_DB_NAME", {db_name!r})
if _BACKEND == "postgresql":
    DATABASES = {{"default": {{
        "ENGINE": "django.db.backends.postgresql",
        "NAME": _NAME,
        "HOST": os.environ.get("BENCHMARK_PG_HOST", "127.0.0.1"),
        "PORT": os.environ.get("BENCHMARK_PG_PORT", "5432"),
        "USER": os.environ.get("BENCHMARK_PG_USER", "root"),
        "PASSWORD": os.environ.get("BENCHMARK_PG_PASSWORD", ""),
    }}}}
elif _BACKEND == "mariadb":
    DATABASES = {{"default": {{
        "ENGINE": "django.db.backends.mysql",
        "NAME": _NAME,
        "HOST": os.environ.get("BENCHMARK_MARIADB_HOST", "127.0.0.1"),
        "PORT": os.environ.get("BENCHMARK_MARIADB_PORT", "3306"),
        "USER": os.environ.get("BENCHMARK_MARIADB_USER", "root"),
        "PASSWORD": os.environ.get("BENCHMARK_MARIADB_PASSWORD", ""),
    }}}}
else:
    DATABASES = {{"default": {{
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / f"{{_NAME}}.sqlite3",
    }}}}
    if os.environ.get("BENCHMARK_SQLITE_TEST_FILE"):  # a test database --keepdb can keep
        DATABASES["default"]["TEST"] = {{"NAME": BASE_DIR / f"test_{{_NAME}}.sqlite3"}}
'''

MANAGE = '''#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_project.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
'''

PYTEST_INI = """[pytest]
DJANGO_SETTINGS_MODULE = bench_project.settings
python_files = test_*.py
addopts = -p no:cacheprovider
"""


@dataclass
class Options:
    classes: int = 60
    tests_per_class: int = 8
    fixture_sets: int = 6
    objects_per_set: int = 300
    migrations: int = 20
    classes_per_module: int = 6
    backend: str = "sqlite"
    db_name: str = "nsbench"
    testcase: str = "nose_speedup.FastFixtureTestCase"
    seed: int = 0
    shape: str = "balanced"  # or "dominant": one bundle of ~90% of the classes
    plain_classes: int = 0  # classes without fixtures, one test each
    test_work: int = 0  # queries of its own each test runs

    @property
    def tests(self):
        return self.classes * self.tests_per_class + self.plain_classes


def generate(target, options):
    """Write the project into ``target`` (emptied first); return a manifest
    dict (also saved as ``benchmark.json`` in the project)."""
    target = Path(target)
    if target.exists():
        shutil.rmtree(target)
    (target / "bench_project").mkdir(parents=True)
    (target / "bench_project" / "__init__.py").write_text("")
    apps = "".join(f"    {app!r},\n" for app in schema.APPS).rstrip("\n")
    (target / "bench_project" / "settings.py").write_text(
        SETTINGS.format(apps=apps, backend=options.backend, db_name=options.db_name)
    )
    (target / "manage.py").write_text(MANAGE)
    (target / "pytest.ini").write_text(PYTEST_INI)
    shutil.copytree(HERE / "probe" / "benchmark_probe", target / "benchmark_probe",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for app in schema.APPS:
        (target / app).mkdir(exist_ok=True)
        (target / app / "__init__.py").write_text("")
    last_shop_migration = schema.write_schema(target, options.migrations)
    labels = suite.write_suite(
        target, options.classes, options.tests_per_class, options.fixture_sets,
        options.objects_per_set, options.classes_per_module, options.testcase, options.seed,
        options.shape, options.plain_classes, options.test_work,
    )
    manifest = dict(asdict(options), tests=options.tests, labels=labels,
                    last_shop_migration=last_shop_migration)
    (target / "benchmark.json").write_text(json.dumps(manifest, indent=2))
    return manifest


def add_options(parser, defaults=Options()):
    """Add the generator's options to ``parser`` (shared with run.py/reuse.py)."""
    group = parser.add_argument_group("generated project")
    group.add_argument("--classes", type=int, default=defaults.classes, help="test classes")
    group.add_argument("--tests-per-class", type=int, default=defaults.tests_per_class)
    group.add_argument("--fixture-sets", type=int, default=defaults.fixture_sets)
    group.add_argument("--objects-per-set", type=int, default=defaults.objects_per_set)
    group.add_argument("--migrations", type=int, default=defaults.migrations,
                       help=f"migration files in all (at least {schema.FIXED_MIGRATIONS})")
    group.add_argument("--classes-per-module", type=int, default=defaults.classes_per_module)
    group.add_argument("--backend", choices=("sqlite", "postgresql"), default=defaults.backend,
                       help="default database of the settings (env BENCHMARK_DB_BACKEND wins)")
    group.add_argument("--db-name", default=defaults.db_name,
                       help="database NAME; the test database is test_<NAME>")
    group.add_argument("--testcase", default=defaults.testcase,
                       help="dotted base class of the test classes")
    group.add_argument("--seed", type=int, default=defaults.seed)
    group.add_argument("--shape", choices=suite.SHAPES, default=defaults.shape,
                       help="balanced: class c uses set c %% sets; dominant: ~90%% of the "
                            "classes share set 0, the rest the other sets")
    group.add_argument("--plain-classes", type=int, default=defaults.plain_classes,
                       help="more classes without fixtures, one test each")
    group.add_argument("--test-work", type=int, default=defaults.test_work,
                       help="queries of its own each test runs (a product listing)")


def options_from(args):
    return Options(**{name: getattr(args, name) for name in Options.__dataclass_fields__})


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", help="directory to (re)create")
    add_options(parser)
    args = parser.parse_args(argv)
    manifest = generate(args.target, options_from(args))
    print(f"generated {args.target}: {manifest['classes']} classes, {manifest['tests']} tests, "
          f"{manifest['fixture_sets']} fixture sets x {manifest['objects_per_set']} objects, "
          f"{manifest['migrations']} migrations")


if __name__ == "__main__":
    main()
