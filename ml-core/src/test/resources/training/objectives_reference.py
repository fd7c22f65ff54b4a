#!/usr/bin/env python3
"""Reference values of Robustlab's Squeeze Training, CFA and AWP/RWP pieces, computed with PyTorch.

    /usr/bin/python3 objectives_reference.py --out FILE [--seed S]

A tiny model, Linear(5->8) -> BatchNorm1d(8) -> ReLU -> Linear(8->4), with random weights and running statistics,
a batch of 6 inputs in [0,1]^5 with labels covering the 4 classes, and fixed points around it. FILE gets one line
per item: a name, then whitespace-separated numbers (row-major). Items:

  w0 b0 gamma beta running_mean running_var w3 b3      the model (PyTorch layouts: Linear weight (out, in))
  momentum                                             BatchNorm's PyTorch momentum (DJL passes 1 - 0.9f)
  x y x_col x_adv adv_start col_start                  inputs, labels, the points of the losses, two starts
  eps alpha steps st_beta                              threat model and beta
  st_loss_{kl,js,l2}, st_grad_w0_{kl,js,l2}            the ST outer loss at (x, x_col, x_adv) in training mode
                                                       and its gradient w.r.t. w0; x_col's forward leaves the
                                                       running statistics alone (track_running_stats off), then
                                                       x and x_adv update them:
  st_running_mean_after st_running_var_after           ... the running statistics after the loss
  stgen_x_col stgen_x_adv                              ST generation from (adv_start, col_start), `steps` steps,
                                                       running statistics untouched (checked here)
  cfa_r cfa_lambda1 cfa_lambda2                        class-wise training robust accuracy and CFA's lambdas
  cfa_x_adv                                            TRADES' KL attack from adv_start (projected first) with
                                                       radius (lambda1 + r_y)*eps per example, model in eval mode
  cfa_loss cfa_grad_w0                                 mean[(1 - b_y) CE(f(x)) + b_y KL(p(x) || p(x_adv))],
                                                       b_k = (lambda2 + r_k) beta / (1 + (lambda2 + r_k) beta)
  awp_gamma awp_v0 awp_v3                              AWP on CE(f(x_adv)) (PGD-AT's loss): v = g ||w|| g / ||g||
  rwp_threshold rwp_v0 rwp_v3                          RWP, 10 steps, on PGD-AT's loss over the selected rows
                                                       alone, scaled by |S|/B (Robustlab's default masked loss)
  rwp_cfa_threshold rwp_cfa_v0 rwp_cfa_v3              RWP, 10 steps, on CFA's loss with the unselected terms
                                                       zeroed on the full batch

The semantics are those of ../shared/METHODS.md and Robustlab's Javadoc, written here independently in PyTorch.
The checked-in objectives-expected.txt is `--seed 5` from torch 1.13.
"""
import argparse
import copy

import torch
import torch.nn as nn
import torch.nn.functional as F

B, D, H, K = 6, 5, 8, 4


def build(seed):
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(D, H), nn.BatchNorm1d(H), nn.ReLU(), nn.Linear(H, K))
    momentum = (torch.tensor(1.0, dtype=torch.float32) - torch.tensor(0.9, dtype=torch.float32)).item()
    model[1].momentum = momentum
    with torch.no_grad():
        model[1].weight.copy_(1 + 0.2 * torch.randn(H))
        model[1].bias.copy_(0.1 * torch.randn(H))
        model[1].running_mean.copy_(0.2 * torch.randn(H))
        model[1].running_var.copy_(0.5 + torch.rand(H))
    return model, momentum


def set_tracking(model, on):
    for module in model.modules():
        if isinstance(module, nn.BatchNorm1d):
            module.track_running_stats = on


def label_probability(logits, y):
    return logits.detach().softmax(1)[torch.arange(len(y)), y]


def roles(p_nat, p_col, p_adv):
    stacked = torch.stack([p_nat, p_col, p_adv])
    return stacked.argmin(0), stacked.argmax(0)


