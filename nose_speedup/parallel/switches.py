"""How many worker processes a run uses: ``N``, ``auto`` or ``auto-K``.

``auto`` is Django's: ``DJANGO_TEST_PROCESSES`` if set, else the number of
cores (``django.test.runner.get_max_test_processes``). ``auto-K`` is all of
them but ``K`` (at least one), so that a laptop stays usable. ``0``, ``1``
and an empty value run serially.
"""

import re

from nose_speedup.errors import ConfigurationError

SOURCE = "parallel plugin"
VALUE = re.compile(r"^(?:\d+|auto(?:-\d+)?)$")


def check(value, where):
    """Stop the run when ``value`` (from ``where``) is not N, auto or auto-K."""
    text = (value or "").strip().lower()
    if text and not VALUE.match(text):
        raise ConfigurationError(
            SOURCE,
            f"{where} {value!r} is not a number of processes, 'auto' or 'auto-K'; give e.g. "
            "4, auto (one process per core, or DJANGO_TEST_PROCESSES) or auto-1 (all cores "
            "but one)",
        )
    return text


# Whose flag the run's lines name (--django-parallel-source).
SERIAL_FLAGS = {"nose2": "--django-parallel", "manage.py": "--parallel"}


def serial_flag(source):
    """The flag that runs serially, as the user spells it: nose2's, or
    ``manage.py test``'s."""
    if source not in SERIAL_FLAGS:
        raise ConfigurationError(
            SOURCE,
            f"--django-parallel-source {source!r} is not one of "
            f"{', '.join(SERIAL_FLAGS)}; leave it out under nose2",
        )
    return SERIAL_FLAGS[source]


def processes(value):
    """The number of worker processes ``value`` asks for (1: serial)."""
    text = (value or "").strip().lower()
    if not text:
        return 1
    if text.startswith("auto"):
        from django.test.runner import get_max_test_processes

        spare = int(text[len("auto-"):]) if "-" in text else 0
        try:
            cores = get_max_test_processes()
        except ValueError:
            raise ConfigurationError(
                SOURCE,
                "DJANGO_TEST_PROCESSES is not a whole number; set it to the number of "
                "processes 'auto' means, or unset it",
            ) from None
        return max(1, cores - spare)
    return max(1, int(text))
