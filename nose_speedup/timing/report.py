"""The lines the timing plugin prints: what the speed-ups saved (every run)
and where the time went (``--speedup-report``).

The "saved" line estimates from measured costs only: a bundle's measured
load time times the loads bundling avoided in this run; for a database that
was reused (or restored from its pristine copy) the last recorded build time
(from the durations file, written by the run that built it) less this run's
check (or restore). What cannot be estimated is left out: the counts stay,
the seconds go.
"""

from nose_speedup.bundling import rule
from nose_speedup.timing import advisor, recorder

PREFIX = "nose-speedup:"


def seconds_text(seconds):
    if seconds < 1:
        return f"{seconds:.2f} s"
    return f"{seconds:.1f} s" if seconds < 10 else f"{seconds:.0f} s"


def fixtures_saved(run, served):
    """Seconds bundling saved in ``run`` (a ``BundledRun``), or None."""
    total, known = 0.0, False
    for bundle in run.bundles:
        entry = served.get(bundle.name)
        if entry is None or not bundle.loads:
            continue
        avoided = bundle.classes_entered - bundle.loads
        if avoided > 0:
            total += entry["seconds"] * avoided
            known = True
    return total if known else None


def database_parts(measured, previous):
    """"test database reused (~48 s saved)" and the like, per outcome."""
    parts = []
    for phase, verb in ((recorder.REUSE_CHECK, "reused"), (recorder.RESTORE, "restored")):
        aliases = [alias for alias, phases in measured.items() if phase in phases]
        if not aliases:
            continue
        saved, known = 0.0, True
        for alias in aliases:
            build = (previous.get(alias) or {}).get(recorder.BUILD)
            if not isinstance(build, (int, float)):
                known = False
                continue
            saved += max(0.0, build - measured[alias][phase])
        noun = "test database" if len(aliases) == 1 else f"{len(aliases)} test databases"
        what = f"{noun} {verb}"
        if verb == "restored":
            what += " from the pristine copy"
        if known:
            what += f" (~{seconds_text(saved)} saved)"
        parts.append(what)
    return parts


def saved_line(record, previous_databases):
    """The one line every run ends with, or None when no speed-up acted."""
    served = record.served()
    parts = []
    for run in record.bundled_runs:
        saved = fixtures_saved(run, served)
        counts = run.counts_text(f" (~{seconds_text(saved)} saved)" if saved else "")
        if counts:
            parts.append(counts)
    parts += database_parts(record.databases, previous_databases)
    if not parts:
        return None
    return f"{PREFIX} {'; '.join(parts)}"


def slowest(figures, count):
    items = sorted(figures.items(), key=lambda item: (-item[1], item[0]))
    return items[:count] if count else items


def report_lines(record, clock, count, path):
    """Where the time went: ``--speedup-report``."""
    lines = ["", f"nose-speedup report (durations file: {path})", "Database phases:"]
    for alias, phases in sorted(record.databases.items()):
        shown = ", ".join(
            f"{name} {phases[name]:.3f}s" for name in recorder.PHASES if name in phases
        )
        lines.append(f"  {alias}: {shown}")
    if not record.databases:
        lines.append("  (none set up in this process)")
    lines.append("Fixture loads per bundle (seconds per load, rows, loads, classes served):")
    served = record.served()
    for name, entry in sorted(served.items(), key=lambda item: (-item[1]["seconds"], item[0])):
        lines.append(
            f"  {entry['seconds']:.3f}s  {entry['rows']} rows  {entry['loads']} loads  "
            f"{entry['classes']} classes  {name}"
        )
    if not served:
        lines.append("  (no bundle loaded in this process)")
    lines.append("Slowest class set-ups (setUpClass, setUpTestData, fixtures, setUpModule):")
    lines += [f"  {seconds:.3f}s  {name}" for name, seconds in slowest(clock.classes, count)]
    lines.append("Slowest tests:")
    lines += [f"  {seconds:.3f}s  {name}" for name, seconds in slowest(clock.tests, count)]
    if any(getattr(run, "mode", None) == rule.ALL for run in record.bundled_runs):
        return lines + ["Advisor: plain django.test.TestCase classes bundle in this run "
                        "([fixture-bundling] testcases = all)"]
    advice = advisor.lines(advisor.advise(list(clock.classes_run), clock.classes))
    return lines + (advice or ["Advisor: no django.test.TestCase classes would bundle"])