def pick(role, nat, col, adv):
    shape = (-1,) + (1,) * (nat.dim() - 1)
    r = role.view(shape)
    return torch.where(r == 0, nat, torch.where(r == 1, col, adv))


def symmetric_kl(upper, lower):
    return 0.5 * (F.kl_div(F.log_softmax(upper, 1), F.softmax(lower.detach(), 1), reduction='batchmean')
                  + F.kl_div(F.log_softmax(lower, 1), F.softmax(upper.detach(), 1), reduction='batchmean'))


def jensen_shannon(a, b):
    log_p, log_q = F.log_softmax(a, 1), F.log_softmax(b, 1)
    p, q = log_p.exp(), log_q.exp()
    log_m = (0.5 * (p + q)).log()
    return (0.5 * (p * (log_p - log_m)).sum(1) + 0.5 * (q * (log_q - log_m)).sum(1)).mean()


def squared_l2(a, b):
    return ((F.softmax(a, 1) - F.softmax(b, 1)) ** 2).sum(1).mean()


REGULARIZERS = {'kl': symmetric_kl, 'js': jensen_shannon, 'l2': squared_l2}


def st_loss(model, x, x_col, x_adv, y, beta, regularizer):
    model.train()
    set_tracking(model, False)
    col = model(x_col)
    set_tracking(model, True)
    nat = model(x)
    adv = model(x_adv)
    up, lo = roles(label_probability(nat, y), label_probability(col, y), label_probability(adv, y))
    return F.cross_entropy(nat, y) + beta * REGULARIZERS[regularizer](pick(up, nat, col, adv),
                                                                      pick(lo, nat, col, adv))


def project(point, x, eps):
    return torch.clamp(torch.min(torch.max(point, x - eps), x + eps), 0.0, 1.0)


def st_generate(model, x, y, adv_start, col_start, eps, alpha, steps):
    model.train()
    set_tracking(model, False)
    with torch.no_grad():
        nat_logit = model(x)
    p_nat = label_probability(nat_logit, y)
    x_adv, x_col = adv_start.clone(), col_start.clone()
    for _ in range(steps):
        x_col = x_col.detach().requires_grad_()
        x_adv = x_adv.detach().requires_grad_()
        col = model(x_col)
        adv = model(x_adv)
        up, lo = roles(p_nat, label_probability(col, y), label_probability(adv, y))
        inputs = [x_col, x_adv]
        nat = nat_logit
        if ((up == 0) | (lo == 0)).any():
            x_nat = x.clone().requires_grad_()
            nat = model(x_nat)
            inputs.append(x_nat)
        loss = symmetric_kl(pick(up, nat, col, adv), pick(lo, nat, col, adv))
        grads = torch.autograd.grad(loss, inputs, allow_unused=True)
        grads = [torch.zeros_like(x) if g is None else g for g in grads]
        g_col, g_adv = grads[0], grads[1]
        g_nat = grads[2] if len(grads) == 3 else torch.zeros_like(x)
        points = (x, x_col.detach(), x_adv.detach())
        new_adv = pick(up, *points) + alpha * torch.sign(pick(up, g_nat, g_col, g_adv))
        new_col = pick(lo, *points) + alpha * torch.sign(pick(lo, g_nat, g_col, g_adv))
        x_adv, x_col = project(new_adv, x, eps), project(new_col, x, eps)
    set_tracking(model, True)
    return x_col.detach(), x_adv.detach()


def class_values(r, eps, beta, lambda1, lambda2):
    class_eps = torch.tensor([(lambda1 + rk) * eps for rk in r], dtype=torch.float32)
    effective = [(lambda2 + rk) * beta for rk in r]
    class_beta = torch.tensor([e / (1 + e) for e in effective], dtype=torch.float32)
    return class_eps, class_beta


