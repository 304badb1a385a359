"""The frozen shard cut (``nose_speedup.timing.frozen_cut``): one cut per
round of N parts, kept beside the durations file."""

import json

import pytest

from nose_speedup.timing import frozen_cut

# No database: a JSON file beside the durations file.
pytestmark = pytest.mark.backend_independent

IDS = ["a.T.test_1", "a.T.test_2", "b.U.test_1"]


class Cuts:
    """``compute`` for ``cut_for``, counting its calls; each new cut gives
    other parts, as a durations file that changed would."""

    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        shift = self.calls % 2
        return [IDS[shift:shift + 2], [IDS[(shift + 2) % 3]]], f"cut {self.calls}"


def test_the_parts_of_a_round_share_the_first_parts_cut(tmp_path):
    durations = str(tmp_path / "durations.json")
    compute = Cuts()
    first = frozen_cut.cut_for(durations, IDS, 1, 2, compute)
    retried = frozen_cut.cut_for(durations, reversed(IDS), 1, 2, compute)
    second = frozen_cut.cut_for(durations, IDS, 2, 2, compute)
    assert compute.calls == 1
    assert first.new and not retried.new and not second.new
    assert first.selected() == retried.selected()
    assert first.selected() | second.selected() == set(IDS)
    assert not first.selected() & second.selected()
    assert second.weighed_by == "cut 1" and second.ran_before == [1]
    assert (tmp_path / "durations.shards-2.json").exists()


def test_a_new_round_starts_after_every_part_ran(tmp_path):
    durations = str(tmp_path / "durations.json")
    compute = Cuts()
    frozen_cut.cut_for(durations, IDS, 2, 2, compute)
    frozen_cut.cut_for(durations, IDS, 1, 2, compute)
    again = frozen_cut.cut_for(durations, IDS, 1, 2, compute)
    assert again.new and compute.calls == 2 and again.weighed_by == "cut 2"


def test_another_set_of_tests_or_another_count_starts_a_new_cut(tmp_path):
    durations = str(tmp_path / "durations.json")
    compute = Cuts()
    frozen_cut.cut_for(durations, IDS, 1, 2, compute)
    assert frozen_cut.cut_for(durations, IDS[:2], 2, 2, compute).new
    assert frozen_cut.cut_for(durations, IDS, 1, 3, lambda: ([[], [], IDS], "three")).new
    assert compute.calls == 2


@pytest.mark.parametrize("text", ["{not json", "[]", '{"format": 1, "count": 2}'])
def test_a_damaged_frozen_cut_is_replaced_by_a_new_one(tmp_path, text):
    durations = str(tmp_path / "durations.json")
    (tmp_path / "durations.shards-2.json").write_text(text)
    cut = frozen_cut.cut_for(durations, IDS, 1, 2, Cuts())
    assert cut.new
    saved = json.loads((tmp_path / "durations.shards-2.json").read_text())
    assert saved["ran"] == [1] and saved["parts"] == [IDS[1:3], [IDS[0]]]


def test_a_frozen_cut_that_cannot_be_written_leaves_a_fresh_cut_and_says_so(tmp_path, capsys):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    cut = frozen_cut.cut_for(str(blocker / "durations.json"), IDS, 1, 2, Cuts())
    assert cut.selected() == set(IDS[1:3]) and cut.describe() == "cut not frozen"
    err = capsys.readouterr().err
    assert err.startswith("shards plugin: could not freeze the cut in ") and err.count("\n") == 1
