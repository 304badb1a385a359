"""The Django run under nose2: what the django plugin
(``nose_speedup.plugins.django``) drives so that a nose2 run proves what
``manage.py test`` proves. The capabilities (``bundling``, ``reuse``,
``parallel``, ``timing``, ``speedups``) build on it; it builds on none.

* ``configure``: pick the settings module and call ``django.setup()``;
* ``labels``: check the command line's test labels;
* ``collection``: collect the tests Django's runner collects;
* ``ordering``: Django's test order; ``selection``: ``-k`` and ``--tag``;
* ``environment``: environment, test databases (another plugin may take them
  over through the hooks of ``nose_speedup.hooks``), system checks, tear-down;
* ``database_guards``: never touch a real database, name an unreachable server;
* ``fixture_errors``: a class whose fixtures did not load, in one line with the fix;
* ``progress``: progress while a test database is migrated;
* ``reporting``: name every outcome in nose2's report as Django does;
* ``debug_sql``: the SQL each test ran, for ``--debug-sql``;
* ``logging_setup``: let tests log to the terminal as under Django's runner.
"""
