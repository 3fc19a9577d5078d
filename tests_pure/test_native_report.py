"""Plain-pytest tests of scripts/native_report.py, which decides whether Odoo's own suites fail
because of the add-ons (no Odoo needed)."""

import importlib.util
import sys
from pathlib import Path

_PATH = Path(__file__).resolve().parents[1] / "scripts" / "native_report.py"
_SPEC = importlib.util.spec_from_file_location("serial_tracking_native_report", _PATH)
report = importlib.util.module_from_spec(_SPEC)
sys.modules[_SPEC.name] = report
_SPEC.loader.exec_module(report)

SRC = "../../root/.cache/odoo-18.0/addons"


def junit(tmp_path, name, outcomes):
    """A pytest JUnit file (xunit1) with one test case per (suite, test, outcome)."""
    cases = []
    for suite, test, outcome in outcomes:
        body = {
            "passed": "",
            "failed": '<failure message="boom">trace</failure>',
            "error": '<error message="setup">trace</error>',
            "skipped": '<skipped message="no"/>',
        }[outcome]
        cases.append(
            f'<testcase file="{SRC}/{suite}/tests/test_x.py" '
            f'classname="addons.{suite}.tests.test_x.TestX" name="{test}">{body}</testcase>'
        )
    path = tmp_path / name
    path.write_text(
        '<?xml version="1.0"?><testsuites><testsuite name="pytest">'
        + "".join(cases)
        + "</testsuite></testsuites>",
        encoding="utf-8",
    )
    return str(path)


def node(suite, test):
    return f"addons/{suite}/tests/test_x.py::TestX::{test}"


def test_results_are_keyed_by_node_ids_independent_of_the_source_tree(tmp_path):
    path = junit(tmp_path, "r.xml", [("mrp", "test_a", "failed"), ("stock", "test_b", "passed")])
    assert report.read_results(path) == {
        node("mrp", "test_a"): "failed",
        node("stock", "test_b"): "passed",
    }


def test_summary_counts_each_suite(tmp_path):
    path = junit(
        tmp_path,
        "r.xml",
        [
            ("mrp", "test_a", "failed"),
            ("mrp", "test_b", "passed"),
            ("stock", "test_c", "error"),
            ("stock", "test_d", "skipped"),
        ],
    )
    lines = report.summary(report.read_results(path)).splitlines()
    assert lines[1].split() == ["mrp", "1", "1", "0", "0"]
    assert lines[2].split() == ["stock", "0", "0", "1", "1"]
    assert lines[3].split() == ["all", "1", "1", "1", "1"]


def test_a_failure_outside_the_baseline_fails_the_comparison(tmp_path, capsys):
    baseline = tmp_path / "baseline.txt"
    baseline.write_text("# header\n" + node("mrp", "test_known") + "\n", encoding="utf-8")
    known_only = junit(tmp_path, "a.xml", [("mrp", "test_known", "failed")])
    assert report.main(["compare", "--baseline", str(baseline), known_only]) == 0
    new = junit(tmp_path, "b.xml", [("mrp", "test_known", "failed"), ("mrp", "test_new", "error")])
    assert report.main(["compare", "--baseline", str(baseline), new]) == 1
    assert node("mrp", "test_new") in capsys.readouterr().out


def test_side_by_side_the_run_without_is_the_reference(tmp_path):
    """With --without, a baseline entry that passed without the add-ons does not excuse a
    failure with them; a flaky mark does."""
    baseline = tmp_path / "baseline.txt"
    baseline.write_text(
        node("mrp", "test_old") + "\n" + node("mrp", "test_flaky") + "  # flaky: run 1 passed\n",
        encoding="utf-8",
    )
    without = junit(
        tmp_path, "without.xml", [("mrp", "test_old", "passed"), ("mrp", "test_flaky", "passed")]
    )
    flaky_only = junit(tmp_path, "w1.xml", [("mrp", "test_flaky", "failed")])
    args = ["compare", "--baseline", str(baseline), "--without", without]
    assert report.main([*args, flaky_only]) == 0
    old = junit(tmp_path, "w2.xml", [("mrp", "test_old", "failed")])
    assert report.main([*args, old]) == 1


def test_regenerating_the_baseline_keeps_flaky_marks(tmp_path):
    baseline = tmp_path / "baseline.txt"
    baseline.write_text(
        "# old header\n" + node("pos", "test_tour") + "  # flaky: failed in run 2 of 3\n",
        encoding="utf-8",
    )
    result = junit(tmp_path, "r.xml", [("mrp", "test_a", "failed"), ("pos", "test_tour", "passed")])
    assert report.main(["baseline", "--out", str(baseline), "--header", "new\nheader", result]) == 0
    assert baseline.read_text(encoding="utf-8").splitlines() == [
        "# new",
        "# header",
        node("mrp", "test_a"),
        node("pos", "test_tour") + "  # flaky: failed in run 2 of 3",
    ]


def test_a_new_failure_that_passes_alone_is_flaky_one_that_fails_again_counts(tmp_path, capsys):
    baseline = tmp_path / "baseline.txt"
    baseline.write_text("# header\n", encoding="utf-8")
    result = junit(
        tmp_path,
        "with.xml",
        [("stock", "test_a", "failed"), ("mrp", "test_b", "failed"), ("mrp", "test_c", "passed")],
    )
    new_out = tmp_path / "with.new"
    assert (
        report.main(["compare", "--baseline", str(baseline), "--new-out", str(new_out), result])
        == 1
    )
    assert new_out.read_text(encoding="utf-8").split() == [
        node("mrp", "test_b"),
        node("stock", "test_a"),
    ]
    again = junit(
        tmp_path, "again.xml", [("stock", "test_a", "passed"), ("mrp", "test_b", "failed")]
    )
    capsys.readouterr()
    assert report.main(["compare", "--baseline", str(baseline), "--rerun", again, result]) == 1
    out = capsys.readouterr().out
    assert "passed when run again alone (flaky):\n  " + node("stock", "test_a") in out
    assert "Failing only with the add-ons:\n  " + node("mrp", "test_b") in out
    again = junit(
        tmp_path, "again2.xml", [("stock", "test_a", "passed"), ("mrp", "test_b", "passed")]
    )
    assert report.main(["compare", "--baseline", str(baseline), "--rerun", again, result]) == 0
