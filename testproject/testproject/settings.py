"""Settings of the nose-speedup demo project.

The database backend is picked by the ``NOSE_SPEEDUP_TEST_DB`` environment
variable (``sqlite``, the default; ``postgresql``; ``mariadb``) so that the
same suite runs on every backend the CI matrix covers. Server connection
details come from ``NOSE_SPEEDUP_PG_*`` and ``NOSE_SPEEDUP_MYSQL_*``.

Two aliases exist: ``default`` for every app but ``audit``, and ``archive``
for ``audit`` alone (see ``testproject.routers``), so that multi-database
fixture loading and flushing are part of what the suite proves.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = "nose-speedup-demo-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "catalog",
    "orders",
    "audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "testproject.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database_settings(backend):
    """Return ``DATABASES`` for ``backend``; unknown names fail loudly."""
    if backend == "sqlite":
        return {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": BASE_DIR / "db.sqlite3",
            },
            "archive": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": BASE_DIR / "archive.sqlite3",
            },
        }
    if backend == "postgresql":
        server = {
            "ENGINE": "django.db.backends.postgresql",
            "HOST": os.environ.get("NOSE_SPEEDUP_PG_HOST", "127.0.0.1"),
            "PORT": os.environ.get("NOSE_SPEEDUP_PG_PORT", "5432"),
            "USER": os.environ.get("NOSE_SPEEDUP_PG_USER", "root"),
            "PASSWORD": os.environ.get("NOSE_SPEEDUP_PG_PASSWORD", ""),
        }
    elif backend in ("mariadb", "mysql"):
        server = {
            "ENGINE": "django.db.backends.mysql",
            "HOST": os.environ.get("NOSE_SPEEDUP_MYSQL_HOST", "127.0.0.1"),
            "PORT": os.environ.get("NOSE_SPEEDUP_MYSQL_PORT", "3306"),
            "USER": os.environ.get("NOSE_SPEEDUP_MYSQL_USER", "root"),
            "PASSWORD": os.environ.get("NOSE_SPEEDUP_MYSQL_PASSWORD", ""),
            "OPTIONS": {"charset": "utf8mb4"},
            "TEST": {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"},
        }
    else:
        raise RuntimeError(
            f"testproject: NOSE_SPEEDUP_TEST_DB={backend!r} is not a known backend; "
            "use sqlite, postgresql or mariadb"
        )
    return {
        "default": {**server, "NAME": "testproject"},
        "archive": {**server, "NAME": "testproject_archive"},
    }


DATABASES = _database_settings(
    os.environ.get("NOSE_SPEEDUP_TEST_DB", "sqlite").strip().lower() or "sqlite"
)
DATABASE_ROUTERS = ["testproject.routers.ArchiveRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Content types and permissions are rebuilt by ``post_migrate`` after every
# TransactionTestCase flush, under new primary keys; restoring the copies
# serialized at start-up for ``serialized_rollback`` would then collide with
# them (IntegrityError on django_content_type), so they are left out.
TEST_NON_SERIALIZED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]

# The suite asserts many 400/403/404 responses; nose2 routes warnings to
# stderr (logging.basicConfig), so only server errors are logged.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "loggers": {"django.request": {"level": "ERROR"}},
}

# Tests only: MD5 keeps the users that setUpTestData creates cheap.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# ``manage.py test`` runs the suite through nose2 and the nose-speedup
# plugins; ``--testrunner django.test.runner.DiscoverRunner`` gives the
# stock runner for comparison.
TEST_RUNNER = "nose_speedup.runner.Nose2TestRunner"
