"""The machinery behind the reuse-db plugin (``nose_speedup.plugins.reuse_db``):
keep test databases between runs and rebuild them only when what their schema
was built from changed.

One job per module:

``fingerprint``  what the schema was built from, as a manifest of hashes, and
                 why two manifests differ;
``project_sources`` the project modules besides migrations that build rows
                 or tables (handlers, what migrations import);
``repair``       put back only the tables and sequences that differ, check
                 the result, or say why only the whole copy is exact;
``lock``         one run at a time per test database;
``lifecycle``    set-up and tear-down of the kept databases, driven by the
                 plugin.

The per-vendor work (pristine copy, checked restore, drop, structure and row
signatures, counters) is each vendor's reuse backend in ``nose_speedup.vendors``
(``vendors.for_connection(connection).reuse_backend()``), over the shared
flow of ``vendors.reuse_base``; the table of ours kept in each test
database (ownership, fingerprint, pristine record and the run state), which
those backends read and write, is ``vendors.marker``.

The private Django names it needs are in ``nose_speedup.compat.django_testdb``.

Nothing here is imported before Django is configured.
"""