def kl_attack(model, x, start, radius, alpha, steps):
    model.eval()
    with torch.no_grad():
        target = F.softmax(model(x), 1)
    x_adv = project(start.clone(), x, radius)
    for _ in range(steps):
        x_adv = x_adv.detach().requires_grad_()
        loss = F.kl_div(F.log_softmax(model(x_adv), 1), target, reduction='sum')
        grad = torch.autograd.grad(loss, [x_adv])[0]
        x_adv = project(x_adv.detach() + alpha * torch.sign(grad), x, radius)
    return x_adv.detach()


def cfa_terms(model, x, x_adv, y, class_beta):
    model.train()
    nat = model(x)
    adv = model(x_adv)
    ce = F.cross_entropy(nat, y, reduction='none')
    kl = F.kl_div(F.log_softmax(adv, 1), F.softmax(nat, 1), reduction='none').sum(1)
    b = class_beta[y]
    return (1 - b) * ce + b * kl, adv


def scaled(direction, weight, gamma):
    return gamma * weight.norm() / (direction.norm() + 1e-20) * direction


def weight_perturbation(model, gamma, steps, loss_and_logits, y, threshold=None):
    """Robustlab's AWP/RWP: D += grad of the (masked) loss at w + v; v = gamma ||w|| D / ||D|| per layer."""
    weights = [model[0].weight, model[3].weight]
    original = [w.detach().clone() for w in weights]
    directions = [torch.zeros_like(w) for w in weights]
    perturbation = [torch.zeros_like(w) for w in weights]
    saved = copy.deepcopy(model.state_dict())
    for _ in range(steps):
        with torch.no_grad():
            for w, w0, v in zip(weights, original, perturbation):
                w.copy_(w0 + v)
        selected = None
        if threshold is not None:
            with torch.no_grad():
                _, logits = loss_and_logits(None)
                ce = F.cross_entropy(logits, y, reduction='none')
            margin = (ce - threshold).abs().min().item()
            assert margin > 1e-3, 'cross-entropy too close to the threshold: %g' % margin
            selected = ce < threshold
            if not selected.any():
                break
        loss, _ = loss_and_logits(selected)
        grads = torch.autograd.grad(loss, weights)
        directions = [d + g for d, g in zip(directions, grads)]
        perturbation = [scaled(d, w0, gamma) for d, w0 in zip(directions, original)]
    model.load_state_dict(saved)
    return perturbation


