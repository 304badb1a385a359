"""Write what the next test sees: every table's rows (but django_migrations,
whose timestamps differ between builds) and every sequence's value, as one
JSON line per call, to the file FLUSH_STATE_FILE names; with the process
that ran the test (a worker of --django-parallel has its own name) and the
module of what Django's TransactionTestCase teardown calls to flush
(django.core.management, or the fast flush in its place). A line with
"class" instead of "test" says a process starts a class, so that the
classes each worker ran, in order, can be run again by Django's runner."""
import json
import multiprocessing
import os

from django.db import connection
from django.test import testcases

from tests.support.database_state import snapshot


def record(label):
    flush = testcases.call_command.__module__
    write({"test": label, "state": snapshot(connection), "flush": flush})


def record_class(label):
    write({"class": label})


def write(entry):
    path = os.environ.get("FLUSH_STATE_FILE")
    if path:
        entry["process"] = multiprocessing.current_process().name
        # One write of the whole line: the workers of a parallel run append
        # to the same file.
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        try:
            os.write(descriptor, (json.dumps(entry) + "\n").encode())
        finally:
            os.close(descriptor)
