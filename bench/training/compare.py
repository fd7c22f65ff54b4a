#!/usr/bin/python3
"""The training benchmark's table: each side's epoch time, train loss and accuracy, and the time ratio
Java/Python against the target of issue 4 (<= 1.1). Writes the summary as JSON."""
import argparse
import json
import os

TARGET = 1.1


def read(path):
    if not os.path.isfile(path):
        return None
    with open(path) as f:
        return json.load(f)


def java_figures(document):
    """Java's JSON (robustlab train --json): the single epoch's time, loss and accuracy."""
    if document is None:
        return None
    epoch = document["epochs"][0]
    return {"seconds": epoch["seconds"], "train_loss": epoch["train_loss"],
            "train_accuracy": epoch["train_accuracy"], "setup_seconds": document["setup_seconds"]}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--python", required=True, help="train_epoch.py's JSON")
    parser.add_argument("--java", required=True, help="robustlab train's JSON")
    parser.add_argument("--python-wall", default="-", help="the Python process's wall time, seconds")
    parser.add_argument("--java-wall", default="-", help="the Java process's wall time, seconds")
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--summary", required=True, help="where to write the summary JSON")
    args = parser.parse_args()
    python = read(args.python)
    java = java_figures(read(args.java))
    print(f"{'side':<18}{'epoch s':>10}{'train loss':>12}{'train acc %':>13}{'set-up s':>10}{'process s':>11}")
    for name, figures, wall in (("Python torch", python, args.python_wall),
                                ("Java (Robustlab)", java, args.java_wall)):
        if figures is None:
            print(f"{name:<18}{'-':>10}{'-':>12}{'-':>13}{'-':>10}{'-':>11}")
        else:
            print(f"{name:<18}{figures['seconds']:>10.2f}{figures['train_loss']:>12.4f}"
                  f"{100 * figures['train_accuracy']:>13.2f}{figures['setup_seconds']:>10.2f}{wall:>11}")
    summary = {"threads": args.threads, "target_ratio": TARGET, "python": python, "java": java,
               "python_process_seconds": args.python_wall, "java_process_seconds": args.java_wall}
    if python is not None and java is not None:
        ratio = java["seconds"] / python["seconds"]
        summary["ratio_java_over_python"] = ratio
        summary["target_met"] = ratio <= TARGET
        print(f"time ratio Java/Python: {ratio:.3f} (target <= {TARGET}: {'met' if ratio <= TARGET else 'NOT met'})")
    os.makedirs(os.path.dirname(os.path.abspath(args.summary)), exist_ok=True)
    with open(args.summary, "w") as f:
        json.dump(summary, f, indent=2)


if __name__ == "__main__":
    main()
