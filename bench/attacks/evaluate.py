#!/usr/bin/python3
"""The Python side of the attack benchmark: `robustlab evaluate`'s semantics with the attacks of attacks.py.

Runs the attacks in order on the test examples [offset, offset + limit) of Fashion-MNIST, each only on the examples
still robust (AutoAttack's composition): an example is robust when it is classified correctly clean and no attack
breaks it inside the eps-ball and [0,1]. Batches are aligned to absolute indices (batch k covers [kB, (k+1)B)), as
on the Java side. `seconds` is the time spent attacking (clean pass, sanity checks and attacks, summed over batches),
not loading the model or the data; `per_attack_seconds` splits it by attack.

Runtime checks (assertions, the run fails if one breaks): every point an attack returns lies in B_eps(x) and [0,1]
(tolerance 1e-5); every example counted as broken is misclassified at its returned point; the robust sets only
shrink from one attack to the next (final <= after each attack <= clean).

Example: /usr/bin/python3 evaluate.py --model out/fmnist-cnn-pgdat.pt --limit 1000 --eps 0.1 --attacks pgd-20 \\
             --seed 0 --batch-size 256 --threads 2 --json out/python-pgd-20.json
"""
import argparse
import hashlib
import json
import os
import sys
import time
from fractions import Fraction

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import attacks  # noqa: E402
import fmnist  # noqa: E402

SUITES = ["standard"]


def number(text):
    try:
        return float(Fraction(text)) if "/" in text else float(text)
    except (ValueError, ZeroDivisionError):
        raise argparse.ArgumentTypeError(f"not a number or a fraction such as 8/255: '{text}'")


