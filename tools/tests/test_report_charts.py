"""Tests of tools/report_charts.py: python3 -m unittest discover -s tools/tests"""

import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import report_charts  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"


def op(name, ratio, low=None, high=None, meets=None):
    return {
        "name": name,
        "ratio": ratio,
        "ratio_spread": [low if low is not None else ratio, high if high is not None else ratio],
        "cc_ns": 10.0,
        "rust_ns": 10.0 * ratio,
        "meets_target": ratio <= 1.10 if meets is None else meets,
    }


class RatioChartTest(unittest.TestCase):
    def test_one_point_per_operation_misses_in_red_sorted(self):
        ops = [op("A/x", 1.5), op("A/y", 0.5, 0.4, 0.7), op("A/<z&>", 1.0)]
        svg = ET.fromstring(report_charts.ratio_chart(ops, "A"))
        circles = svg.findall(f".//{SVG}circle")
        self.assertEqual(len(circles), 3)
        self.assertEqual([c.get("fill") for c in circles],
                         [report_charts.MEETS, report_charts.MEETS, report_charts.MISSES])
        xs = [float(c.get("cx")) for c in circles]
        self.assertEqual(xs, sorted(xs))
        # Higher ratios sit higher (smaller y) on the log axis.
        ys = [float(c.get("cy")) for c in circles]
        self.assertGreater(ys[0], ys[1])
        self.assertGreater(ys[1], ys[2])
        titles = [t.text for t in svg.iter(f"{SVG}title")]
        self.assertTrue(any(t.startswith("A/<z&>: 1.00x") for t in titles))
        self.assertIn("1 above 1.10x", "".join(svg.itertext()))

    def test_target_and_parity_lines_and_a_whisker_for_spread(self):
        svg = ET.fromstring(report_charts.ratio_chart([op("A/y", 0.5, 0.4, 0.7)], "A"))
        text = "".join(svg.itertext())
        self.assertIn("1.10x target", text)
        self.assertIn("1.00x", text)
        whiskers = [line for line in svg.iter(f"{SVG}line") if line.get("stroke-opacity")]
        self.assertEqual(len(whiskers), 1)

    def test_extreme_ratios_widen_the_axis(self):
        svg = ET.fromstring(report_charts.ratio_chart([op("A/x", 7.8), op("A/y", 0.05)], "A"))
        labels = [t.text for t in svg.iter(f"{SVG}text")]
        self.assertIn("8x", labels)
        self.assertIn("0.0312x", labels)


class TrendTest(unittest.TestCase):
    def test_history_round_trip_and_trend_points(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "h.json"
            self.assertEqual(report_charts.read_history(path), [])
            report_charts.append_history(path, {"commit": "a", "geomean": 0.9, "misses": 40})
            with open(path, "a") as out:
                out.write("not json\n\n")
            report_charts.append_history(path, {"commit": "b", "geomean": 0.8, "misses": 3})
            history = report_charts.read_history(path)
        self.assertEqual([h["commit"] for h in history], ["a", "b"])
        svg = ET.fromstring(report_charts.trend_chart(history))
        self.assertEqual(len(svg.findall(f".//{SVG}polyline")), 2)
        self.assertEqual(len(svg.findall(f".//{SVG}circle")), 4)

    def test_empty_history_says_so(self):
        svg = ET.fromstring(report_charts.trend_chart([]))
        self.assertIn("no runs recorded yet", "".join(svg.itertext()))


if __name__ == "__main__":
    unittest.main()
