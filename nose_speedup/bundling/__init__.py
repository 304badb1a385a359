"""Fixture bundling: the machinery the bundling plugin
(``nose_speedup.plugins.bundling``) and ``FastFixtureTestCase``
(``nose_speedup.testcases``) drive.

* ``run``: the bundles of one run (``BundledRun``): which classes share a
  fixture load, where each bundle runs, what bundling did;
* ``bundle``: one bundle (``FixtureBundle``): its transaction and its counts;
* ``suite``: the suite that runs the units of work, module fixtures included;
* ``fixture_errors``: a failed fixture load as one line with the fix.
"""
