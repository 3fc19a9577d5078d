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


if __name__ == "__main__":
    main()
