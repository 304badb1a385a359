"""The smaller speed-ups: the machinery the speedups plugin
(``nose_speedup.plugins.speedups``) drives.

* ``settings_overrides``: the settings a run changes, and the names that switch
  each part on;
* ``kept_connections``: one database connection per run, where it is safe.
"""
