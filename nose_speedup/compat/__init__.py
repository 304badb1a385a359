"""The seams: every private name of a foreign library the project uses, one
module per library, each branch commented with the versions it serves.

* ``django_compat``: Django's private ``TestCase`` machinery;
* ``unittest_compat``: unittest's private suite machinery;
* ``nose2_compat``: nose2's plugin and hook bookkeeping.

Nothing here imports the rest of the project.
"""