def write(out, name, values):
    if isinstance(values, torch.Tensor):
        values = values.detach().reshape(-1).tolist()
    elif not isinstance(values, (list, tuple)):
        values = [values]
    out.write(name + ' ' + ' '.join('%.9g' % v for v in values) + '\n')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--out', required=True)
    parser.add_argument('--seed', type=int, default=5)
    args = parser.parse_args()

    model, momentum = build(args.seed)
    x = 0.05 + 0.9 * torch.rand(B, D)
    y = torch.tensor([0, 1, 2, 3, 1, 2])
    eps, alpha, steps, beta = 0.1, 0.03, 3, 6.0
    x_col = torch.clamp(x + eps * (2 * torch.rand(B, D) - 1), 0, 1)
    x_adv = torch.clamp(x + eps * (2 * torch.rand(B, D) - 1), 0, 1)
    adv_start = x + 0.001 * torch.randn(B, D)
    col_start = x + 0.001 * torch.randn(B, D)

    out = open(args.out, 'w')
    out.write('# torch %s, objectives_reference.py --seed %d\n' % (torch.__version__, args.seed))
    write(out, 'w0', model[0].weight)
    write(out, 'b0', model[0].bias)
    write(out, 'gamma', model[1].weight)
    write(out, 'beta', model[1].bias)
    write(out, 'running_mean', model[1].running_mean)
    write(out, 'running_var', model[1].running_var)
    write(out, 'w3', model[3].weight)
    write(out, 'b3', model[3].bias)
    write(out, 'momentum', momentum)
    for name, value in [('x', x), ('y', y.float()), ('x_col', x_col), ('x_adv', x_adv), ('adv_start', adv_start),
                        ('col_start', col_start)]:
        write(out, name, value)
    write(out, 'eps', eps)
    write(out, 'alpha', alpha)
    write(out, 'steps', steps)
    write(out, 'st_beta', beta)

    for regularizer in ['kl', 'js', 'l2']:
        m = copy.deepcopy(model)
        loss = st_loss(m, x, x_col, x_adv, y, beta, regularizer)
        write(out, 'st_loss_' + regularizer, loss.item())
        write(out, 'st_grad_w0_' + regularizer, torch.autograd.grad(loss, [m[0].weight])[0])
        if regularizer == 'kl':
            write(out, 'st_running_mean_after', m[1].running_mean)
            write(out, 'st_running_var_after', m[1].running_var)

    m = copy.deepcopy(model)
    before = (m[1].running_mean.clone(), m[1].running_var.clone())
    gen_col, gen_adv = st_generate(m, x, y, adv_start, col_start, eps, alpha, steps)
    assert torch.equal(before[0], m[1].running_mean) and torch.equal(before[1], m[1].running_var)
    write(out, 'stgen_x_col', gen_col)
    write(out, 'stgen_x_adv', gen_adv)

    r, lambda1, lambda2 = [0.9, 0.2, 0.5, 0.0], 0.5, 0.5
    class_eps, class_beta = class_values(r, eps, beta, lambda1, lambda2)
    write(out, 'cfa_r', r)
    write(out, 'cfa_lambda1', lambda1)
    write(out, 'cfa_lambda2', lambda2)
    m = copy.deepcopy(model)
    write(out, 'cfa_x_adv', kl_attack(m, x, adv_start, class_eps[y].view(-1, 1), alpha, steps))
    m = copy.deepcopy(model)
    terms, _ = cfa_terms(m, x, x_adv, y, class_beta)
    loss = terms.mean()
    write(out, 'cfa_loss', loss.item())
    write(out, 'cfa_grad_w0', torch.autograd.grad(loss, [m[0].weight])[0])

    gamma = 0.01
    write(out, 'awp_gamma', gamma)
    m = copy.deepcopy(model)
    m.train()

    def pgd_at(selected):
        if selected is None:
            logits = m(x_adv)
            return F.cross_entropy(logits, y), logits
        logits = m(x_adv[selected])
        return F.cross_entropy(logits, y[selected]) * selected.sum().item() / B, logits

    v = weight_perturbation(m, gamma, 1, pgd_at, y)
    write(out, 'awp_v0', v[0])
    write(out, 'awp_v3', v[1])

    with torch.no_grad():
        m.train()
        ce = F.cross_entropy(copy.deepcopy(m)(x_adv), y, reduction='none').sort().values
    threshold = 0.5 * (ce[2] + ce[3]).item()
    write(out, 'rwp_threshold', threshold)

    def pgd_at_full(selected):
        logits = m(x_adv)
        return F.cross_entropy(logits, y), logits

    def rwp_pgd_at(selected):
        return pgd_at_full(None) if selected is None else pgd_at(selected)

    v = weight_perturbation(m, gamma, 10, rwp_pgd_at, y, threshold)
    write(out, 'rwp_v0', v[0])
    write(out, 'rwp_v3', v[1])

    def cfa(selected):
        terms, adv = cfa_terms(m, x, x_adv, y, class_beta)
        if selected is None:
            return terms.mean(), adv
        return (terms * selected.float()).mean(), adv

    with torch.no_grad():
        _, adv = cfa_terms(copy.deepcopy(m), x, x_adv, y, class_beta)
        ce = F.cross_entropy(adv, y, reduction='none').sort().values
    threshold = 0.5 * (ce[1] + ce[2]).item()
    write(out, 'rwp_cfa_threshold', threshold)
    v = weight_perturbation(m, gamma, 10, cfa, y, threshold)
    write(out, 'rwp_cfa_v0', v[0])
    write(out, 'rwp_cfa_v3', v[1])
    out.close()


if __name__ == '__main__':
    main()
