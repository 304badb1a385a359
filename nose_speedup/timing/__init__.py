"""Where a run's time goes: durations recorded across runs (``store``), used
by the parallel scheduler, CI shards and the timing report; the slowest
tests of one run (``durations``, for ``--django-durations N``)."""
