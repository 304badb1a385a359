"""What ``Nose2TestRunner`` (``nose_speedup.runner``) reads besides its
own flags: what follows ``--`` on the command line, and nose2's config files
in the project's directory (which plugins they load, whether coverage or the
affected plugin's recording is always on: both make the runner start nose2
in a new process)."""

import configparser
import sys

from nose_speedup import options

CONFIG_FILES = ("unittest.cfg", "nose2.cfg")
PASSTHROUGH = "nose2_args"  # the runner's attribute holding what followed "--"


def pass_on_after_double_dash(parser):
    """Have ``parser`` keep what follows ``--`` apart, as ``nose2_args``,
    wherever the labels stand: argparse would give it to the labels when
    they come last and refuse it ("unrecognized arguments") otherwise, as
    their ``nargs="*"`` matched already."""
    parse_known_args = parser.parse_known_args

    def parse_keeping_nose2_args(args=None, namespace=None):
        args = list(sys.argv[1:] if args is None else args)
        passthrough = None
        if "--" in args:
            at = args.index("--")
            args, passthrough = args[:at], args[at + 1:]
        namespace, extras = parse_known_args(args, namespace)
        setattr(namespace, PASSTHROUGH, passthrough)
        return namespace, extras

    parser.parse_known_args = parse_keeping_nose2_args


def default(option):
    """The runner's value of ``option`` when its flag is not typed."""
    if option.kind == options.SWITCH:
        return option.runner_flag.startswith("--no-")
    return None


def config_plugins(config_files=CONFIG_FILES):
    """The plugin modules ``[unittest] plugins`` names in nose2's config files here."""
    config = configparser.ConfigParser()
    try:
        config.read(config_files)
        return config.get("unittest", "plugins", fallback="").split()
    except configparser.Error:
        return []  # nose2 reads the file itself, and says what is wrong with it


def config_bool(section, key, config_files=CONFIG_FILES):
    """``[section] key`` as a boolean from nose2's config files here
    (``[coverage] always-on``, ``[affected] record``): False when unset."""
    config = configparser.ConfigParser()
    try:
        config.read(config_files)
        return config.getboolean(section, key, fallback=False)
    except (configparser.Error, ValueError):
        return False  # nose2 reads the file itself, and says what is wrong with it
