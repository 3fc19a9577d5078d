"""Reads the JSON lines of bench_flows.py and prints the comparison tables (Markdown)."""

import json
import sys
from collections import defaultdict


def main():
    rows = [json.loads(line) for line in sys.stdin if line.startswith("{")]
    print("| flow | N | step | add-on / native | seconds | queries | peak MB |")
    print("|---|---|---|---|---|---|---|")
    totals = defaultdict(lambda: {"seconds": 0.0, "queries": 0, "peak_mb": 0.0})
    for row in rows:
        print(
            f"| {row['flow']} | {row['n']:,} | {row['step']} | {row['mode']} "
            f"| {row['seconds']:.2f} | {row['queries']:,} | {row['peak_mb']:.0f} |"
        )
        total = totals[row["flow"], row["n"], row["mode"]]
        total["seconds"] += row["seconds"]
        total["queries"] += row["queries"]
        total["peak_mb"] = max(total["peak_mb"], row["peak_mb"])
    print()
    print(
        "| flow | N | add-on s | native s | ratio | add-on queries | native queries "
        "| add-on peak MB | native peak MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for flow, count in sorted({(flow, n) for flow, n, _mode in totals}):
        addon = totals.get((flow, count, "add-on"))
        native = totals.get((flow, count, "native"))
        if not (addon and native):
            continue
        ratio = addon["seconds"] / native["seconds"] if native["seconds"] else float("nan")
        print(
            f"| {flow} | {count:,} | {addon['seconds']:.1f} | {native['seconds']:.1f} "
            f"| {ratio:.2f} | {addon['queries']:,} | {native['queries']:,} "
            f"| {addon['peak_mb']:.0f} | {native['peak_mb']:.0f} |"
        )
    growth(rows)


def growth(rows):
    """The add-on's cost of each flow by size, against its cost at 5,000 serials."""
    totals = defaultdict(lambda: {"seconds": 0.0, "process_mb": 0.0})
    for row in rows:
        if row["mode"] != "add-on":
            continue
        total = totals[row["flow"], row["n"]]
        total["seconds"] += row["seconds"]
        total["process_mb"] = max(total["process_mb"], row.get("process_mb", 0.0))
    if not any(n != 5000 for _flow, n in totals):
        return
    print()
    print("| flow | N | add-on s | × the 5,000 figure | process peak MB |")
    print("|---|---|---|---|---|")
    for flow, count in sorted(totals):
        total = totals[flow, count]
        base = totals.get((flow, 5000))
        times = f"{total['seconds'] / base['seconds']:.2f}" if base and base["seconds"] else "–"
        print(
            f"| {flow} | {count:,} | {total['seconds']:.1f} | {times} | {total['process_mb']:.0f} |"
        )


if __name__ == "__main__":
    main()
