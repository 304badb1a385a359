"""``manage.py test`` on nose2: ``TEST_RUNNER = "nose_speedup.runner.Nose2TestRunner"``.

The runner keeps Django's command line (it is a ``DiscoverRunner`` for
argument parsing) and runs the selected tests with nose2 and nose-speedup's
plugins in the same process, so ``manage.py test [labels]`` is all a team has
to type. Django's flags map onto the plugins:

=====================  ===================================================
``--keepdb``           ``--reuse-db``: keep and reuse the test databases
``--failfast``         nose2's ``--fail-fast``
``-v/--verbosity N``   nose2's ``--verbosity N``
``--noinput``          never ask before destroying an old test database
``--shuffle [SEED]``   the django plugin's ``--django-shuffle``
``-r/--reverse``       the django plugin's ``--django-reverse``
``-b/--buffer``        nose2's ``--output-buffer``
``-t DIR``             nose2's ``--top-level-directory``
``--parallel [N]``     the parallel plugin's ``--django-parallel N``
                       (``auto``: ``DJANGO_TEST_PROCESSES`` or the cores)
=====================  ===================================================

Flags that have no nose2 equivalent yet (``--tag``, ``-k``,
``--pdb``, ``--debug-sql``...) stop the run with a message saying so, rather
than being silently ignored.

Settings: ``NOSE2_PLUGINS`` (plugin modules loaded besides the django,
bundling and reuse-db plugins) and ``NOSE2_ARGS`` (extra nose2 arguments,
e.g. ``["--with-coverage"]``). Anything after ``--`` on the command line is
passed to nose2 as well: ``manage.py test shop -- --plugin nose2.plugins.junitxml --junit-xml``.
"""

import sys

from django.core.management.base import CommandError
from django.test.runner import DiscoverRunner

DEFAULT_PLUGINS = (
    "nose_speedup.plugins.django",
    "nose_speedup.plugins.bundling",
    "nose_speedup.plugins.reuse_db",
    "nose_speedup.plugins.parallel",
)

# Django option -> (its value when unused, the flag to name in the message).
UNSUPPORTED_OPTIONS = {
    "tags": (set(), "--tag"),
    "exclude_tags": (set(), "--exclude-tag"),
    "test_name_patterns": (None, "-k"),
    "pdb": (False, "--pdb"),
    "debug_sql": (False, "--debug-sql"),
    "debug_mode": (False, "--debug-mode"),
    "durations": (None, "--durations"),
}


class Nose2TestRunner(DiscoverRunner):
    """Run ``manage.py test`` with nose2 and the nose-speedup plugins."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.bundling = kwargs.get("bundling", True)

    @classmethod
    def add_arguments(cls, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--no-fixture-bundling", action="store_false", dest="bundling",
            help="Load fixtures per class, as Django does, instead of once per bundle.",
        )

    def _refuse_unsupported_options(self):
        for attribute, (unused, flag) in UNSUPPORTED_OPTIONS.items():
            if getattr(self, attribute, unused) not in (unused, None, set(), False):
                raise CommandError(
                    f"Nose2TestRunner: {flag} is not supported yet; run without it, or run "
                    "Django's runner with --testrunner django.test.runner.DiscoverRunner"
                )
        if self.pattern not in (None, "test*.py"):
            raise CommandError(
                f"Nose2TestRunner: -p/--pattern {self.pattern!r} is not supported; set "
                "'test-file-pattern' in the [unittest] section of unittest.cfg instead"
            )

    @staticmethod
    def _split_passthrough(test_labels):
        """Labels, and the nose2 arguments given after ``--``."""
        if "--" not in sys.argv:
            return list(test_labels), []
        extra = sys.argv[sys.argv.index("--") + 1:]
        labels = list(test_labels)
        if extra and labels[-len(extra):] == extra:
            labels = labels[: -len(extra)]
        return labels, extra

    def nose2_arguments(self, test_labels):
        """The nose2 command line that runs ``test_labels`` like Django would."""
        from django.conf import settings

        labels, passthrough = self._split_passthrough(test_labels)
        args = ["nose2", "--verbosity", str(self.verbosity)]
        plugins = [*DEFAULT_PLUGINS, *getattr(settings, "NOSE2_PLUGINS", ())]
        for plugin in dict.fromkeys(plugins):
            args += ["--plugin", plugin]
        if self.top_level:
            args += ["--top-level-directory", self.top_level]
        if self.failfast:
            args.append("--fail-fast")
        if self.keepdb:
            args.append("--reuse-db")
        if self.interactive:
            args.append("--django-interactive")
        if self.shuffle is not False:
            args += ["--django-shuffle", "random" if self.shuffle is None else str(self.shuffle)]
        if self.reverse:
            args.append("--django-reverse")
        if self.buffer:
            args.append("--output-buffer")
        if self.bundling:
            args.append("--with-fixture-bundling")
        if self.parallel not in (0, 1, None):  # the test command resolves "auto"
            args += ["--django-parallel", str(self.parallel)]
        args += [*getattr(settings, "NOSE2_ARGS", ()), *passthrough, *labels]
        return args

    def run_tests(self, test_labels, **kwargs):
        """Run nose2 in this process; return 1 when a test failed, as
        ``manage.py test`` only needs to know whether any did."""
        import nose2

        self._refuse_unsupported_options()
        program = nose2.discover(argv=self.nose2_arguments(test_labels), exit=False)
        return 0 if program.result.wasSuccessful() else 1
