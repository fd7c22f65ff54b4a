#!/usr/bin/env python3
"""The residual networks of Robustlab's Models in PyTorch, to check the DJL blocks against.

    /usr/bin/python3 residual_networks.py --count
        prints, per architecture, the number of parameters (model.parameters()) and of BatchNorm running-statistic
        values (running_mean, running_var; num_batches_tracked left out), and the logits shape of a batch of 2.
    /usr/bin/python3 residual_networks.py --check DIR
        reads DIR/request.txt and DIR/request.bin, written by ResidualNetworksTest: per model, its architecture,
        the shape of every parameter in DJL's order (running statistics included) and of a batch of inputs in [0,1],
        whose float32 values (little-endian) follow each other in request.bin in the same order. Loads the values
        into the PyTorch module (checking every shape on the way), runs one forward in training mode (BatchNorm on
        batch statistics, running statistics updated with momentum 0.1), then one in eval mode, and writes
        DIR/expected.txt: per model the two logit batches and the running statistics after the training forward.

Exits with status 3 when torch or numpy cannot be imported. Text files hold one item per line, a name then
whitespace-separated values (row-major).

The architectures, as the adversarial-training code the papers build on writes them:
  resnet18          kuangliu/pytorch-cifar ResNet-18 (3x3 stem, no max-pool), as in the PIAT and TRADES code
  preact-resnet18   PreAct ResNet-18 with the final BN-ReLU (Rice et al. 2020, AWP); kuangliu's version lacks it
  wrn               WideResNet of Zagoruyko & Komodakis as in the TRADES/MART/AWP code (without TRADES' unused
                    sub_block1), depth 6n+4 (or 6n+2, Madry et al.'s count)
Normalization, where asked for, is (x - mean[c]) / std[c] in front of the network.
"""
import argparse
import os
import sys

try:
    import numpy as np
    import torch
    from torch import nn
    import torch.nn.functional as F
except ImportError as e:
    print(f'cannot import torch or numpy: {e}', file=sys.stderr)
    sys.exit(3)  # ResidualNetworksTest then compares with its checked-in sums

STATS = {
    'fashion-mnist': ([0.2860], [0.3530]),
    'cifar10': ([0.4914, 0.4822, 0.4465], [0.2471, 0.2435, 0.2616]),
    'cifar100': ([0.5071, 0.4865, 0.4409], [0.2673, 0.2564, 0.2762]),
    'svhn': ([0.4377, 0.4438, 0.4728], [0.1980, 0.2010, 0.1970]),
}


class Normalize(nn.Module):
    def __init__(self, dataset):
        super().__init__()
        mean, std = STATS[dataset]
        self.register_buffer('mean', torch.tensor(mean).view(1, -1, 1, 1), persistent=False)
        self.register_buffer('std', torch.tensor(std).view(1, -1, 1, 1), persistent=False)

    def forward(self, x):
        return (x - self.mean) / self.std


