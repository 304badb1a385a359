"""The HTML report of a run (``--speedup-report-html PATH``): one page a user
opens to see where the time went and whether the workers were balanced.

The page is self-contained: the template (``report_template.html``, package
data next to this module) holds its CSS and the script that draws the
timeline as SVG, and this module puts the run's figures into it as one JSON
block (``<script id="run-data" type="application/json">``), so nothing is
fetched when it is viewed and a test (or a user's script) can read the
figures back from the file. The JSON holds:

* ``lanes``: the processes, the main process first, then ``worker 1``...;
* ``spans``: ``{"lane", "kind", "label", "start", "end"}`` in seconds from
  the first span (``nose_speedup.timeline`` records them; its
  ``KINDS`` are the colours of the legend);
* ``slowest``: ``[class, seconds]``, the slowest classes (set-up, tests and
  tear-down), as many as ``[timing] report-count`` (all when 0);
* ``tests``, ``classes``, ``generated``, ``command``: what the header says.

Once drawn, the page sets ``data-drawn`` (spans drawn) and ``data-lanes`` on
the timeline's element; an error in its script sets ``data-error`` on
``<body>``.
"""

import datetime
import json
import os
import sys
from importlib import resources

from nose_speedup import timeline

TEMPLATE = "report_template.html"
PLACEHOLDER = "__NOSE_SPEEDUP_RUN_DATA__"


def lane_order(lane):
    """The main process first, then the workers by number."""
    if lane == timeline.MAIN_LANE:
        return (0, 0, lane)
    number = lane.rsplit(" ", 1)[-1]
    return (1, int(number) if number.isdigit() else 0, lane)


def run_data(spans, clock, count):
    """The figures the page draws (the module docstring lists them)."""
    origin = min((span["start"] for span in spans), default=0.0)
    drawn = [
        {
            "lane": span.get("lane", timeline.MAIN_LANE),
            "kind": span["kind"],
            "label": span["label"],
            "start": round(span["start"] - origin, 4),
            "end": round(span["end"] - origin, 4),
        }
        for span in sorted(spans, key=lambda span: (span["start"], -span["end"]))
    ]
    lanes = sorted({span["lane"] for span in drawn} | {timeline.MAIN_LANE}, key=lane_order)
    slowest = sorted(clock.classes.items(), key=lambda item: (-item[1], item[0]))
    return {
        "lanes": lanes,
        "kinds": list(timeline.KINDS),
        "spans": drawn,
        "slowest": [[name, round(seconds, 4)] for name, seconds in slowest[:count or None]],
        "tests": len(clock.tests),
        "classes": len(clock.classes),
        "generated": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S %Z"),
        "command": " ".join([program()] + sys.argv[1:]),
    }


def program():
    """``python -m nose2`` rather than ``.../nose2/__main__.py``."""
    first = sys.argv[0] if sys.argv else ""
    if os.path.basename(first) == "__main__.py":
        return f"python -m {os.path.basename(os.path.dirname(first))}"
    return os.path.basename(first) or "python"


def render(data):
    template = resources.files("nose_speedup.timing").joinpath(TEMPLATE).read_text("utf-8")
    # "</" could end the script element early; "<\/" is the same JSON string.
    text = json.dumps(data, sort_keys=True).replace("</", "<\\/")
    return template.replace(PLACEHOLDER, text)


def write(path, spans, clock, count):
    """Write the page to ``path`` (its folder is made); return the absolute path."""
    path = os.path.abspath(path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as stream:
        stream.write(render(run_data(spans, clock, count)))
    return path
