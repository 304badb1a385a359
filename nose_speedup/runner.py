"""``manage.py test`` on nose2: ``TEST_RUNNER = "nose_speedup.runner.Nose2TestRunner"``.

The runner keeps Django's command line (it is a ``DiscoverRunner`` for
argument parsing) and runs the selected tests with nose2 and nose-speedup's
plugins in the same process, so ``manage.py test [labels]`` is all a team has
to type. Every Django flag maps onto a nose2 flag (docs/manage-py-test.rst's table lists
them all): ``-k`` onto ``--django-name-pattern``, ``--tag`` onto
``--django-tag``, ``--pdb`` onto nose2's ``--debugger``, ``--durations N``
onto ``--django-durations N`` (on every supported Python, not only 3.12+),
``--timing`` onto ``--django-timing`` plus the timing plugin's
``--speedup-report``; ``--speedup-report``, ``--speedup-report-html PATH``
and ``--shard I/N`` onto the timing and shards plugins' flags; ``--affected``
onto the affected plugin's; ``--parallel N`` onto the parallel
plugin's ``--django-parallel N``, and so on. Only ``-p/--pattern`` is
refused (set ``test-file-pattern`` in ``unittest.cfg``).

The command line beats ``unittest.cfg``: a flag given to ``manage.py test``
is passed on as the nose2 flag that overrides the config's key;
``--no-fixture-bundling`` excludes the bundling plugin even when the config
says ``always-on = True``; ``--bundle-testcases`` bundles plain
``django.test.TestCase`` classes with fixtures too (the bundling plugin's
``[fixture-bundling] testcases = all``); and ``--noinput`` beats ``interactive = True``.
A flag not typed leaves the config's value alone: without ``-v``, ``[unittest]
verbosity`` applies; without ``--noinput``, ``[django] interactive`` (by
default: ask when stdin is a terminal).

With nose2's ``--with-coverage`` (in ``NOSE2_ARGS``, after ``--``, or
``[coverage] always-on = True`` in ``unittest.cfg``) the
runner runs nose2 in a new process, so that coverage starts before Django
imports the settings and models, and reports what ``coverage run -m nose2``
reports. With ``--affected`` (or ``[affected] record = True``) it does the
same, so that the record holds the code settings and models run at start-up.

After each ``TransactionTestCase`` test the runner empties only the tables
that hold rows (``nose_speedup.plugins.fast_flush``; the database the next
test sees is the one Django's flush leaves); ``--no-fast-flush`` or
``NOSE_FAST_FLUSH = False`` runs Django's flush instead.

Settings: ``NOSE2_PLUGINS`` (plugin modules loaded besides the default
ones) and ``NOSE2_ARGS`` (extra nose2 arguments, e.g. ``["--with-coverage"]``).
Anything after ``--`` on the command line is passed to nose2 as well:
``manage.py test shop -- --plugin nose2.plugins.junitxml --junit-xml``.
"""

import argparse
import os
import subprocess
import sys

from django.core.management.base import CommandError
from django.test.runner import DiscoverRunner
from django.test.utils import NullTimeKeeper

from nose_speedup import options, runner_config
from nose_speedup.speedups import settings_overrides

COVERAGE_FLAG = "--with-coverage"
AFFECTED_FLAG = "--affected"  # the recorder must see start-up too
BUNDLING_PLUGIN = "nose_speedup.plugins.bundling"
FAST_FLUSH_PLUGIN = "nose_speedup.plugins.fast_flush"
DEFAULT_PLUGINS = (
    "nose_speedup.plugins.django",
    BUNDLING_PLUGIN,
    "nose_speedup.plugins.reuse_db",
    "nose_speedup.plugins.selection",
    "nose_speedup.plugins.durations",
    "nose_speedup.plugins.debug_sql",
    "nose_speedup.plugins.parallel",
    "nose_speedup.plugins.timing",
    "nose_speedup.plugins.shards",
    FAST_FLUSH_PLUGIN,
    "nose_speedup.plugins.affected",
)
# Setting: False runs Django's flush after TransactionTestCase tests.
FAST_FLUSH_SETTING = "NOSE_FAST_FLUSH"
# The runner's keyword argument of the nose2 arguments given after "--".
PASSTHROUGH = runner_config.PASSTHROUGH
# What nose_speedup.plugins.all loads.
ALL_MEMBERS = tuple(dict.fromkeys(option.module for option in options.OPTIONS))
# The manage.py test flags this runner adds to Django's.
RUNNER_OWN = tuple(option for option in options.OPTIONS if option.runner_own)
# Mapped by their own rules in nose2_arguments: whether a plugin is loaded,
# a setting, and Django's "--parallel 1" meaning a serial run.
MAPPED_APART = ("bundling", "fast_flush", "parallel")


