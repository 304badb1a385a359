"""Where the durations file of a run is: ``[timing] durations-file``, read by
the timing plugin (which writes it), the shards plugin and the parallel
plugin's scheduler (which read it)."""

import os

from nose_speedup.timing import store

KEY = "durations-file"


def durations_path(session):
    """``[timing] durations-file`` (relative to the current directory), or
    ``.nose-speedup/durations.json`` under the current directory: the
    project's for ``manage.py test`` and for nose2 run from the project."""
    section = session.get("timing") if session else None
    path = section.as_str(KEY, "").strip() if section else ""
    return os.path.abspath(path) if path else store.default_path(os.getcwd())
