#!/usr/bin/python3
"""One epoch of PGD-10 adversarial training of the Fashion-MNIST small CNN in Python torch: the baseline of the
training benchmark (issue 4). The same loop as Robustlab's TrainingRun with method pgd-at (ml-core,
dev.robustlab.ml.training), step for step:

  for each batch of a fresh random permutation of the training examples (the last batch smaller):
    x' = PGD-K(x): x0 = clip(x + U(-eps, eps), [x - eps, x + eps] & [0, 1]), then K steps
         x <- clip(x + alpha * sign(grad_x CE(f(x), y)), same box), on the model in eval mode with its
         parameters frozen (no parameter gradient), the last iterate;
    loss = mean CE(f(x'), y) in train mode; backward; SGD step (momentum, no dampening, no Nesterov, as
    torch.optim.SGD; Robustlab's Sgd has the same update).
  The epoch's train loss is the mean of the batch losses, its accuracy the share of adversarial examples the
  model classified correctly during the step (Robustlab's EpochSummary).

Architecture (Robustlab's small-cnn, ml-core Models.smallCnn; bench/attacks/train_cnn.py's SmallCnn):
conv(1->16, 3x3, pad 1) - ReLU - maxpool 2 - conv(16->32, 3x3, pad 1) - ReLU - maxpool 2 - flatten (1568) -
linear(1568->100) - ReLU - linear(100->10), PyTorch's default initialisation.

Timed: the epoch loop only (permutation, batch gathering, attack, step), not the import, data loading or model
creation; Robustlab's EpochSummary.seconds times the same part of TrainingRun.trainEpoch.

Example: /usr/bin/python3 train_epoch.py --threads 2 --json out/python.json
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "attacks"))
import fmnist  # noqa: E402
from train_cnn import SmallCnn, pgd  # noqa: E402  (PGD-K on the CE, uniform start, l-inf)



def train_epoch(model, optimizer, x_train, y_train, args, generator):
    """One epoch; returns (mean batch loss, accuracy on the adversarial examples trained on)."""
    n = x_train.shape[0]
    batches = (n + args.batch_size - 1) // args.batch_size
    order = torch.randperm(n, generator=generator)
    loss_sum, correct = 0.0, 0
    for b in range(batches):
        index = order[b * args.batch_size:(b + 1) * args.batch_size]
        x, y = x_train[index], y_train[index]
        model.eval()
        for p in model.parameters():
            p.requires_grad_(False)
        adv = pgd(model, x, y, args.eps, args.alpha, args.steps, generator)
        for p in model.parameters():
            p.requires_grad_(True)
        model.train()
        logits = model(adv)
        loss = F.cross_entropy(logits, y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        loss_sum += loss.item()
        correct += (logits.argmax(1) == y).sum().item()
    return loss_sum / batches, correct / n


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=fmnist.DEFAULT_DIR,
                        help="Fashion-MNIST IDX files, gzipped or not (default: %(default)s)")
    parser.add_argument("--limit", type=int, default=0,
                        help="train on the first N training images, 0 for all 60000 (default: %(default)s)")
    parser.add_argument("--batch-size", type=int, default=128, help="(default: %(default)s)")
    parser.add_argument("--eps", type=float, default=0.1, help="l-inf radius (default: %(default)s)")
    parser.add_argument("--alpha", type=float, default=0.0, help="PGD step size (default: eps / 4)")
    parser.add_argument("--steps", type=int, default=10, help="PGD steps (default: %(default)s)")
    parser.add_argument("--lr", type=float, default=0.01, help="SGD learning rate (default: %(default)s)")
    parser.add_argument("--momentum", type=float, default=0.9, help="SGD momentum (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="(default: %(default)s)")
    parser.add_argument("--threads", type=int, default=2,
                        help="torch intra- and inter-op threads (default: %(default)s)")
    parser.add_argument("--json", help="write the result here as JSON")
    args = parser.parse_args()
    if args.limit < 0 or args.batch_size < 1 or args.steps < 1 or args.threads < 1 or not 0 < args.eps <= 1 \
            or not args.lr > 0:
        parser.error("--limit must be >= 0, --batch-size, --steps and --threads >= 1, --eps in (0, 1], --lr > 0")
    args.alpha = args.alpha if args.alpha > 0 else args.eps / 4
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(args.threads)
    torch.manual_seed(args.seed)
    generator = torch.Generator().manual_seed(args.seed)

    started = time.perf_counter()
    x_train, y_train = fmnist.load("train", args.data_dir)
    if args.limit > 0:
        if args.limit > x_train.shape[0]:
            parser.error(f"--limit {args.limit}: the training split has {x_train.shape[0]} images")
        x_train, y_train = x_train[:args.limit].contiguous(), y_train[:args.limit].contiguous()
    model = SmallCnn()
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
    setup = time.perf_counter() - started

    started = time.perf_counter()
    loss, accuracy = train_epoch(model, optimizer, x_train, y_train, args, generator)
    seconds = time.perf_counter() - started
    n = x_train.shape[0]
    print(f"python: 1 epoch of PGD-{args.steps} training on {n} images in {seconds:.2f} s "
          f"(set-up {setup:.2f} s): train loss {loss:.4f}, train accuracy {100 * accuracy:.2f}%", flush=True)
    if args.json:
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump({"side": "python", "torch": torch.__version__, "examples": n, "batch_size": args.batch_size,
                       "eps": args.eps, "alpha": args.alpha, "steps": args.steps, "lr": args.lr,
                       "momentum": args.momentum, "seed": args.seed, "threads": args.threads,
                       "setup_seconds": setup, "seconds": seconds, "train_loss": loss, "train_accuracy": accuracy},
                      f, indent=2)


if __name__ == "__main__":
    main()
