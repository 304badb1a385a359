"""PostgreSQL: restoring changed tables with the rights the test role has.

A restore must fire no trigger and must not check a foreign key half-way
through (the tables are emptied, then filled, one after another). A
superuser (or, on PostgreSQL 15+, a role granted ``SET`` on the parameter)
sets ``session_replication_role = replica`` for the transaction: nothing
fires, at no cost. Setting it is refused to other roles ("permission denied
to set parameter"), so a role that owns the tables (the one that built the
test database, with ``CREATEDB``) does what an owner may instead:

* ``ALTER TABLE ... DISABLE TRIGGER`` for each user trigger of the tables
  that fires in the usual (origin) mode, as ``replica`` would skip it, and
  ``ENABLE TRIGGER`` before the commit (both in the transaction: a crash
  leaves it enabled; a trigger the project disabled, or made ``ALWAYS``,
  is left as it is);
* ``SET CONSTRAINTS ALL DEFERRED``: Django makes its foreign keys
  ``DEFERRABLE INITIALLY DEFERRED``, so they are checked once, at the
  commit, against the pristine rows, which satisfy them.

A project's foreign key on those tables that cannot be deferred, or that
acts on delete (``CASCADE``, ``SET NULL``...), would act on rows half-way
through: then only the whole pristine copy is exact, and the start line
says so, naming the constraint and what the missing right costs.

Cost: nothing for a superuser (whether the role is one was reported by the
server at connection time); for another role, on a restore only, one query
naming the triggers and constraints, two ``ALTER TABLE`` per user
trigger, and the foreign keys' checks at the commit (one lookup per
restored row that references another).
"""

from nose_speedup.vendors.reuse_base import TablesNotRestorable

# May the role set session_replication_role after all (PostgreSQL 15+ grants
# it), which of the tables have user triggers, and which foreign keys on them
# cannot be deferred or act on delete.
OWNER_RESTORE = """
SELECT 'replica', '', '' WHERE current_setting('server_version_num')::int >= 150000
AND has_parameter_privilege('session_replication_role', 'SET')
UNION SELECT 'trigger', quote_ident(c.relname), quote_ident(t.tgname)
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE t.tgrelid = ANY(%s::regclass[]) AND NOT t.tgisinternal AND t.tgenabled = 'O'
UNION SELECT 'constraint', con.conname, '' FROM pg_constraint con WHERE con.contype = 'f'
AND (con.conrelid = ANY(%s::regclass[]) OR con.confrelid = ANY(%s::regclass[]))
AND (NOT con.condeferrable OR con.confdeltype <> 'a')
"""


def is_superuser(connection):
    """What the server reported at connection time: no query."""
    raw = connection.connection
    if hasattr(raw, "info"):  # psycopg 3
        return raw.info.parameter_status("is_superuser") == "on"
    return raw.get_parameter_status("is_superuser") == "on"  # psycopg2


def switch_triggers_off(backend, cursor, tables):
    """In the restore's transaction, before it touches ``tables``: make it
    fire no trigger and check no foreign key before its commit. Return the
    user triggers disabled, to enable again (``switch_triggers_on``) before the
    commit, as ``(table, trigger)`` quoted; raise ``TablesNotRestorable``
    when only a whole copy is exact."""
    if not is_superuser(backend.connection):
        quoted = [backend.quote(table) for table in tables]
        cursor.execute(OWNER_RESTORE, [quoted, quoted, quoted])
        found = cursor.fetchall()
        if ("replica", "", "") not in found:
            blocking = sorted(name for kind, name, _ in found if kind == "constraint")
            if blocking:
                verb = "is" if len(blocking) == 1 else "are"
                raise TablesNotRestorable(
                    "without superuser rights (or SET on session_replication_role), "
                    "changed tables are restored alone only when their foreign keys are "
                    f"DEFERRABLE and take no action on delete, and {', '.join(blocking)} "
                    f"{verb} not: each such restore costs a full copy"
                )
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            triggers = sorted((table, name) for kind, table, name in found if kind == "trigger")
            for table, name in triggers:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {name}")
            return triggers
    cursor.execute("SET LOCAL session_replication_role = replica")
    return []


def switch_triggers_on(cursor, triggers):
    for table, name in triggers:
        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {name}")
