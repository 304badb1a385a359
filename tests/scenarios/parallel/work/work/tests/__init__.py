import os
from pathlib import Path


def leave_marker(name):
    """Say that a test ran, in NSP_MARKERS, for the test to see."""
    directory = os.environ.get("NSP_MARKERS")
    if directory:
        Path(directory, name).write_text(str(os.getpid()))
