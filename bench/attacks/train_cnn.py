#!/usr/bin/python3
"""Trains the Fashion-MNIST small CNN with PGD adversarial training (Madry et al.) and saves it as TorchScript.

Architecture (the Java side's small-cnn): conv(1->16, 3x3, pad 1) - ReLU - maxpool 2 - conv(16->32, 3x3, pad 1) -
ReLU - maxpool 2 - flatten (1568) - linear(1568->100) - ReLU - linear(100->10); input (B, 1, 28, 28) in [0,1],
output logits. Training: every step replaces the batch by PGD-K adversarial examples (l-inf, eps, random start,
step alpha, cross-entropy), then one SGD-momentum step on them. Seeded; the model is traced in eval mode.

Example: /usr/bin/python3 train_cnn.py --out out/fmnist-cnn-pgdat.pt   (about 3 minutes on 2 busy cores)
"""
import argparse
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fmnist  # noqa: E402


class SmallCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc1 = nn.Linear(32 * 7 * 7, 100)
        self.fc2 = nn.Linear(100, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        return self.fc2(F.relu(self.fc1(x)))


def pgd(model, x, y, eps, alpha, steps, generator):
    lower, upper = (x - eps).clamp(min=0), (x + eps).clamp(max=1)
    noise = (torch.rand(x.shape, generator=generator) * 2 - 1) * eps
    adv = torch.max(torch.min(x + noise, upper), lower)
    for _ in range(steps):
        adv.requires_grad_(True)
        loss = F.cross_entropy(model(adv), y)
        grad, = torch.autograd.grad(loss, adv)
        adv = torch.max(torch.min(adv.detach() + alpha * grad.sign(), upper), lower)
    return adv.detach()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="TorchScript file to write (.pt)")
    parser.add_argument("--data-dir", default=fmnist.DEFAULT_DIR, help="Fashion-MNIST IDX files (default: %(default)s)")
    parser.add_argument("--epochs", type=int, default=2, help="epochs (default: %(default)s)")
    parser.add_argument("--train-limit", type=int, default=0, help="use only the first N training examples, 0 for all (default: %(default)s)")
    parser.add_argument("--eps", type=float, default=0.1, help="training radius, l-inf (default: %(default)s)")
    parser.add_argument("--steps", type=int, default=3, help="PGD steps per batch (default: %(default)s)")
    parser.add_argument("--alpha", type=float, default=0.0, help="PGD step size (default: 2.5 eps / steps)")
    parser.add_argument("--lr", type=float, default=0.05, help="SGD learning rate (default: %(default)s)")
    parser.add_argument("--momentum", type=float, default=0.9, help="SGD momentum (default: %(default)s)")
    parser.add_argument("--batch-size", type=int, default=128, help="(default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="(default: %(default)s)")
    parser.add_argument("--threads", type=int, default=2, help="torch threads (default: %(default)s)")
    args = parser.parse_args()
    if args.epochs < 1 or args.steps < 1 or args.batch_size < 1 or not 0 < args.eps <= 1:
        parser.error("--epochs, --steps and --batch-size must be at least 1 and --eps in (0, 1]")
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    generator = torch.Generator().manual_seed(args.seed)
    alpha = args.alpha if args.alpha > 0 else 2.5 * args.eps / args.steps

    x_train, y_train = fmnist.load("train", args.data_dir)
    if args.train_limit > 0:
        x_train, y_train = x_train[:args.train_limit], y_train[:args.train_limit]
    x_test, y_test = fmnist.load("test", args.data_dir)
    model = SmallCnn()
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum, weight_decay=5e-4)
    n = x_train.shape[0]
    batches_per_epoch = (n + args.batch_size - 1) // args.batch_size
    total = args.epochs * batches_per_epoch
    # one-cycle-like schedule: linear warm-up over the first 20% of the steps, then linear decay to 0
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / (0.2 * total), max(0.0, (total - s) / (0.8 * total))))
    started = time.time()
    for epoch in range(args.epochs):
        order = torch.randperm(n, generator=generator)
        seen, correct, loss_sum = 0, 0, 0.0
        for b in range(batches_per_epoch):
            index = order[b * args.batch_size:(b + 1) * args.batch_size]
            x, y = x_train[index], y_train[index]
            model.eval()
            for p in model.parameters():
                p.requires_grad_(False)
            adv = pgd(model, x, y, args.eps, alpha, args.steps, generator)
            for p in model.parameters():
                p.requires_grad_(True)
            model.train()
            logits = model(adv)
            loss = F.cross_entropy(logits, y)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            schedule.step()
            seen += y.shape[0]
            correct += (logits.argmax(1) == y).sum().item()
            loss_sum += loss.item() * y.shape[0]
        print(f"epoch {epoch + 1}/{args.epochs}: adversarial training loss {loss_sum / seen:.4f}, "
              f"accuracy on PGD-{args.steps} examples {100 * correct / seen:.2f}% ({time.time() - started:.0f} s)",
              flush=True)

    model.eval()
    for p in model.parameters():
        p.requires_grad_(False)
    with torch.no_grad():
        clean = (model(x_test[:1000]).argmax(1) == y_test[:1000]).float().mean().item()
    adv = pgd(model, x_test[:1000], y_test[:1000], args.eps, args.eps / 4, 20, generator)
    with torch.no_grad():
        robust = (model(adv).argmax(1) == y_test[:1000]).float().mean().item()
    print(f"first 1000 test examples: clean {100 * clean:.2f}%, PGD-20 (eps {args.eps}) {100 * robust:.2f}%")

    traced = torch.jit.trace(model, torch.zeros(1, 1, 28, 28))
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    traced.save(args.out)
    check = torch.jit.load(args.out)
    with torch.no_grad():
        difference = (check(x_test[:64]) - model(x_test[:64])).abs().max().item()
    if difference > 1e-5:
        raise SystemExit(f"the saved TorchScript differs from the model by {difference}")
    print(f"wrote {args.out} (TorchScript, traced in eval mode; {time.time() - started:.0f} s in all)")


if __name__ == "__main__":
    main()
