"""The timeline's class spans and the HTML report's page, in this process
(no Django, no database): what ``ClassSpans`` makes of test events, how
spans become the page's JSON, and that no label can break out of it."""

import json
import re
import unittest

import pytest

from nose_speedup import timeline
from nose_speedup.timing import html_report
from nose_speedup.timing import clock

pytestmark = pytest.mark.backend_independent


class First(unittest.TestCase):
    def test_a(self):
        pass

    def test_b(self):
        pass


class Second(unittest.TestCase):
    def test_c(self):
        pass


@pytest.fixture(autouse=True)
def fresh_timeline():
    timeline.start()
    yield
    timeline.start()


def run_events(class_spans, tests):
    class_spans.start_run()
    for test in tests:
        class_spans.start_test(test)
        class_spans.stop_test(test)
    class_spans.stop_run()


def test_class_spans_are_one_per_class_in_order_and_contiguous():
    run_events(timeline.ClassSpans(lambda cls: cls.__name__),
               [First("test_a"), First("test_b"), Second("test_c")])
    spans = timeline.take()
    assert [(span["kind"], span["label"]) for span in spans] == [
        (timeline.CLASS, "First"), (timeline.CLASS, "Second")
    ]
    assert spans[0]["end"] <= spans[1]["start"]
    assert timeline.spans == []  # taken


def test_replayed_tests_open_no_class_span():
    replayed = First("test_a")
    run_events(timeline.ClassSpans(lambda cls: cls.__name__, skip=lambda t: t is replayed),
               [replayed, Second("test_c")])
    assert [span["label"] for span in timeline.take()] == ["Second"]


def test_a_measured_span_keeps_its_order_on_the_wall_clock():
    started = timeline.time.perf_counter()
    middle = timeline.wall()
    timeline.add_measured(timeline.DATABASE, "migrate (default)", started)
    span = timeline.spans[0]
    assert span["start"] <= middle <= span["end"]


def test_spans_measured_from_one_reading_nest_exactly():
    # A build and its first step start at one perf_counter() reading, and its
    # last step ends just before it: on the wall clock they must nest exactly
    # however the wall and perf clocks read at each call (a build's step once
    # started a microsecond before the build, on a loaded CI lane).
    for _ in range(200):
        timeline.spans.clear()
        started = timeline.time.perf_counter()
        last_step_ended = timeline.time.perf_counter()
        timeline.add_measured(timeline.DATABASE, "create (default)", started)
        timeline.add_measured(timeline.DATABASE, "snapshot (default)", started, last_step_ended)
        timeline.add_measured(timeline.DATABASE, "build (default)", started)
        create, snapshot, build = timeline.take()
        assert create["start"] == snapshot["start"] == build["start"]
        assert snapshot["end"] <= create["end"] <= build["end"]


def test_the_page_holds_the_lanes_in_order_and_times_from_the_first_span():
    spans = [
        timeline.add(timeline.UNIT, "u2", 105.0, 106.0, lane="worker 10"),
        timeline.add(timeline.UNIT, "u1", 103.0, 104.0, lane="worker 2"),
        timeline.add(timeline.CHECKS, "system checks", 101.0, 102.0),
    ]
    test_clock = clock.TestClock()
    test_clock.classes = {"a.B": 1.0, "a.C": 3.0, "a.D": 2.0}
    data = html_report.run_data(spans, test_clock, 2)
    assert data["lanes"] == [timeline.MAIN_LANE, "worker 2", "worker 10"]
    assert [(span["label"], span["start"]) for span in data["spans"]] == [
        ("system checks", 0.0), ("u1", 2.0), ("u2", 4.0)
    ]
    assert data["slowest"] == [["a.C", 3.0], ["a.D", 2.0]]


def test_a_label_cannot_end_the_pages_script_element():
    hostile = "x</script><script>document.title='owned'</script>"
    spans = [timeline.add(timeline.CLASS, hostile, 1.0, 2.0)]
    page = html_report.render(html_report.run_data(spans, clock.TestClock(), 10))
    block = re.search(r'id="run-data" type="application/json">(.*?)</script>', page, re.S)
    assert json.loads(block.group(1))["spans"][0]["label"] == hostile
    assert "__NOSE_SPEEDUP_RUN_DATA__" not in page
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page


def test_the_page_template_ships_in_the_package():
    import configparser
    from pathlib import Path

    setup = configparser.ConfigParser()
    setup.read(Path(__file__).resolve().parents[2] / "setup.cfg")
    shipped = setup["options.package_data"]["nose_speedup.timing"].split()
    assert html_report.TEMPLATE in shipped
