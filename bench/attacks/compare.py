#!/usr/bin/python3
"""Puts the Python and Java results of run.sh side by side: a table on stdout and a JSON summary.

Usage: compare.py --summary OUT.json --threads N RUN_ID PYTHON.json[,...] JAVA.json[,...] PYTHON_WALL JAVA_WALL ...
(one group of five per run; several comma-separated files per side are runs with different seeds, whose robust
accuracies and times are averaged; a missing JSON file, e.g. with run.sh --only python, shows as '-').
Targets (issue 3): |robust accuracy Java - Python| <= 0.5 points, time Java / Python <= 1.0.
"""
import argparse
import json
import os

DELTA_TARGET = 0.5   # points
RATIO_TARGET = 1.0


def read(paths):
    """One result, or the mean over several seeds' results (accuracies and seconds averaged; flags of the first)."""
    docs = []
    for path in paths.split(","):
        if not (path and os.path.isfile(path)):
            return None
        with open(path) as f:
            docs.append(json.load(f))
    if not docs:
        return None
    mean = lambda values: sum(values) / len(values)  # noqa: E731
    merged = dict(docs[0])
    merged["seeds"] = [d.get("configuration", {}).get("seed") for d in docs]
    merged["robust_accuracy_per_seed"] = [d["robust_accuracy"] for d in docs]
    merged["seconds_per_seed"] = [d["seconds"] for d in docs]
    for key in ("clean_accuracy", "robust_accuracy", "seconds"):
        merged[key] = mean([d[key] for d in docs])
    merged["per_attack"] = {k: mean([d["per_attack"][k] for d in docs]) for k in docs[0]["per_attack"]}
    if all("per_attack_seconds" in d for d in docs):
        merged["per_attack_seconds"] = {k: mean([d["per_attack_seconds"][k] for d in docs])
                                        for k in docs[0]["per_attack_seconds"]}
    merged["warnings"] = [w for d in docs for w in d.get("warnings", [])]
    return merged


def fmt(value, pattern):
    return "-" if value is None else format(value, pattern)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--summary", required=True)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("runs", nargs="+")
    args = parser.parse_args()
    if len(args.runs) % 5:
        parser.error("give RUN_ID PYTHON.json JAVA.json PYTHON_WALL JAVA_WALL per run")

    rows, runs = [], []
    for i in range(0, len(args.runs), 5):
        run_id, python_file, java_file, python_wall, java_wall = args.runs[i:i + 5]
        python, java = read(python_file), read(java_file)
        entry = {"run": run_id, "python_json": python_file, "java_json": java_file,
                 "python_wall_seconds": float(python_wall) if python_wall not in ("", "-") else None,
                 "java_wall_seconds": float(java_wall) if java_wall not in ("", "-") else None}
        for side, doc in (("python", python), ("java", java)):
            entry[side] = None if doc is None else {
                "examples": doc.get("examples"), "clean_accuracy": doc["clean_accuracy"],
                "robust_accuracy": doc["robust_accuracy"], "per_attack": doc["per_attack"],
                "seconds": doc["seconds"], "seeds": doc["seeds"],
                "robust_accuracy_per_seed": doc["robust_accuracy_per_seed"], "seconds_per_seed": doc["seconds_per_seed"],
                "warnings": doc.get("warnings", []), "skipped": doc.get("skipped", [])}
        if python and java:
            delta = 100 * (java["robust_accuracy"] - python["robust_accuracy"])
            ratio = java["seconds"] / python["seconds"] if python["seconds"] > 0 else None
            pf, jf = python["robust_flags"], java["robust_flags"]
            entry.update({
                "delta_points": delta, "time_ratio_java_over_python": ratio,
                "clean_flags_identical": python.get("clean_flags") == java.get("clean_flags"),
                "robust_flags_agreement_first_seed": sum(a == b for a, b in zip(pf, jf)) / max(len(pf), 1),
                "per_attack_delta_points": {k: 100 * (java["per_attack"].get(k, float("nan")) - v)
                                            for k, v in python["per_attack"].items()},
                "accuracy_target_met": abs(delta) <= DELTA_TARGET,
                "time_target_met": ratio is not None and ratio <= RATIO_TARGET})
        runs.append(entry)
        rows.append((run_id, python, java, entry))
        doc = python or java
        if doc and len(doc["per_attack"]) > 1:
            for attack_id in doc["per_attack"]:
                p = python["per_attack"].get(attack_id) if python else None
                j = java["per_attack"].get(attack_id) if java else None
                pt = python.get("per_attack_seconds", {}).get(attack_id) if python else None
                rows.append(("  after " + attack_id, {"robust_accuracy": p, "seconds": pt} if python else None,
                             {"robust_accuracy": j, "seconds": None} if java else None, None))

    header = ("attack", "robust Py %", "robust Java %", "Δ points", "time Py s", "time Java s", "Java/Py")
    widths = (22, 12, 14, 10, 11, 12, 9)
    print("".join(h.ljust(w) if k == 0 else h.rjust(w) for k, (h, w) in enumerate(zip(header, widths))))
    for run_id, python, java, entry in rows:
        p = python["robust_accuracy"] if python else None
        j = java["robust_accuracy"] if java else None
        delta = None if p is None or j is None else 100 * (j - p)
        pt = python.get("seconds") if python else None
        jt = java.get("seconds") if java else None
        ratio = jt / pt if pt and jt is not None else None
        cells = (run_id, fmt(None if p is None else 100 * p, ".2f"), fmt(None if j is None else 100 * j, ".2f"),
                 fmt(delta, "+.2f"), fmt(pt, ".1f"), fmt(jt, ".1f"), fmt(ratio, ".2f"))
        print("".join(c.ljust(w) if k == 0 else c.rjust(w) for k, (c, w) in enumerate(zip(cells, widths))))
    print()
    for entry in runs:
        if entry.get("delta_points") is not None:
            print(f"{entry['run']}: clean flags identical: {entry['clean_flags_identical']}, robust flags agree on "
                  f"{100 * entry['robust_flags_agreement_first_seed']:.1f}% of the examples (first seed); accuracy target (|Δ| <= "
                  f"{DELTA_TARGET}) {'met' if entry['accuracy_target_met'] else 'MISSED'}, time target (Java/Python "
                  f"<= {RATIO_TARGET}) {'met' if entry['time_target_met'] else 'MISSED'}")
        for side in ("python", "java"):
            for warning in (entry[side] or {}).get("warnings", []):
                print(f"{entry['run']} {side} warning: {warning}")
    summary = {"threads": args.threads, "targets": {"delta_points": DELTA_TARGET, "time_ratio": RATIO_TARGET},
               "runs": runs}
    os.makedirs(os.path.dirname(os.path.abspath(args.summary)), exist_ok=True)
    with open(args.summary, "w") as f:
        json.dump(summary, f, indent=2)
    print(f"\nsummary: {args.summary}")


if __name__ == "__main__":
    main()
