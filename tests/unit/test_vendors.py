"""``nose_speedup.vendors``: the one place a connection's vendor is picked.
A supported vendor gives its package's class, bound to the connection; any
other is refused with one line naming the vendor, the alias and what is
supported (the artifacts' ``server_version`` used to answer SQLite's
version for it); a registered class serves its vendor."""

import types

import pytest

from nose_speedup import vendors
from nose_speedup.errors import ConfigurationError
from nose_speedup.vendors.mysql import MySQL
from nose_speedup.vendors.postgresql import PostgreSQL
from nose_speedup.vendors.sqlite import SQLite

pytestmark = pytest.mark.backend_independent


def connection(vendor, alias="default"):
    return types.SimpleNamespace(vendor=vendor, alias=alias,
                                 settings_dict={"ENGINE": f"{vendor}.backend"})


@pytest.mark.parametrize("vendor, expected", [
    ("sqlite", SQLite), ("postgresql", PostgreSQL), ("mysql", MySQL),
])
def test_each_supported_vendor_gets_its_package(vendor, expected):
    found = vendors.for_connection(connection(vendor))
    assert type(found) is expected and found.connection.vendor == vendor
    assert vendors.supported(connection(vendor))


def test_an_unsupported_vendor_is_refused_in_one_line():
    with pytest.raises(vendors.UnsupportedVendor) as raised:
        vendors.for_connection(connection("oracle", alias="legacy")).server_version()
    assert isinstance(raised.value, ConfigurationError)
    assert str(raised.value) == (
        "database vendor 'oracle' of alias 'legacy' (ENGINE 'oracle.backend') is not supported "
        "by nose-speedup (supported: mysql, postgresql, sqlite); run without the speed-up that "
        "needs it"
    )
    assert not vendors.supported(connection("oracle"))


def test_a_registered_vendor_serves_its_connections(monkeypatch):
    monkeypatch.setattr(vendors, "_VENDORS", dict(vendors._VENDORS))

    class Stub(SQLite):
        name = "stub"

    assert vendors.register(Stub) is Stub
    assert type(vendors.for_connection(connection("stub"))) is Stub
    assert "stub" in vendors.refusal(connection("oracle"))
