#!/usr/bin/env python3
"""Writes TorchScript classifiers and the values Java must reproduce on them.

    /usr/bin/python3 torchscript_models.py --arch tiny --out DIR [--seed S]
    /usr/bin/python3 torchscript_models.py --arch small-cnn --out DIR [--seed S]
    /usr/bin/python3 torchscript_models.py --arch faulty --out DIR [--seed S]

writes DIR/<arch>-traced.pt, DIR/<arch>-scripted.pt and DIR/<arch>-expected.txt. The expected file holds, for a
batch x of B examples drawn from U[0,1] and labels y, the logits f(x) in inference mode (BatchNorm on its running
statistics, dropout off) and the input gradient of the summed cross-entropy, d/dx sum_i CE(f(x)_i, y_i), which is
what the attacks differentiate. One line per item: a name, then whitespace-separated numbers, row-major.

tiny: conv(1->4, 3x3, pad 1) -> BatchNorm -> ReLU -> maxpool 2 -> flatten -> dropout(0.5) -> linear(64->3), on
(1, 8, 8). Its running statistics are moved away from (0, 1) by training-mode forwards, so that a Java forward
that used batch statistics, or dropout, would not reproduce the logits. The traced file is traced in eval mode
(tracing freezes the mode); the scripted file is saved in TRAINING mode on purpose: the Java loader must switch it
to eval mode itself.

small-cnn: the architecture of Robustlab's `small-cnn` (Models), on (1, 28, 28), with PyTorch's default
initialisation; its parameters in order are 0.weight, 0.bias, 3.weight, 3.bias, 7.weight, 7.bias, 9.weight, 9.bias,
in the order and shapes of the DJL block.

faulty: files the Java loader must refuse, on (1, 8, 8): faulty-vector.pt returns one score per example (B,),
faulty-pair.pt returns a tuple of two logit tensors, faulty-train-traced.pt is `tiny` traced in training mode (its
logits depend on the batch and on the dropout draw whatever eval() says).

The checked-in fixture under ml-core/src/test/resources/model/ is `--arch tiny --seed 7` and `--arch faulty
--seed 7` from torch 1.13.
"""
import argparse
import os

import torch
from torch import nn
import torch.nn.functional as F


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1)
        self.bn = nn.BatchNorm2d(4)
        self.drop = nn.Dropout(0.5)
        self.fc = nn.Linear(4 * 4 * 4, 3)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn(self.conv(x))), 2)
        return self.fc(self.drop(torch.flatten(x, 1)))


class Vector(nn.Module):
    def __init__(self):
        super().__init__()
        self.inner = Tiny()

    def forward(self, x):
        return self.inner(x).sum(1)


class Pair(nn.Module):
    def __init__(self):
        super().__init__()
        self.inner = Tiny()

    def forward(self, x):
        logits = self.inner(x)
        return logits, logits


def faulty(out):
    x = torch.rand(2, 1, 8, 8)
    torch.jit.save(torch.jit.script(Vector().eval()), os.path.join(out, "faulty-vector.pt"))
    torch.jit.save(torch.jit.script(Pair().eval()), os.path.join(out, "faulty-pair.pt"))
    torch.jit.save(torch.jit.trace(Tiny().train(), x, check_trace=False), os.path.join(out, "faulty-train-traced.pt"))


def small_cnn(classes=10):
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 7 * 7, 100), nn.ReLU(), nn.Linear(100, classes))


def line(name, tensor):
    values = tensor.detach().reshape(-1).tolist()
    return name + " " + " ".join("%.9g" % v for v in values) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--arch", choices=["tiny", "small-cnn", "faulty"], required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    os.makedirs(args.out, exist_ok=True)
    if args.arch == "faulty":
        faulty(args.out)
        return

    if args.arch == "tiny":
        model, shape, batch = Tiny(), (1, 8, 8), 4
        model.train()
        with torch.no_grad():
            for _ in range(5):
                model(torch.rand(16, *shape) * 2 + 0.5)
    else:
        model, shape, batch = small_cnn(), (1, 28, 28), 3
    classes = 3 if args.arch == "tiny" else 10

    x = torch.rand(batch, *shape)
    y = torch.randint(0, classes, (batch,))
    model.eval()
    leaf = x.clone().requires_grad_(True)
    logits = model(leaf)
    F.cross_entropy(logits, y, reduction="sum").backward()

    prefix = os.path.join(args.out, args.arch)
    torch.jit.save(torch.jit.trace(model, x), prefix + "-traced.pt")
    scripted = torch.jit.script(model)
    if args.arch == "tiny":
        scripted.train()
    torch.jit.save(scripted, prefix + "-scripted.pt")
    with open(prefix + "-expected.txt", "w") as out:
        out.write("# torch %s, %s, seed %d\n" % (torch.__version__, args.arch, args.seed))
        out.write(line("shape", torch.tensor([batch, *shape])))
        out.write(line("classes", torch.tensor([classes])))
        out.write(line("inputs", x))
        out.write(line("labels", y))
        out.write(line("logits", logits))
        out.write(line("gradient", leaf.grad))


if __name__ == "__main__":
    main()
