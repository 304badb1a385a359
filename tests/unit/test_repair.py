"""What the start line says a restore of single tables did, and who it
blames (nose_speedup.reuse.repair), from a backend's Comparison."""

from nose_speedup.reuse import repair
from nose_speedup.vendors import marker
from nose_speedup.vendors.reuse_base import Comparison


def _saved(**entries):
    return marker.Marker({getattr(marker, key): value for key, value in entries.items()})


def test_tables_a_flush_left_empty_are_said_to_be_emptied():
    comparison = Comparison(tables=["a", "b", "c"], empty=["a", "b", "c"])
    assert repair.summary(comparison, repair.TRANSACTION_TEST_CASE) == (
        "restored 3 tables a TransactionTestCase emptied"
    )


def test_tables_with_rows_left_are_said_to_be_changed_with_their_sequences():
    comparison = Comparison(tables=["a", "b"], empty=["a"], counters=["a_id_seq"])
    assert repair.summary(comparison, repair.ANOTHER_CLIENT) == (
        "restored 2 tables another client changed and reset 1 sequence"
    )
    assert repair.detail(comparison) == (
        "  restored tables: a, b\n  reset sequences: a_id_seq"
    )


def test_only_sequences_are_said_to_be_advanced():
    comparison = Comparison(counters=["a", "b"])
    assert repair.summary(comparison, repair.KILLED_RUN) == (
        "reset 2 sequences a killed run advanced"
    )


def test_a_changed_structure_cannot_be_restored_table_by_table():
    comparison = Comparison(structure_changed=True)
    assert not comparison.same and not comparison.exact_by_tables
    assert comparison.words() == "the structure of its tables changed"


def test_the_marker_state_names_who_left_the_differences():
    changed = Comparison(tables=["a"])
    clean = _saved(STATE=marker.CLEAN)
    assert repair.cause(clean, changed) == (
        repair.ANOTHER_CLIENT, "it changed since the last run (changed tables: a)"
    )
    flushed = _saved(STATE=marker.DIRTY, REASON="a TransactionTestCase ran: shop.tests.T")
    assert repair.cause(flushed, changed)[0] == repair.TRANSACTION_TEST_CASE
    escaped = _saved(STATE=marker.DIRTY, REASON="changed tables: a")
    assert repair.cause(escaped, changed) == (
        repair.PREVIOUS_RUN, "the previous run left changes behind (changed tables: a)"
    )
    assert repair.cause(_saved(STATE=marker.IN_USE), changed)[0] == repair.KILLED_RUN
