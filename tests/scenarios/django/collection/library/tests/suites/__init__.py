"""A package whose load_tests loads it all: unittest's discovery calls it and
then leaves the package's modules alone."""
from library import checks


def load_tests(loader, tests, pattern):
    tests.addTests(loader.loadTestsFromTestCase(checks.AddedByPackageLoadTests))
    return tests
