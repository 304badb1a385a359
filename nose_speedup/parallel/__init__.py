"""Parallel runs: the machinery the parallel plugin (``nose_speedup.plugins.parallel``) drives.

* ``switches``: what ``--django-parallel N|auto|auto-K`` means;
* ``units``: the units of work (a fixture bundle, or a class) and their order;
* ``clones``: one copy of every test database per worker process;
* ``worker``: what a worker process does (Django set-up, running units);
* ``modules``: module fixtures a worker keeps set up across its units;
* ``outcomes``: test outcomes sent from a worker and replayed in the main process;
* ``dispatcher``: the worker processes, handing out units, replaying outcomes.
"""
