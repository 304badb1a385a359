"""Read a nose2 config section strictly.

nose2's ``Config.as_bool`` reads any word it does not know as False
(``always-on = ture`` silently switches a plugin off), ``as_float`` raises a
bare ``ValueError`` traceback, and a misspelled key or section is ignored.
``StrictSection`` has the same reading methods but stops the run with one
line naming the config file, the section, the key, the bad value and what is
accepted; ``refuse_unknown_keys`` names the closest known key of a key
nothing reads, and the section itself is checked for a misspelled twin
(``[reuse_db]`` beside a plugin that reads ``[reuse-db]``).

A plugin replaces its ``self.config`` in ``__init__``, reads every key
through it, then refuses the rest::

    self.config = config.StrictSection(self.session, self.configSection, SOURCE)
    self.reverse = self.config.as_bool("reverse", False)
    self.config.refuse_unknown_keys()
"""

import configparser
import difflib
import os
import sys

from nose_speedup import options
from nose_speedup.errors import ConfigurationError

TRUE_WORDS = ("1", "t", "true", "on", "yes", "y")
FALSE_WORDS = ("0", "f", "false", "off", "no", "n", "")
BOOLEAN_ACCEPTED = "true/false, yes/no, on/off or 1/0"
# nose2 reads this key in every plugin's section.
ALWAYS_ON = "always-on"
SIMILAR = 0.8


def _command_line_config_files(argv):
    """The files given with nose2's ``-c``/``--config`` on the command line."""
    files = []
    for index, argument in enumerate(argv):
        if argument in ("-c", "--config") and index + 1 < len(argv):
            files.append(argv[index + 1])
        elif argument.startswith("--config="):
            files.append(argument.split("=", 1)[1])
    return files


def candidate_files(session, argv=None):
    """The files nose2 may have read its config from, in the order it reads
    them (a later file overrides an earlier one)."""
    names = ("unittest.cfg", "nose2.cfg", "pyproject.toml")
    files = [*_command_line_config_files(sys.argv if argv is None else argv), *names]
    if session.topLevelDir:
        files += [os.path.join(session.topLevelDir, name) for name in names]
    files += [os.path.expanduser("~/.unittest.cfg"), os.path.expanduser("~/.nose2.cfg")]
    return list(dict.fromkeys(os.path.abspath(name) for name in files))


def _sections_in(path):
    """``{section: {key: value}}`` of one config file, as nose2 reads it."""
    if os.path.basename(path) == "pyproject.toml":
        try:
            import tomllib
        except ImportError:  # Python 3.10: nose2 reads TOML with tomli, if installed
            try:
                import tomli as tomllib
            except ImportError:
                return {}
        try:
            with open(path, "rb") as file:
                tables = tomllib.load(file).get("tool", {}).get("nose2", {})
        except (OSError, ValueError):
            return {}
        return {
            section: {key.lower(): str(value) for key, value in values.items()}
            for section, values in tables.items()
            if isinstance(values, dict)
        }
    parser = configparser.ConfigParser()
    try:
        parser.read(path)
    except configparser.Error:
        return {}
    return {section: dict(parser.items(section, raw=True)) for section in parser.sections()}


def describe_source(session, section, key=None):
    """Where ``section`` (and ``key``) came from: ``"unittest.cfg, section
    [django]"``, the last candidate file that has it."""
    where = None
    for path in candidate_files(session):
        sections = _sections_in(path) if os.path.isfile(path) else {}
        if section in sections and (key is None or key in sections[section]):
            where = path
    if where is None:
        return f"the nose2 config, section [{section}]"
    relative = os.path.relpath(where)
    name = relative if not relative.startswith(os.pardir) else where
    if os.path.basename(where) == "pyproject.toml":
        return f"{name}, table [tool.nose2.{section}]"
    return f"{name}, section [{section}]"


def closest(word, candidates):
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


