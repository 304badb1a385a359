"""Bring a kept test database back to its pristine state by touching only
what differs from it, or say why only the whole pristine copy can.

After a run in which a ``TransactionTestCase`` ran, Django's flush has
emptied every table, but only the few tables that migrations and
``post_migrate`` handlers filled need their rows back; copying the whole
pristine database again costs as much as the rest of the start. So the
backend's ``compare`` names the tables whose rows and the sequences whose
values differ from the record kept in the marker, the backend puts back the
pristine rows of those tables only (no trigger fires, no foreign key is
checked) and resets the sequences, and a second ``compare`` proves that the
database now is what the marker recorded. Anything that cannot be exact
this way (a changed structure, a failed statement, a difference left after
the restore) raises ``FullCopyNeeded`` with the reason in words.
"""

from django.db import DatabaseError

from nose_speedup.vendors import marker
from nose_speedup.vendors.reuse_base import RestoreImpossible, TablesNotRestorable

KILLED = "the previous run did not finish (killed or crashed)"
LEFT_CHANGES = "the previous run left changes behind"
CHANGED = "it changed since the last run"
# Who left the differences, as the start line names them.
TRANSACTION_TEST_CASE = "a TransactionTestCase"
PREVIOUS_RUN = "the previous run"
KILLED_RUN = "a killed run"
ANOTHER_CLIENT = "another client"


class FullCopyNeeded(Exception):
    """Restoring single tables cannot make this database pristine exactly."""


def _first_line(error):
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def restore_changed(backend, saved, comparison):
    """Put back what ``comparison`` found changed against the marker
    ``saved``, then check the result; raise ``FullCopyNeeded`` saying why
    when that is not exact."""
    if not comparison.exact_by_tables:
        raise FullCopyNeeded(comparison.words())
    try:
        if comparison.tables:
            backend.restore_tables(comparison.tables, saved)
        backend.reset_counters(saved.group(marker.COUNTERS))
    except TablesNotRestorable as error:
        raise FullCopyNeeded(str(error)) from None
    except DatabaseError as error:
        backend.connection.close()  # a failed statement may leave the session unusable
        raise FullCopyNeeded(f"restoring the changed tables failed ({_first_line(error)})")
    after = backend.compare(saved)
    if not after.same:
        raise FullCopyNeeded(f"restoring the changed tables left a difference ({after.words()})")


def cause(saved, comparison):
    """``(who, reason)``: who left the differences, for ``summary``, and in
    words why the database needs a restore, from its marker ``saved``."""
    left = saved.get(marker.REASON)
    if saved.get(marker.STATE) == marker.CLEAN:
        return ANOTHER_CLIENT, f"{CHANGED} ({comparison.words()})"
    if left and left.startswith("a TransactionTestCase ran"):
        return TRANSACTION_TEST_CASE, f"{LEFT_CHANGES} ({left})"
    if left:
        return PREVIOUS_RUN, f"{LEFT_CHANGES} ({left})"
    return KILLED_RUN, KILLED


def restore_whole(backend, saved):
    """Restore the whole pristine copy and check the result; raise
    ``RestoreImpossible`` saying why when it is not what was built."""
    backend.restore(saved)
    after = backend.compare(saved)
    if not after.same:  # the copy itself was changed by hand
        raise RestoreImpossible(
            f"its pristine copy {str(backend.pristine_name)!r} is not what was built "
            f"({after.words()})"
        )


def _count(number, noun):
    return f"{number} {noun}{'' if number == 1 else 's'}"


def summary(comparison, who):
    """What a restore did, for the start line: ``restored 3 tables a
    TransactionTestCase emptied``, ``reset 1 sequence another client
    advanced``."""
    parts = []
    if comparison.tables:
        verb = "emptied" if len(comparison.empty) == len(comparison.tables) else "changed"
        parts.append(f"restored {_count(len(comparison.tables), 'table')} {who} {verb}")
    if comparison.counters:
        sequences = _count(len(comparison.counters), "sequence")
        parts.append(f"reset {sequences}" if parts else f"reset {sequences} {who} advanced")
    return " and ".join(parts)


def detail(comparison):
    """The names behind ``summary``, for verbosity 2 and more."""
    lines = []
    if comparison.tables:
        lines.append(f"  restored tables: {', '.join(comparison.tables)}")
    if comparison.counters:
        lines.append(f"  reset sequences: {', '.join(comparison.counters)}")
    return "\n".join(lines)
