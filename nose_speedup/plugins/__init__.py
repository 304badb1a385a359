"""nose2 plugins. Each module holds exactly one plugin; its docstring is its
user documentation. Load them with ``--plugin nose_speedup.plugins.NAME`` or
``[unittest] plugins =`` in ``unittest.cfg``/``nose2.cfg``."""
