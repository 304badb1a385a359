"""After a run that changed the kept database (a TransactionTestCase's flush,
another client), the next REUSE_DB=1 run puts back only the tables and
sequences that differ, exactly, and says so in its one start line; what it
cannot restore exactly that way (a changed structure, tampered pristine rows)
falls back to the whole pristine copy or a rebuild, saying why. Each test
runs nose2 in a subprocess against a copy of tests/scenarios/reuse_db/shop,
on the backend NOSE_SPEEDUP_TEST_DB selects."""

import re

import pytest

from tests.functional.reuse.test_reuse_db import (  # noqa: F401 (project is a fixture)
    BACKEND,
    PRISTINE_ITEMS,
    PROBE,
    TRANSACTIONAL,
    project,
    succeeded,
)

BUILT = r"built \d{4}-\d\d-\d\d \d\d:\d\d UTC from \d+ migrations; REUSE_DB=reset to rebuild"
# What a fresh build holds, whichever build it is (ids, names, contents).
SAME_AS_FRESH = ("items", "content_type_rows", "permission_rows", "first_pk")


def _start_line(project, result):
    quoted = re.escape(repr(project.test_database()))
    found = re.search(rf"^Reusing test database {quoted} \((.*)\)$", result.output, re.M)
    assert found, result.describe()
    return found.group(1)


def _migration_names(report):
    return [row[1:3] for row in report["applied_migrations"]]


def test_after_a_transaction_test_case_only_the_tables_it_changed_are_restored(project):
    fresh, fresh_report = project.run(reuse="0")  # Django's create and destroy
    succeeded(fresh)
    _, cold = project.run()
    succeeded(project.run(PROBE, TRANSACTIONAL)[0])
    result, report = project.run()
    line = _start_line(project, succeeded(result))
    assert re.fullmatch(
        rf"restored 3 tables a TransactionTestCase changed and reset 3 sequences; {BUILT}", line
    ), result.describe()
    # Django's flush emptied every table and ran post_migrate again (new ids);
    # only the tables the build filled are touched (django_migrations is not
    # a model's table: never flushed).
    assert "\n  restored tables: auth_permission, django_content_type, shop_item\n" in (
        result.output
    ), result.describe()
    for key in SAME_AS_FRESH:
        assert report[key] == cold[key] == fresh_report[key], key
    assert report["items"] == PRISTINE_ITEMS  # a migration's row and post_migrate's
    assert report["applied_migrations"] == cold["applied_migrations"]
    assert _migration_names(report) == _migration_names(fresh_report)
    result, _ = project.run()
    assert re.fullmatch(BUILT, _start_line(project, succeeded(result))), "restored once"


@pytest.mark.kept_build
def test_rows_another_client_changed_in_several_tables_are_restored_exactly(project):
    cold = project.cold_report
    project.execute("DELETE FROM auth_permission WHERE codename = 'view_item'")
    project.execute("UPDATE django_content_type SET model = 'renamed' WHERE model = 'item'")
    project.execute("INSERT INTO auth_group (name) VALUES ('written by another client')")
    result, report = project.run()
    assert re.fullmatch(
        rf"restored 3 tables another client changed and reset 1 sequence; {BUILT}",
        _start_line(project, succeeded(result)),
    ), result.describe()
    assert "\n  restored tables: auth_group, auth_permission, django_content_type\n" in (
        result.output
    )
    for key in SAME_AS_FRESH:
        assert report[key] == cold[key], key
    assert project.execute("SELECT count(*) FROM auth_group") == [(0,)]
    # The sequence of auth_group is where a fresh build has it.
    project.execute("INSERT INTO auth_group (name) VALUES ('first')")
    assert project.execute("SELECT id FROM auth_group") == [(1,)]


@pytest.mark.kept_build
def test_a_structure_a_test_changed_falls_back_to_the_whole_copy_saying_why(project):
    cold = project.cold_report
    succeeded(project.run(PROBE, "shop.tests.test_ddl")[0])
    result, report = project.run()
    reason = "the previous run left changes behind (the structure of its tables changed)"
    name = project.test_database()
    if BACKEND == "mariadb":
        expected = (
            f"Rebuilding test database {name!r}: {reason}, and a changed structure cannot be "
            "copied back exactly on MySQL/MariaDB"
        )
    else:
        expected = (
            f"Restoring test database {name!r} from its pristine copy: {reason}; only a full "
            "copy is exact"
        )
    assert expected in succeeded(result).output, result.describe()
    assert "extra" not in report["group_columns"]
    for key in SAME_AS_FRESH:
        assert report[key] == cold[key], key


def _tamper_pristine_rows(project):
    """Change the pristine rows a restore of single tables copies from."""
    statement = "UPDATE {}shop_item SET name = 'tampered' WHERE name = 'Seeded by a migration'"
    if BACKEND == "postgresql":
        project.execute(statement.format("nose_speedup_pristine."))
    else:
        project.execute(statement.format(""), name=project.pristine_database())


@pytest.mark.kept_build
def test_pristine_rows_changed_by_hand_are_not_trusted(project):
    succeeded(project.run(PROBE, TRANSACTIONAL)[0])
    _tamper_pristine_rows(project)
    result, report = project.run()
    output = succeeded(result).output
    if BACKEND == "postgresql":  # the template database is still whole
        assert (
            "restoring the changed tables left a difference (changed tables: shop_item); only "
            "a full copy is exact"
        ) in output, result.describe()
    else:  # the rows kept are in the pristine copy itself: rebuilt
        assert (
            f"Rebuilding test database {project.test_database()!r}: the previous run left "
            "changes behind"
        ) in output, result.describe()
        assert "is not what was built (changed tables: shop_item)" in output, result.describe()
    assert report["items"] == PRISTINE_ITEMS


@pytest.mark.kept_build
def test_a_rebuild_at_verbosity_3_does_not_say_it_uses_an_existing_database(project):
    result, _ = project.run(reuse="reset", args=["-v", "-v"])
    assert "Rebuilding test database" in succeeded(result).output, result.describe()
    assert "Using existing test database" not in result.output, result.describe()


@pytest.mark.kept_build
def test_a_table_a_transaction_test_case_left_empty_is_said_to_be_emptied(project):
    cold = project.cold_report
    succeeded(project.run(PROBE, "shop.tests.test_available_apps")[0])
    result, report = project.run()
    assert re.fullmatch(
        rf"restored 1 table a TransactionTestCase emptied and reset 1 sequence; {BUILT}",
        _start_line(project, succeeded(result)),
    ), result.describe()
    assert "\n  restored tables: shop_item\n" in result.output
    for key in SAME_AS_FRESH:
        assert report[key] == cold[key], key