class BasicBlock(nn.Module):
    def __init__(self, inp, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(inp, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or inp != planes:
            self.shortcut = nn.Sequential(nn.Conv2d(inp, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class PreActBlock(nn.Module):
    def __init__(self, inp, planes, stride=1):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(inp)
        self.conv1 = nn.Conv2d(inp, planes, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        if stride != 1 or inp != planes:
            self.shortcut = nn.Sequential(nn.Conv2d(inp, planes, 1, stride, bias=False))

    def forward(self, x):
        out = F.relu(self.bn1(x))
        shortcut = self.shortcut(out) if hasattr(self, 'shortcut') else x
        out = self.conv1(out)
        out = self.conv2(F.relu(self.bn2(out)))
        return out + shortcut


class ResNet(nn.Module):
    def __init__(self, block, classes, preact):
        super().__init__()
        self.preact = preact
        self.inp = 64
        self.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False)
        if not preact:
            self.bn1 = nn.BatchNorm2d(64)
        self.layer1 = self._make(block, 64, 1)
        self.layer2 = self._make(block, 128, 2)
        self.layer3 = self._make(block, 256, 2)
        self.layer4 = self._make(block, 512, 2)
        if preact:
            self.bn = nn.BatchNorm2d(512)
        self.linear = nn.Linear(512, classes)

    def _make(self, block, planes, stride):
        layers = []
        for s in [stride, 1]:
            layers.append(block(self.inp, planes, s))
            self.inp = planes
        return nn.Sequential(*layers)

    def forward(self, x):
        out = self.conv1(x)
        if not self.preact:
            out = F.relu(self.bn1(out))
        out = self.layer4(self.layer3(self.layer2(self.layer1(out))))
        if self.preact:
            out = F.relu(self.bn(out))
        return self.linear(F.avg_pool2d(out, 4).flatten(1))


class WideBlock(nn.Module):
    def __init__(self, inp, out, stride):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(inp)
        self.conv1 = nn.Conv2d(inp, out, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(out)
        self.conv2 = nn.Conv2d(out, out, 3, 1, 1, bias=False)
        self.equal = inp == out
        self.convShortcut = None if self.equal else nn.Conv2d(inp, out, 1, stride, 0, bias=False)

    def forward(self, x):
        if not self.equal:
            x = F.relu(self.bn1(x))
            out = x
        else:
            out = F.relu(self.bn1(x))
        out = F.relu(self.bn2(self.conv1(out)))
        out = self.conv2(out)
        return (x if self.equal else self.convShortcut(x)) + out


class WideResNet(nn.Module):
    def __init__(self, depth, width, classes):
        super().__init__()
        n = (depth - 4) // 6 if (depth - 4) % 6 == 0 else (depth - 2) // 6
        ch = [16, 16 * width, 32 * width, 64 * width]
        self.conv1 = nn.Conv2d(3, ch[0], 3, 1, 1, bias=False)

        def group(i, o, s):
            return nn.Sequential(*[WideBlock(i if k == 0 else o, o, s if k == 0 else 1) for k in range(n)])

        self.block1 = group(ch[0], ch[1], 1)
        self.block2 = group(ch[1], ch[2], 2)
        self.block3 = group(ch[2], ch[3], 2)
        self.bn1 = nn.BatchNorm2d(ch[3])
        self.fc = nn.Linear(ch[3], classes)

    def forward(self, x):
        out = self.block3(self.block2(self.block1(self.conv1(x))))
        out = F.relu(self.bn1(out))
        return self.fc(F.avg_pool2d(out, 8).flatten(1))


def build(arch, classes, depth=None, width=None, normalization='none'):
    if arch == 'resnet18':
        net = ResNet(BasicBlock, classes, preact=False)
    elif arch == 'preact-resnet18':
        net = ResNet(PreActBlock, classes, preact=True)
    elif arch == 'wrn':
        net = WideResNet(depth, width, classes)
    else:
        raise ValueError(arch)
    return net if normalization == 'none' else nn.Sequential(Normalize(normalization), net)


def djl_order(net):
    """The tensors of net in the order DJL lists its parameters: per layer weight (bias); BatchNorm gamma, beta,
    running mean, running variance. Modules are registered in forward order above, as the DJL blocks are built."""
    tensors = []
    for module in net.modules():
        if isinstance(module, nn.Conv2d):
            tensors.append(module.weight)
        elif isinstance(module, nn.BatchNorm2d):
            tensors += [module.weight, module.bias, module.running_mean, module.running_var]
        elif isinstance(module, nn.Linear):
            tensors += [module.weight, module.bias]
    return tensors


def read_items(path):
    items = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if parts and not parts[0].startswith('#'):
                items.append((parts[0], parts[1:]))
    return items


def check(directory):
    items = read_items(os.path.join(directory, 'request.txt'))
    values_file = np.fromfile(os.path.join(directory, 'request.bin'), dtype='<f4')
    at = 0

    def take(shape):
        nonlocal at
        n = int(np.prod(shape))
        chunk = torch.from_numpy(values_file[at:at + n].copy()).view(shape)
        at += n
        return chunk
    out = []
    i = 0
    while i < len(items):
        name, values = items[i]
        assert name == 'model', name
        label, arch, classes, depth, width, normalization = values
        depth = int(depth) if depth != '-' else None
        width = int(width) if width != '-' else None
        net = build(arch, int(classes), depth, width, normalization)
        tensors = djl_order(net)
        i += 1
        with torch.no_grad():
            for t in tensors:
                name, values = items[i]
                assert name == 'param', name
                shape = [int(v) for v in values[0].split('x')]
                assert list(t.shape) == shape, f'{label}: DJL shape {shape}, PyTorch {list(t.shape)}'
                t.copy_(take(shape))
                i += 1
        name, values = items[i]
        assert name == 'input', name
        shape = [int(v) for v in values[0].split('x')]
        x = take(shape)
        i += 1
        net.train()
        train = net(x)
        net.eval()
        evaluated = net(x)
        running = torch.cat([m.running_mean for m in net.modules() if isinstance(m, nn.BatchNorm2d)]
                            + [m.running_var for m in net.modules() if isinstance(m, nn.BatchNorm2d)])
        out.append(f'model {label}')
        out.append('train ' + ' '.join(repr(v) for v in train.detach().flatten().tolist()))
        out.append('eval ' + ' '.join(repr(v) for v in evaluated.detach().flatten().tolist()))
        out.append('running ' + ' '.join(repr(v) for v in running.flatten().tolist()))
    assert at == len(values_file), f'{len(values_file) - at} values left over'
    with open(os.path.join(directory, 'expected.txt'), 'w') as f:
        f.write('\n'.join(out) + '\n')


def count():
    for label, net in [('resnet18', build('resnet18', 10)), ('preact-resnet18', build('preact-resnet18', 10)),
                       ('wrn-34-10', build('wrn', 10, 34, 10)), ('wrn-32-10', build('wrn', 10, 32, 10)),
                       ('wrn-28-10', build('wrn', 10, 28, 10)), ('resnet18-100', build('resnet18', 100)),
                       ('wrn-10-1', build('wrn', 10, 10, 1))]:
        params = sum(p.numel() for p in net.parameters())
        running = sum(b.numel() for n, b in net.named_buffers() if 'running' in n)
        print(label, params, running, tuple(net(torch.zeros(2, 3, 32, 32)).shape))


if __name__ == '__main__':
    parser = argparse.ArgumentParser()
    parser.add_argument('--count', action='store_true')
    parser.add_argument('--check')
    args = parser.parse_args()
    if args.count:
        count()
    if args.check:
        check(args.check)
