"""An app whose ``loaddata`` command appends one line per call (database and
fixture labels) to the file named by ``NSP_FIXTURE_LOAD_LOG``: the side
channel that proves how often fixtures were loaded. Django's ``TestCase``
and fixture bundling both call ``loaddata`` through ``call_command``, which
finds this command first because installed apps override Django's own."""
