"""Everything nose-speedup knows of one database vendor, one package per
vendor, picked here and nowhere else.

``sqlite/``, ``postgresql/`` and ``mysql/`` (MariaDB and MySQL) each hold
that vendor's reuse backend (snapshot, restore, drop, clone marks), its
artifact dumps, its fast flush probe and its server version, behind one
``Vendor`` subclass of ``base.Vendor``, which holds the shared flow and
says what a vendor overrides (the model is Django's
``django/db/backends/<vendor>/creation.py``). The shared halves live beside
it: ``reuse_base`` (the reuse backends' flow), ``dump_base`` (the dumps'),
``probe_base`` (the flush probes'), and ``marker``: the table of ours
every kept test database holds, whatever its vendor (ownership,
fingerprint, pristine record, run state), which the reuse lifecycle reads
and every vendor's backend copies, restores and leaves out of dumps.

``for_connection(connection)`` gives the vendor of a connection, from
``connection.vendor``; a vendor nose-speedup does not support is refused
in one line (``UnsupportedVendor``) naming the vendor, the alias and what
is supported. ``supported(connection)`` asks first, for the features that
simply stay off on such a vendor (``REUSE_DB`` refuses its own way, the
artifacts leave it out, the fast flush hands it to Django's flush).

A project adds a vendor (a third-party Django backend, or a test's stub)
with ``register(vendor_class)``: a ``base.Vendor`` subclass whose ``name``
is the backend's ``connection.vendor``; it replaces a registered one of
that name. Register it before the run sets up its databases, e.g. in the
settings module.
"""

from nose_speedup.errors import ConfigurationError
from nose_speedup.vendors.mysql import MySQL
from nose_speedup.vendors.postgresql import PostgreSQL
from nose_speedup.vendors.sqlite import SQLite

__all__ = ["UnsupportedVendor", "for_connection", "refusal", "register", "supported"]

_VENDORS = {vendor.name: vendor for vendor in (PostgreSQL, MySQL, SQLite)}


class UnsupportedVendor(ConfigurationError):
    """A connection whose vendor no package here serves."""

    def __init__(self, connection):
        super().__init__(None, f"{refusal(connection)}; run without the speed-up that needs it")
        self.vendor = connection.vendor


def refusal(connection):
    """Why ``connection`` is refused, in words: its vendor, alias and engine,
    and the vendors that are supported."""
    engine = getattr(connection, "settings_dict", {}).get("ENGINE")
    return (
        f"database vendor {connection.vendor!r} of alias {getattr(connection, 'alias', None)!r}"
        f"{f' (ENGINE {engine!r})' if engine else ''} is not supported by nose-speedup "
        f"(supported: {', '.join(sorted(_VENDORS))})"
    )


def register(vendor_class):
    """Serve connections whose ``vendor`` is ``vendor_class.name`` with it."""
    _VENDORS[vendor_class.name] = vendor_class
    return vendor_class


def supported(connection):
    return connection.vendor in _VENDORS


def for_connection(connection):
    """The vendor of ``connection``, bound to it; ``UnsupportedVendor`` if none."""
    vendor_class = _VENDORS.get(connection.vendor)
    if vendor_class is None:
        raise UnsupportedVendor(connection)
    return vendor_class(connection)
