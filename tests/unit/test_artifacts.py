"""Unit tests of the artifact key and of the nearest-ancestor rule."""

from nose_speedup.artifacts import key
from nose_speedup.artifacts.loading import new_migrations

BASE = {
    "django": "5.2.1",
    "setting INSTALLED_APPS": "aaaa",
    "app shop": "bbbb",
    "migration shop/0001_initial.py": "cccc",
    "migration shop/0002_seed.py": "dddd",
}


def test_portable_cuts_an_absolute_model_path_to_its_file_name():
    manifest = {
        "models blog//home/ci/checkout/blog/models.py": "1",
        "models blog/C:/work/blog/extra.py": "2",
        "models shop/models.py": "3",
        "migration shop/0001_initial.py": "4",
    }
    assert key.portable(manifest) == {
        "models blog/models.py": "1",
        "models blog/extra.py": "2",
        "models shop/models.py": "3",
        "migration shop/0001_initial.py": "4",
    }


def test_an_artifact_of_the_same_code_is_an_ancestor_with_nothing_to_apply():
    assert new_migrations(BASE, dict(BASE)) == ([], [])


def test_added_migrations_and_their_imported_modules_make_an_ancestor():
    new = {**BASE, "migration shop/0003_color.py": "eeee", "source shop.colors": "ffff"}
    assert new_migrations(BASE, new) == (["shop/0003_color.py"], [])


def test_edited_or_removed_migrations_and_changed_settings_are_no_ancestor():
    edited = {**BASE, "migration shop/0002_seed.py": "9999"}
    assert new_migrations(BASE, edited) == (None, ["migration shop/0002_seed.py changed"])
    removed = {k: v for k, v in BASE.items() if k != "migration shop/0002_seed.py"}
    assert new_migrations(BASE, removed) == (None, ["migration shop/0002_seed.py removed"])
    setting = {**BASE, "setting INSTALLED_APPS": "9999", "migration shop/0003_x.py": "e"}
    added, reasons = new_migrations(BASE, setting)
    assert added is None and reasons[0] == "setting INSTALLED_APPS changed"


def test_an_added_app_is_no_ancestor():
    new = {**BASE, "app blog": "1111", "migration blog/0001_initial.py": "2222"}
    assert new_migrations(BASE, new) == (None, ["app 'blog' added"])
