"""The error of a fixture bundle whose fixtures did not load.

Saying what went wrong with a class's fixtures is the django plugin's
(``nose_speedup.core.fixture_errors``, which reports a bundle's error
as it reports a class's); bundling raises its own one-line error on each
class of the bundle.
"""

from nose_speedup.core.fixture_errors import (  # noqa: F401 (bundling's names)
    OneLineFixtureError, class_name, describe_fixture_error, error_reason,
)


class FixtureBundleError(OneLineFixtureError):
    """A bundle's fixtures could not be loaded; the message says why and what
    to fix. Raised from ``setUpClass``, so unittest reports it on the class."""
