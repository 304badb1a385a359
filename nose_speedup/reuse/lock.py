"""One run at a time per kept test database.

Each database is locked with ``fcntl.flock`` on a file named after its
identity (server and name, or the SQLite file's path) in
``<tempdir>/nose-speedup-locks/``, for the whole run. The operating system
releases the lock when the process ends, even when it is killed, so a lock
is never left behind. A second run waits, saying so once on stderr, and gives
up after ``timeout`` seconds. The lock covers runs on this machine; runs on
other machines sharing a database server are not seen.
"""

import fcntl
import hashlib
import os
import sys
import tempfile
import time

from nose_speedup.errors import ConfigurationError

POLL_SECONDS = 0.1


def lock_path(identity):
    directory = os.path.join(tempfile.gettempdir(), "nose-speedup-locks")
    os.makedirs(directory, exist_ok=True)
    digest = hashlib.sha256(repr(identity).encode()).hexdigest()[:24]
    return os.path.join(directory, f"{digest}.lock")


def _holder(handle):
    handle.seek(0)
    return handle.read().strip() or "unknown"


def acquire(identity, display_name, timeout, source):
    """Lock the database ``identity``; return the open lock file, to pass to
    ``release``. Raise ``ConfigurationError`` after ``timeout`` seconds."""
    handle = open(lock_path(identity), "a+")
    deadline = time.monotonic() + timeout
    announced = False
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if not announced:
                sys.stderr.write(
                    f"Waiting for test database {display_name!r}: another run (pid "
                    f"{_holder(handle)}) is using it; waiting up to {timeout:g} s\n"
                )
                sys.stderr.flush()
                announced = True
            if time.monotonic() >= deadline:
                holder = _holder(handle)
                handle.close()
                raise ConfigurationError(
                    source,
                    f"test database {display_name!r} is still in use by another run (pid "
                    f"{holder}) after {timeout:g} s. Wait for that run to end, raise "
                    "[reuse-db] lock-timeout, or give this checkout its own "
                    "DATABASES[...]['TEST']['NAME']",
                ) from None
            time.sleep(POLL_SECONDS)
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def release(handle):
    fcntl.flock(handle, fcntl.LOCK_UN)
    handle.close()
