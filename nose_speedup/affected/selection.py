"""Which test modules a change can affect, and why.

A module is selected when it has no record, when any of its tests failed,
errored, unexpectedly passed or did not run last time, when it has a test
the record does not know (a new test), when the environment it was recorded
under changed (then every module recorded under it is selected: a change to
code that runs at start-up, a setting, a migration, the installed packages
or the Python version, or a Python file, template or fixture file added or
removed), or when a unit
of code it ran or a file it read differs from what it was then.
"""

GOOD_OUTCOMES = ("passed", "skipped", "expected failure")
NO_RECORD, NEW_TESTS, FAILED = "no record", "new tests", "failed or did not run last time"
OWN_REASONS = (NO_RECORD, NEW_TESTS, FAILED)  # a module's own, not a file's


class AffectedSelection:
    def __init__(self, record, hashes, current_environment):
        self.record = record
        self.hashes = hashes
        self.current = current_environment  # (hash, components)
        self.changed_files = set()
        self.environment_reasons = {}  # environment hash -> [reason]
        self.reasons = {}  # module -> reason

    def environment_changes(self, recorded_hash):
        if recorded_hash not in self.environment_reasons:
            components = self.record["environments"].get(recorded_hash)
            self.environment_reasons[recorded_hash] = (
                ["no record of the environment"] if components is None
                else self._compare(components)
            )
        return self.environment_reasons[recorded_hash]

    def _compare(self, old):
        new = self.current[1]
        reasons = []
        for key in ("python", "distributions", "database-fingerprint", "python-files",
                    "template-and-fixture-files"):
            if old.get(key) != new.get(key):
                reasons.append({
                    "python": "the Python version changed",
                    "distributions": "installed packages changed",
                    "database-fingerprint": "migrations, installed apps or database settings changed",
                    "python-files": "a Python file was added or removed",
                    "template-and-fixture-files": "a template or fixture file was added or removed",
                }[key])
        for name, units in (old.get("import-time") or {}).items():
            if self.hashes.unit_hashes(name, units) != units:
                self.changed_files.add(name)
                reasons.append(f"{name} changed (code run at start-up)")
        for name, sha in {**(old.get("import-reads") or {}), **(old.get("native") or {})}.items():
            if self.hashes.sha(name) != sha:
                self.changed_files.add(name)
                reasons.append(f"{name} changed (read at start-up)")
        if set(old.get("native") or {}) != set(new.get("native") or {}):
            reasons.append("a native extension was added or removed")
        return reasons

    def module_reason(self, module, test_ids):
        """Why ``module`` (whose tests are ``test_ids``) must run, or None."""
        entry = self.record["modules"].get(module)
        if not isinstance(entry, dict):
            return NO_RECORD
        outcomes = entry.get("tests") or {}
        if any(outcome not in GOOD_OUTCOMES for outcome in outcomes.values()):
            return FAILED
        if any(test_id not in outcomes for test_id in test_ids):
            return NEW_TESTS
        changes = self.environment_changes(entry.get("environment"))
        if changes:
            return changes[0]
        changed = []
        for name, units in (entry.get("code") or {}).items():
            if self.hashes.unit_hashes(name, units) != units:
                changed.append(name)
        for name, sha in (entry.get("reads") or {}).items():
            if self.hashes.sha(name) != sha:
                changed.append(name)
        if changed:
            self.changed_files.update(changed)
            return f"{changed[0]} changed"
        return None

    def select(self, tests_by_module):
        """The modules to run, from ``{module: [test ids]}``."""
        selected = []
        for module, test_ids in tests_by_module.items():
            reason = self.module_reason(module, test_ids)
            if reason is not None:
                self.reasons[module] = reason
                selected.append(module)
        return selected

    def run_wide_reason(self):
        """The one reason when every module is selected for the environment."""
        reasons = [r for rs in self.environment_reasons.values() for r in rs]
        return reasons[0] if reasons else None


def summary_line(selected_tests, total_tests, selection):
    files = sorted(selection.changed_files)
    if files:
        shown = ", ".join(files[:3]) + (", ..." if len(files) > 3 else "")
        why = f"{len(files)} file{'s' * (len(files) != 1)} changed since the last run ({shown})"
    else:
        why = "no recorded input changed"
    others = {}
    for reason in selection.reasons.values():
        if reason in OWN_REASONS:
            others[reason] = others.get(reason, 0) + 1
    if others:
        why += "; and " + ", ".join(
            f"{count} module{'s' * (count != 1)}: {reason}"
            for reason, count in sorted(others.items())
        )
    whole = selection.run_wide_reason()
    if whole and selected_tests == total_tests:
        why = f"every test: {whole}"
    elif not selection.record["modules"]:
        why = "no record yet: every test runs and is recorded"
    return f"Affected: {selected_tests:,} of {total_tests:,} tests; {why}"