class StrictSection:
    """One plugin's config section; reading a bad value stops the run."""

    def __init__(self, session, section, source):
        self.session = session
        self.section = section
        self.source = source
        parser = session.config
        defaults = set(parser.defaults())
        self.values = {}
        if parser.has_section(section):
            self.values = {
                key: value
                for key, value in parser.items(section, raw=True)
                if key not in defaults
            }
        # Every key the declarations give this section: a key another
        # plugin reads (``[django] parallel``) is not unknown here.
        self.declared = {option.key for option in options.in_section(section)}
        self.known = set(self.declared)
        self._refuse_misspelled_section()
        self.as_bool(ALWAYS_ON, False)  # read by nose2 itself, laxly

    def _fail(self, message, key=None):
        where = describe_source(self.session, self.section, key)
        raise ConfigurationError(self.source, f"{where}: {message}")

    def _refuse_misspelled_section(self):
        claimed = {getattr(plugin, "configSection", None) for plugin in self.session.plugins}
        for other in self.session.config.sections():
            if other == self.section or other in claimed:
                continue
            near = other.lower().replace("_", "-") == self.section or difflib.SequenceMatcher(
                None, other.lower(), self.section
            ).ratio() >= SIMILAR
            if near:
                where = describe_source(self.session, other)
                raise ConfigurationError(
                    self.source,
                    f"{where} is read by no plugin; did you mean [{self.section}]? "
                    f"Rename the section",
                )

    def parsed(self, key, default, parse, accepted):
        """The value of ``key`` turned by ``parse`` (which raises ValueError
        on a bad value), or ``default`` when the key is absent."""
        if self.declared and key not in self.declared | {ALWAYS_ON}:
            raise LookupError(
                f"{self.source} reads [{self.section}] {key}, which nose_speedup.options does "
                "not declare; add an Option for it"
            )
        self.known.add(key)
        if key not in self.values:
            return default
        text = self.values[key].strip()
        try:
            return parse(text)
        except ValueError:
            self._fail(f"{key} = {text!r} is not valid; accepted: {accepted}", key)

    def as_bool(self, key, default=None):
        def parse(text):
            if text.lower() in TRUE_WORDS:
                return True
            if text.lower() in FALSE_WORDS:
                return False
            raise ValueError(text)

        return self.parsed(key, default, parse, BOOLEAN_ACCEPTED)

    def as_float(self, key, default=None, minimum=None):
        def parse(text):
            number = float(text)
            if number != number or (minimum is not None and number < minimum):
                raise ValueError(text)
            return number

        floor = f" of at least {minimum:g}" if minimum is not None else ""
        shown = f"{default:g}" if isinstance(default, float) else default
        return self.parsed(key, default, parse, f"a number{floor} (default {shown})")

    def as_int(self, key, default=None, minimum=None):
        def parse(text):
            number = int(text)
            if minimum is not None and number < minimum:
                raise ValueError(text)
            return number

        floor = f" of at least {minimum}" if minimum is not None else ""
        return self.parsed(key, default, parse, f"a whole number{floor} (default {default})")

    def as_str(self, key, default=None):
        return self.parsed(key, default, str, "any text")

    get = as_str

    def as_list(self, key, default=None):
        def parse(text):
            lines = (line.strip() for line in text.splitlines())
            return [line for line in lines if line and not line.startswith("#")]

        return self.parsed(key, default, parse, "one value per line")

    def read_option(self, option):
        """The value of ``option`` (a ``nose_speedup.options.Option`` of this
        section), read by its kind, or its default."""
        key, default = option.key, option.default
        if option.kind in (options.SWITCH, options.BOOL):
            return self.as_bool(key, default)
        if option.kind == options.INT:
            return self.as_int(key, default, minimum=option.minimum)
        if option.kind == options.FLOAT:
            return self.as_float(key, default, minimum=option.minimum)
        if option.kind == options.LIST:
            return [value for value in self.as_list(key, list(default)) if value.strip()]
        if option.kind == options.CHOICE:
            accepted = ", ".join(map(str, option.choices))

            def parse(text):
                if text not in option.choices:
                    raise ValueError(text)
                return text

            return self.parsed(key, default, parse, f"one of {accepted}")
        if option.parse is not None:
            return self.parsed(key, default, option.parse, option.accepted)
        return self.parsed(key, default, str.strip, "any text")

    def refuse_unknown_keys(self):
        """Stop the run on a key that no ``as_*`` call read."""
        for key in sorted(set(self.values) - self.known):
            suggestion = closest(key, self.known)
            hint = f"did you mean {suggestion!r}? " if suggestion else ""
            self._fail(
                f"unknown key {key!r}; {hint}known keys: {', '.join(sorted(self.known))}", key
            )
