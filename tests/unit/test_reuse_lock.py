"""``nose_speedup.reuse.lock``: one run at a time per kept test database,
with ``flock`` on a file named after the database's identity. Two ``open``
calls of one file are two lock holders to ``flock`` even in one process, so
these tests take the lock twice here; the lock directory is a temporary one."""

import os
import tempfile

import pytest

from nose_speedup.errors import ConfigurationError
from nose_speedup.reuse import lock

pytestmark = pytest.mark.backend_independent

IDENTITY = ("django.db.backends.postgresql", "127.0.0.1", "5432", "test_unit_shop")


@pytest.fixture(autouse=True)
def lock_directory(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(lock, "POLL_SECONDS", 0.01)
    return tmp_path


def test_one_identity_has_one_lock_file_in_the_lock_directory(lock_directory):
    path = lock.lock_path(IDENTITY)
    assert path == lock.lock_path(tuple(IDENTITY))
    assert os.path.dirname(path) == str(lock_directory / "nose-speedup-locks")
    assert lock.lock_path(IDENTITY[:3] + ("test_unit_other",)) != path


def test_the_holder_writes_its_pid_in_the_lock_file():
    handle = lock.acquire(IDENTITY, "test_unit_shop", 1, "reuse-db")
    try:
        with open(lock.lock_path(IDENTITY)) as lock_file:
            assert lock_file.read() == str(os.getpid())
    finally:
        lock.release(handle)


def test_a_second_run_waits_saying_so_once_then_stops_naming_the_holder(capsys):
    handle = lock.acquire(IDENTITY, "test_unit_shop", 1, "reuse-db")
    try:
        with pytest.raises(ConfigurationError) as raised:
            lock.acquire(IDENTITY, "test_unit_shop", 0.05, "reuse-db")
    finally:
        lock.release(handle)
    assert str(raised.value) == (
        f"reuse-db: test database 'test_unit_shop' is still in use by another run (pid "
        f"{os.getpid()}) after 0.05 s. Wait for that run to end, raise [reuse-db] "
        "lock-timeout, or give this checkout its own DATABASES[...]['TEST']['NAME']"
    )
    assert capsys.readouterr().err == (
        f"Waiting for test database 'test_unit_shop': another run (pid {os.getpid()}) is "
        "using it; waiting up to 0.05 s\n"
    )


def test_a_released_lock_is_taken_at_once_without_a_word(capsys):
    lock.release(lock.acquire(IDENTITY, "test_unit_shop", 1, "reuse-db"))
    handle = lock.acquire(IDENTITY, "test_unit_shop", 0, "reuse-db")
    lock.release(handle)
    assert capsys.readouterr().err == ""


def test_another_databases_lock_does_not_wait():
    handle = lock.acquire(IDENTITY, "test_unit_shop", 1, "reuse-db")
    try:
        other = lock.acquire(IDENTITY[:3] + ("test_unit_other",), "test_unit_other", 0, "reuse-db")
        lock.release(other)
    finally:
        lock.release(handle)
