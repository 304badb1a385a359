"""The portable fingerprint of the current settings' test databases: the
cache key of an artifact.

``reuse.fingerprint.manifest`` already names everything a test database is
built from by content hashes under relative names (``migration
shop/0001_initial.py``, ``setting INSTALLED_APPS``, ``source shop.seeding``),
never by time. Its one machine-specific part is the name of a model file
that lives outside its app's directory, which it keeps as an absolute path:
``portable`` cuts that to the file's name. ``key()`` hashes, per kept alias,
the vendor and the portable manifest, with the project (the settings module)
and the artifact format, so that two checkouts of the same code on two
machines get the same key and any change to what the databases are built
from gives another.
"""

import hashlib
import json
import posixpath

FORMAT = "nose-speedup-artifact/1"


def portable(manifest):
    """``manifest`` with no absolute path in its keys."""
    found = {}
    for key, value in manifest.items():
        kind, _, name = key.partition(" ")
        if kind == "models" and "/" in name:
            label, _, path = name.partition("/")
            path = path.replace("\\", "/")
            if posixpath.isabs(path) or ":" in path:  # outside the app: C:/... or /...
                key = f"{kind} {label}/{posixpath.basename(path)}"
        found[key] = value
    return found


def kept_aliases():
    """The aliases whose test databases REUSE_DB keeps: mirrors share their
    target's, and vendors it cannot keep are left out."""
    from django.db import connections

    from nose_speedup import vendors

    return [
        alias for alias in connections
        if not connections[alias].settings_dict.get("TEST", {}).get("MIRROR")
        and vendors.supported(connections[alias])
    ]


def alias_manifest(alias):
    """The portable manifest of ``alias``'s test database."""
    from django.db import connections

    from nose_speedup.reuse import fingerprint

    connection = connections[alias]
    return portable(fingerprint.manifest(alias, connection.settings_dict))


def project():
    from nose_speedup.reuse import ownership

    return ownership.owner()


def key(manifests=None):
    """The fingerprint key: ``manifests`` is ``{alias: (vendor, portable
    manifest)}``, the current settings' when not given."""
    from django.db import connections

    if manifests is None:
        manifests = {
            alias: (connections[alias].vendor, alias_manifest(alias)) for alias in kept_aliases()
        }
    text = json.dumps(
        [FORMAT, project(), sorted((alias, list(pair)) for alias, pair in manifests.items())],
        sort_keys=True,
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]
