"""The Django run under nose2: what the django plugin
(``nose_speedup.plugins.django``) drives so that a nose2 run proves what
``manage.py test`` proves. The capabilities (``bundling``, ``reuse``,
``parallel``, ``timing``, ``speedups``) build on it; it builds on none.

* ``configure``: pick the settings module and call ``django.setup()``;
* ``labels``: check the command line's test labels;
* ``collection``: collect the tests Django's runner collects;
* ``ordering``: Django's test order; ``selection``: ``-k`` and ``--tag``;
* ``environment``: environment, test databases, system checks, tear-down;
* ``database_guards``: never touch a real database, name an unreachable server;
* ``database_hooks``: the hooks through which a plugin takes over database set-up;
* ``progress``: progress while a test database is migrated;
* ``reporting``: name every outcome in nose2's report as Django does;
* ``debug_sql``: the SQL each test ran, for ``--debug-sql``;
* ``logging_setup``: let tests log to the terminal as under Django's runner.
"""