class Nose2TestRunner(DiscoverRunner):
    """Run ``manage.py test`` with nose2 and the nose-speedup plugins."""

    def __init__(self, **kwargs):
        # The runner's own options (nose_speedup.options); Django < 5.0 has no
        # durations argument, ours works on any version.
        own = {o.runner_dest: kwargs.pop(o.runner_dest, runner_config.default(o)) for o in RUNNER_OWN}
        # What followed "--" (add_arguments); None when the parser was not ours.
        self.nose2_args = kwargs.pop(PASSTHROUGH, None)
        super().__init__(**kwargs)
        for name, value in own.items():
            setattr(self, name, value)

    @classmethod
    def add_arguments(cls, parser):
        super().add_arguments(parser)
        runner_config.pass_on_after_double_dash(parser)
        for option in RUNNER_OWN:
            if option.kind == options.SWITCH:
                negated = option.runner_flag.startswith("--no-")
                spelling = {"action": "store_false" if negated else "store_true"}
            else:
                spelling = {"metavar": option.metavar, "default": None}
                if option.runner_type is not None:
                    spelling["type"] = option.runner_type
            try:  # Django adds --durations on Python 3.12+ only; ours works on any.
                parser.add_argument(
                    option.runner_flag, dest=option.runner_dest,
                    help=f"{option.runner_help or option.help}.", **spelling,
                )
            except argparse.ArgumentError:
                pass

    def _refuse_unsupported_options(self):
        if self.pattern not in (None, "test*.py"):
            raise CommandError(
                f"Nose2TestRunner: -p/--pattern {self.pattern!r} is not supported; set "
                "'test-file-pattern' in the [unittest] section of unittest.cfg instead"
            )

    @staticmethod
    def _typed(*flags):
        """Whether one of ``flags`` is on ``manage.py test``'s command line."""
        argv = sys.argv[: sys.argv.index("--")] if "--" in sys.argv else sys.argv
        return any(arg == flag or arg.startswith(flag) for arg in argv[1:] for flag in flags)

    def _split_passthrough(self, test_labels):
        """Labels, and the nose2 arguments given after ``--``."""
        if self.nose2_args is not None:
            return list(test_labels), self.nose2_args
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
        args = ["nose2"]
        if self.verbosity != 1 or self._typed("-v", "--verbosity"):
            args += ["--verbosity", str(self.verbosity)]  # else [unittest] verbosity may say
        plugins = [*DEFAULT_PLUGINS, *getattr(settings, "NOSE2_PLUGINS", ())]
        if options.ALL_PLUGINS in [*plugins, *runner_config.config_plugins()]:
            # Its members one by one, so that --no-fixture-bundling and
            # --no-fast-flush can leave theirs out.
            plugins = [p for p in plugins if p != options.ALL_PLUGINS] + list(ALL_MEMBERS)
            args += ["--exclude-plugin", options.ALL_PLUGINS]
        for plugin in dict.fromkeys(plugins):
            args += ["--plugin", plugin]
        if self.top_level:
            args += ["--top-level-directory", self.top_level]
        if self.failfast:
            args.append("--fail-fast")
        if self.shuffle is not False:
            args += ["--django-shuffle", "random" if self.shuffle is None else str(self.shuffle)]
        if self.buffer:
            args.append("--output-buffer")
        if self.bundling:
            args.append("--with-fixture-bundling")
        else:
            args += ["--exclude-plugin", BUNDLING_PLUGIN]
        if self.fast_flush and self._fast_flush_setting(settings):
            args.append("--fast-flush")
        else:  # beats [fast-flush] always-on, as --no-fixture-bundling does
            args += ["--exclude-plugin", FAST_FLUSH_PLUGIN]
        args += self._option_arguments() + self._report_arguments()
        args += settings_overrides.nose2_arguments(getattr(settings, "NOSE_SPEEDUPS", ()))
        if self.parallel not in (0, 1, None):  # the test command resolves "auto"
            args += ["--django-parallel", str(self.parallel), "--django-parallel-source",
                     "manage.py"]
        args += [*getattr(settings, "NOSE2_ARGS", ()), *passthrough, *labels]
        return args

    def _option_arguments(self):
        """The nose2 flag of each declared option whose ``manage.py test``
        flag was given (nose_speedup.options)."""
        args = []
        for option in options.OPTIONS:
            if not option.runner_dest or option.runner_dest in MAPPED_APART:
                continue
            value = getattr(self, option.runner_dest, None)
            if option.kind == options.SWITCH:
                args += [option.flag] if value == option.runner_value else []
            elif option.kind == options.LIST:
                for item in sorted(value or ()):
                    args += [option.flag, item]
            elif value not in (None, ""):
                args += [option.flag, str(value)]
        return args

    @staticmethod
    def _fast_flush_setting(settings):
        value = getattr(settings, FAST_FLUSH_SETTING, True)
        if not isinstance(value, bool):
            raise CommandError(
                f"Nose2TestRunner: {FAST_FLUSH_SETTING} = {value!r} is not True or False; "
                f"set {FAST_FLUSH_SETTING} = False to run Django's flush after each "
                "TransactionTestCase test, or remove it"
            )
        return value

    def _report_arguments(self):
        args = []
        if self.pdb:
            args.append("--debugger")
        timing = not isinstance(self.time_keeper, NullTimeKeeper)
        if timing:  # Django's database timings, then ours
            args.append("--django-timing")
        if timing and not self.speedup_report:
            args.append("--speedup-report")
        return args

    def run_tests(self, test_labels, **kwargs):
        """Run nose2 in this process; return 1 when a test failed, as
        ``manage.py test`` only needs to know whether any did."""
        import nose2

        self._refuse_unsupported_options()
        argv = self.nose2_arguments(test_labels)
        if COVERAGE_FLAG in argv or runner_config.config_bool("coverage", "always-on"):
            return self._run_in_fresh_process(
                argv, COVERAGE_FLAG, f"{COVERAGE_FLAG}: running nose2 in a new process so that "
                "coverage measures settings and models too")
        if AFFECTED_FLAG in argv or runner_config.config_bool("affected", "record"):
            return self._run_in_fresh_process(
                argv, AFFECTED_FLAG, f"{AFFECTED_FLAG}: running nose2 in a new process so that "
                "the record sees the code settings and models run at start-up")
        program = nose2.discover(argv=argv, exit=False)
        return 0 if program.result.wasSuccessful() else 1

    def _run_in_fresh_process(self, argv, flag, why):
        """Run nose2 in a new process, where nose2's coverage plugin (or the
        affected plugin's recorder) starts before Django imports settings and
        models: ``manage.py`` imported them in this one already, so coverage
        would count them as unrun and the record would miss them."""
        from django.conf import settings

        module = getattr(settings, "SETTINGS_MODULE", None)
        if not module:
            instead = ("coverage run manage.py test" if flag == COVERAGE_FLAG
                       else f"python -m nose2 {flag}")
            raise CommandError(
                f"Nose2TestRunner: {flag} needs a settings module "
                f"(DJANGO_SETTINGS_MODULE), not settings.configure(); or run '{instead}' instead"
            )
        self.log(why)
        env = dict(os.environ, DJANGO_SETTINGS_MODULE=module)
        env["PYTHONPATH"] = os.pathsep.join(
            [sys.path[0] or os.getcwd(), *filter(None, [env.get("PYTHONPATH")])]
        )
        command = [sys.executable, "-m", "nose2", *argv[1:]]
        return 0 if subprocess.call(command, env=env) == 0 else 1