def batch_seed(seed, start, component):
    """A 63-bit seed per (seed, batch start, component): batches and components draw independent streams."""
    digest = hashlib.sha256(f"{seed}/evaluation/batch@{start}/{component}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="TorchScript file (.pt) returning logits")
    parser.add_argument("--dataset", default="fashion-mnist", choices=["fashion-mnist"],
                        help="the test split attacked (default: %(default)s)")
    parser.add_argument("--data-dir", default=fmnist.DEFAULT_DIR, help="dataset files (default: %(default)s)")
    parser.add_argument("--offset", type=int, default=0, help="first test example, 0-based (default: 0)")
    parser.add_argument("--limit", type=int, help="examples from --offset (default: all the rest)")
    parser.add_argument("--norm", default="linf", choices=["linf"], help="threat model (default: linf)")
    parser.add_argument("--eps", type=number, default=0.1, help="radius, e.g. 0.1 or 8/255 (default: 0.1)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--suite", choices=SUITES, help="AutoAttack version (default when --attacks is not given: "
                                                       "standard = apgd-ce, apgd-t, fab-t, square)")
    group.add_argument("--attacks", help="attack ids run in this order, comma-separated: " + ", ".join(attacks.KNOWN))
    parser.add_argument("--step-size", type=number, help="alpha of pgd-20 and cw-inf (default: eps/4)")
    parser.add_argument("--seed", type=int, default=0, help="seed of every random draw (default: 0)")
    parser.add_argument("--batch-size", type=int, default=256, help="examples per batch (default: 256)")
    parser.add_argument("--threads", type=int, default=2, help="torch intra-op threads (default: 2)")
    parser.add_argument("--interop-threads", type=int, help="torch inter-op threads (default: --threads)")
    parser.add_argument("--json", help="write the result as JSON to this file")
    args = parser.parse_args()

    if args.offset < 0 or (args.limit is not None and args.limit < 1) or args.batch_size < 1 or args.threads < 1:
        parser.error("--offset must be >= 0, --limit, --batch-size and --threads >= 1")
    if not 0 < args.eps <= 1:
        parser.error(f"--eps must be in (0, 1] in linf, got {args.eps}")
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(args.interop_threads or args.threads)
    if not os.path.isfile(args.model):
        parser.error(f"--model: no file {args.model}")
    alpha = args.step_size if args.step_size is not None else args.eps / 4

    if args.attacks is not None:
        ids = [a.strip() for a in args.attacks.split(",")]
        for attack_id in ids:
            if attack_id not in attacks.KNOWN:
                parser.error(f"--attacks: unknown attack '{attack_id}'; known: {', '.join(attacks.KNOWN)}")
        if len(set(ids)) != len(ids):
            parser.error(f"--attacks lists an attack twice: {ids}")
        sequence = attacks.AutoAttack(args.eps, [attacks.evaluation_attack(a, args.eps, alpha) for a in ids])
        suite = None
    else:
        suite = args.suite or "standard"
        sequence = attacks.AutoAttack(args.eps, attacks.standard_components(args.eps), version=suite)

    model = attacks.freeze(torch.jit.load(args.model, map_location="cpu"))
    x_all, y_all = fmnist.load("test", args.data_dir)
    size = x_all.shape[0]
    limit = size - args.offset if args.limit is None else args.limit
    end = args.offset + limit
    if end > size:
        parser.error(f"--offset {args.offset} --limit {limit} reach past the {size} test examples")

    ids = sequence.component_ids()
    clean = torch.zeros(limit, dtype=torch.bool)
    robust = torch.zeros(limit, dtype=torch.bool)
    after = [torch.zeros(limit, dtype=torch.bool) for _ in ids]
    timings, warnings, seconds = {}, [], 0.0
    start = args.offset
    while start < end:
        stop = min(end, (start // args.batch_size + 1) * args.batch_size)
        started = time.perf_counter()
        x, y = x_all[start:stop], y_all[start:stop]
        generators = [torch.Generator().manual_seed(batch_seed(args.seed, start, k)) for k in range(len(ids))]
        report = sequence.evaluate(model, x, y, generators, timings)
        seconds += time.perf_counter() - started
        check_invariants(model, x, y, args.eps, report, ids)
        at = slice(start - args.offset, stop - args.offset)
        clean[at], robust[at] = report["clean"], report["robust"]
        for k in range(len(ids)):
            after[k][at] = report["robust_after"][k]
        warnings += [f"examples [{start}, {stop}): {w}" for w in report["warnings"]]
        print(f"[{stop - args.offset}/{limit}] robust so far {100 * robust[:stop - args.offset].float().mean():.2f}%"
              f" ({seconds:.1f} s)", file=sys.stderr, flush=True)
        start = stop

    share = lambda flags: int(flags.sum()) / flags.numel()  # noqa: E731
    described = f"AutoAttack {suite}" if suite else "attacks " + ", ".join(ids)
    print(f"fashion-mnist test examples [{args.offset}, {end}), linf eps = {args.eps:g}, {described}, seed "
          f"{args.seed}, batches of {args.batch_size}, {args.threads} threads: {seconds:.1f} s\n")
    print(f"{'':<22}{'accuracy (%)':>14}{'examples':>12}{'seconds':>10}")
    print(f"{'clean':<22}{100 * share(clean):>14.2f}{f'{int(clean.sum())}/{limit}':>12}")
    for k, attack_id in enumerate(ids):
        print(f"{'after ' + attack_id:<22}{100 * share(after[k]):>14.2f}{f'{int(after[k].sum())}/{limit}':>12}"
              f"{timings.get(attack_id, 0.0):>10.1f}")
    print(f"{'robust (final)':<22}{100 * share(robust):>14.2f}{f'{int(robust.sum())}/{limit}':>12}{seconds:>10.1f}")
    for w in warnings:
        print("warning: " + w)

    if args.json:
        document = {
            "configuration": {"implementation": "python", "model": args.model, "dataset": args.dataset,
                              "offset": args.offset, "limit": limit, "norm": args.norm, "epsilon": args.eps,
                              "step_size": alpha, "suite": suite, "attacks": ids, "seed": args.seed,
                              "batch_size": args.batch_size, "threads": args.threads,
                              "interop_threads": args.interop_threads or args.threads,
                              "torch": torch.__version__},
            "examples": limit,
            "clean_accuracy": share(clean),
            "robust_accuracy": share(robust),
            "per_attack": {attack_id: share(after[k]) for k, attack_id in enumerate(ids)},
            "per_attack_seconds": {attack_id: timings.get(attack_id, 0.0) for attack_id in ids},
            "skipped": [],
            "warnings": warnings,
            "clean_flags": [bool(v) for v in clean],
            "robust_flags": [bool(v) for v in robust],
            "seconds": seconds,
        }
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump(document, f, indent=2)


def check_invariants(model, x, y, eps, report, ids):
    outside = [w for w in report["warnings"] if "outside" in w]
    assert not outside, f"an attack returned points outside the eps-ball or [0,1]: {outside}"
    adversarial = report["adversarial"]
    tolerance = attacks.BALL_TOLERANCE
    assert bool((adversarial >= -tolerance).all() and (adversarial <= 1 + tolerance).all()), "outside [0,1]"
    assert float(attacks.linf_size(adversarial, x).max()) <= eps + tolerance, "outside the eps-ball"
    clean, robust = report["clean"], report["robust"]
    broken = clean & ~robust
    if bool(broken.any()):
        with torch.no_grad():
            wrong = model(adversarial[broken]).argmax(1) != y[broken]
        assert bool(wrong.all()), "an example counted as broken is classified correctly at its adversarial point"
    previous = clean
    for attack_id, flags in zip(ids, report["robust_after"]):
        assert not bool((flags & ~previous).any()), f"{attack_id} made an example robust again"
        previous = flags
    assert bool((robust == previous).all()), "the final flags are not those after the last attack"


if __name__ == "__main__":
    main()
