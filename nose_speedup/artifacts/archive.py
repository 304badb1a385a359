"""The artifact file: one gzip-compressed tar holding

``manifest.json``       what the artifact is (the keys below);
``manifest.sha256``     the SHA-256 of ``manifest.json``;
``databases/<alias>``   one dump per kept test database.

``manifest.json`` holds ``format``, the fingerprint ``key``, the ``project``
(the settings module it was built for), the ``django`` and ``nose_speedup``
versions, ``built`` (UTC) and ``databases``: per alias its ``vendor``, the
dump ``method``, ``member``, ``sha256`` and ``size`` of the dump, the
portable ``manifest`` it was built from and its ``migrations`` count.

``open_artifact`` checks every checksum before anything is loaded: a file
changed after it was written (a broken download, a cache mix-up, an edit) is
refused as a whole. The checksums catch accidents, not an attacker who
rewrites them: load artifacts from caches you control.
"""

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import weakref

from nose_speedup.artifacts.key import FORMAT

MANIFEST = "manifest.json"
MANIFEST_SUM = "manifest.sha256"
MEMBER_DIRECTORY = "databases"
# Manifest keys.
KEY, PROJECT, DJANGO, BUILT, DATABASES = "key", "project", "django", "built", "databases"
VENDOR, METHOD, MEMBER, SHA256, SIZE = "vendor", "method", "member", "sha256", "size"
SCHEMA, MIGRATIONS = "manifest", "migrations"


class Refused(Exception):
    """The artifact cannot be used; the message says why, in one line."""


def _sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write(path, manifest, dumps):
    """Write the artifact ``path`` (atomically) from ``manifest`` (without
    the per-dump checksums, which are added here) and ``dumps``, ``{alias:
    file path}``."""
    for entry in manifest[DATABASES]:
        dump = dumps[entry["alias"]]
        entry[MEMBER] = f"{MEMBER_DIRECTORY}/{entry['alias']}"
        entry[SHA256] = _sha256_file(dump)
        entry[SIZE] = os.path.getsize(dump)
    data = json.dumps(manifest, indent=1, sort_keys=True).encode()
    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".artifact-", suffix=".tmp")
    os.close(handle)
    try:
        with tarfile.open(temporary, "w:gz", compresslevel=6) as tar:
            _add_bytes(tar, MANIFEST, data)
            _add_bytes(tar, MANIFEST_SUM, hashlib.sha256(data).hexdigest().encode())
            for entry in manifest[DATABASES]:
                info = tar.gettarinfo(dumps[entry["alias"]], arcname=entry[MEMBER])
                info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
                with open(dumps[entry["alias"]], "rb") as dump:
                    tar.addfile(info, dump)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _add_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


class Artifact:
    """An opened, checked artifact: ``manifest`` and its dumps extracted into
    a temporary directory (``dump(alias)``); ``close()`` removes them."""

    def __init__(self, path):
        self.path = os.fspath(path)
        self.directory = tempfile.mkdtemp(prefix="nose-speedup-artifact-")
        # Removed when the artifact is closed, collected, or at exit.
        self._cleanup = weakref.finalize(self, shutil.rmtree, self.directory, True)
        try:
            self.manifest = self._extract()
        except BaseException:
            self.close()
            raise

    def _extract(self):
        where = f"artifact {self.path!r}"
        try:
            tar = tarfile.open(self.path, "r:gz")
        except FileNotFoundError:
            raise Refused(f"{where} does not exist") from None
        except (tarfile.TarError, OSError, EOFError) as error:
            raise Refused(f"{where} is not a nose-speedup artifact ({error})") from None
        try:
            with tar:
                names = tar.getnames()
                if MANIFEST not in names or MANIFEST_SUM not in names:
                    raise Refused(f"{where} is not a nose-speedup artifact (no {MANIFEST})")
                data = tar.extractfile(MANIFEST).read()
                expected = tar.extractfile(MANIFEST_SUM).read().decode().strip()
                if hashlib.sha256(data).hexdigest() != expected:
                    raise Refused(
                        f"{where} was changed after it was written (checksum of {MANIFEST})"
                    )
                manifest = json.loads(data)
                if manifest.get("format") != FORMAT:
                    raise Refused(
                        f"{where} has format {manifest.get('format')!r}, not {FORMAT!r}"
                    )
                for index, entry in enumerate(manifest[DATABASES]):
                    # Named by position: a name from the file could point anywhere.
                    target = os.path.join(self.directory, f"dump-{index}")
                    entry["file"] = target
                    member = tar.extractfile(entry[MEMBER]) if entry[MEMBER] in names else None
                    if member is None:
                        raise Refused(f"{where} lacks its dump {entry[MEMBER]!r}")
                    with member, open(target, "wb") as out:
                        shutil.copyfileobj(member, out, 1 << 20)
                    if _sha256_file(target) != entry[SHA256]:
                        raise Refused(
                            f"{where} was changed after it was written (checksum of "
                            f"{entry[MEMBER]})"
                        )
        except (tarfile.TarError, OSError, EOFError, ValueError, KeyError) as error:
            raise Refused(f"{where} is damaged ({type(error).__name__}: {error})") from None
        return manifest

    def entry(self, alias):
        for entry in self.manifest[DATABASES]:
            if entry["alias"] == alias:
                return entry
        return None

    def dump(self, alias):
        return self.entry(alias)["file"]

    def close(self):
        self._cleanup()
