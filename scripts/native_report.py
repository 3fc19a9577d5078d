"""Reads the JUnit files of Odoo's own test suites run by scripts/native_tests.sh.

    native_report.py summary RESULT.xml
        one line per suite (passed, failed, errors, skipped) and the total
    native_report.py failures RESULT.xml
        the tests that failed or errored, one pytest node id a line
    native_report.py compare --baseline FILE [--without RESULT.xml] [--rerun RERUN.xml]
                             [--new-out FILE] RESULT.xml
        the tests failing in RESULT.xml (the run with the add-ons) that are not known to fail:
        in the baseline, or (with --without) failing in the run without them or marked flaky
        in the baseline; exit 1 when there is one. --new-out writes them, one node id a line;
        --rerun reads the run of those tests again, alone: one that passed there is reported as
        flaky (failed among the others, passed alone) and not counted
    native_report.py baseline --out FILE --header TEXT RESULT.xml
        writes the baseline: RESULT.xml's failures, keeping the flaky marks of the old FILE

A baseline line is a node id, optionally followed by "  # flaky: <the runs that show it>": a
flaky test is accepted whether it passes or fails. Lines starting with "#" are comments.
"""

import argparse
import sys
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from pathlib import Path

OUTCOMES = ("passed", "failed", "error", "skipped")


def read_results(path):
    """{node id: outcome} of a pytest JUnit file (xunit1: test cases carry their file)."""
    results = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        file = case.get("file") or case.get("classname", "").replace(".", "/") + ".py"
        # Node ids are relative to where pytest ran: kept from Odoo's "addons/" on, so that
        # they do not depend on where the source tree is.
        if "/addons/" in file:
            file = file[file.rindex("/addons/") + 1 :]
        klass = case.get("classname", "").rsplit(".", 1)[-1]
        node = f"{file}::{klass}::{case.get('name')}" if klass else f"{file}::{case.get('name')}"
        outcome = "passed"
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                outcome = {"failure": "failed"}.get(child.tag, child.tag)
                if outcome != "skipped":
                    break
        # A test that passed but whose teardown failed is reported twice: the worst counts.
        if results.get(node) in ("failed", "error"):
            continue
        results[node] = outcome
    return results


def suite_of(node):
    parts = node.split("/")
    return parts[parts.index("addons") + 1] if "addons" in parts else parts[0]


def summary(results):
    by_suite = defaultdict(Counter)
    for node, outcome in results.items():
        by_suite[suite_of(node)][outcome] += 1
    total = Counter()
    lines = [f"{'suite':<22}" + "".join(f"{name:>9}" for name in OUTCOMES)]
    for suite in sorted(by_suite):
        total.update(by_suite[suite])
        lines.append(f"{suite:<22}" + "".join(f"{by_suite[suite][o]:>9}" for o in OUTCOMES))
    lines.append(f"{'all':<22}" + "".join(f"{total[o]:>9}" for o in OUTCOMES))
    return "\n".join(lines)


def failures(results):
    return sorted(node for node, outcome in results.items() if outcome in ("failed", "error"))


def read_baseline(path):
    """({node id: note}, header lines) of a baseline file."""
    entries, header = {}, []
    if not Path(path).exists():
        return entries, header
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            header.append(line)
            continue
        node, _, note = line.partition("#")
        entries[node.strip()] = note.strip()
    return entries, header


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("summary", "failures"):
        sub.add_parser(name).add_argument("result")
    compare = sub.add_parser("compare")
    compare.add_argument("--baseline", required=True)
    compare.add_argument("--without")
    compare.add_argument("--rerun")
    compare.add_argument("--new-out")
    compare.add_argument("result")
    baseline = sub.add_parser("baseline")
    baseline.add_argument("--out", required=True)
    baseline.add_argument("--header", required=True)
    baseline.add_argument("result")
    args = parser.parse_args(argv)

    results = read_results(args.result)
    if args.command == "summary":
        print(summary(results))
    elif args.command == "failures":
        print("\n".join(failures(results)))
    elif args.command == "compare":
        known, _header = read_baseline(args.baseline)
        if args.without:
            # Side by side, the run without the add-ons is the reference; the baseline only
            # adds the tests known to be flaky.
            known = {node: note for node, note in known.items() if note.startswith("flaky")}
            known.update(dict.fromkeys(failures(read_results(args.without)), ""))
        failed = failures(results)
        new = [node for node in failed if node not in known]
        if args.rerun and new:
            again = read_results(args.rerun)
            passed_alone = [node for node in new if again.get(node) == "passed"]
            if passed_alone:
                print("Failed among the others, passed when run again alone (flaky):")
                print("\n".join("  " + node for node in passed_alone))
            new = [node for node in new if node not in passed_alone]
        if args.new_out:
            Path(args.new_out).write_text("".join(node + "\n" for node in new), encoding="utf-8")
        fixed = sorted(
            node
            for node, note in known.items()
            if not note.startswith("flaky") and results.get(node) == "passed"
        )
        if fixed:
            print("In the baseline but passing now (regenerate it if that holds):")
            print("\n".join("  " + node for node in fixed))
        if new:
            print("Failing only with the add-ons:")
            print("\n".join("  " + node for node in new))
            return 1
        print(f"No test fails only with the add-ons ({len(failed)} failures, all known).")
    else:
        old, _header = read_baseline(args.out)
        flaky = {node: note for node, note in old.items() if note.startswith("flaky")}
        nodes = sorted(set(failures(results)) | set(flaky))
        lines = ["# " + line if line else "#" for line in args.header.splitlines()]
        lines += [f"{node}  # {flaky[node]}" if node in flaky else node for node in nodes]
        Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{args.out}: {len(nodes)} tests ({len(flaky)} marked flaky)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
