"""What a test database holds, for scenarios that compare the state a flush
leaves with the state Django's flush leaves: every table's rows (but
``django_migrations``, whose timestamps differ between builds) and every
sequence's value."""

SEQUENCES = {
    "postgresql": "SELECT sequencename, last_value FROM pg_sequences ORDER BY 1",
    "sqlite": "SELECT name, seq FROM sqlite_sequence ORDER BY 1",
    "mysql": "SELECT TABLE_NAME, AUTO_INCREMENT FROM information_schema.TABLES "
             "WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1",
}


def snapshot(connection):
    """``{table: sorted rows as text, "<sequences>": [[name, value], ...]}``."""
    state = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(include_views=False)):
            if table == "django_migrations":
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            state[table] = sorted(repr(tuple(row)) for row in cursor.fetchall())
        cursor.execute(SEQUENCES[connection.vendor])
        state["<sequences>"] = [list(row) for row in cursor.fetchall()]
    return state
