"""Reference values of Robustlab's training objectives, computed with PyTorch in float64.

ObjectiveLossPythonTest runs this script with Debian's python3 when it can import torch, and otherwise reads the
checked-in objective_losses-expected.txt, which is this script's output (regenerate it with
`/usr/bin/python3 objective_losses.py --out objective_losses-expected.txt`).

The model is a tiny MLP, z = W2 tanh(W1 x + b1) + b2, with the fixed weights below; the clean batch x, the
adversarial batch x' and the labels are given (no attack runs). Every value is rounded to float32 first, so Java's
float32 model holds exactly these numbers. The losses follow the reference code of each method (TRADES, MART, MAIL)
and ../shared/METHODS.md; for each case the script writes the loss and its gradient with respect to W1, b1, W2, b2.
"""
import argparse

import torch
import torch.nn.functional as F

W1 = [[1.2, -0.7, 0.5], [-0.4, 1.5, -1.1], [0.9, 0.3, -1.6], [-1.3, -0.8, 1.0]]
B1 = [0.1, -0.2, 0.3, 0.05]
W2 = [[1.4, -1.1, 0.6, -0.3], [-0.9, 1.3, -0.5, 0.8], [0.2, -0.6, 1.7, -1.2]]
B2 = [0.05, -0.1, 0.15]
X = [[0.10, 0.80, 0.30], [0.95, 0.20, 0.60], [0.40, 0.40, 0.90], [0.00, 1.00, 0.50]]
X_ADV = [[0.20, 0.70, 0.40], [0.85, 0.30, 0.50], [0.30, 0.50, 1.00], [0.10, 0.90, 0.40]]
Y = [1, 0, 2, 1]

# (method id, parameters): each method at its defaults and at other values
CASES = [
    ("alp", {"lambda": 0.5}), ("alp", {"lambda": 2.0}),
    ("trades", {"beta": 6.0}), ("trades", {"beta": 1.0}),
    ("mart", {"beta": 6.0}), ("mart", {"beta": 2.5}),
    ("mail-at", {"bias": -1.5, "slope": 1.0}), ("mail-at", {"bias": 0.2, "slope": 3.0}),
    ("mail-trades", {"beta": 6.0, "bias": -1.5, "slope": 1.0}),
    ("mail-trades", {"beta": 2.0, "bias": 0.5, "slope": 2.0}),
    ("mail-mart", {"beta": 6.0, "bias": -1.5, "slope": 1.0}),
    ("mail-mart", {"beta": 3.0, "bias": -0.5, "slope": 5.0}),
    ("nmse", {"mu": 4.0, "ce_on_clean": 0.0}), ("nmse", {"mu": 1.5, "ce_on_clean": 1.0}),
]


def tensor(values):
    return torch.tensor(values, dtype=torch.float32).double()


def mail_weight(logits_adv, y, bias, slope):
    """MAIL's weight_assign: 3·sigmoid((PM + bias)·slope), PM = max_{k≠y} p_k − p_y, detached."""
    probs = logits_adv.softmax(1)
    eye = torch.eye(probs.shape[1], dtype=probs.dtype)
    probs_true = (probs * eye[y]).sum(1)
    top2 = probs.topk(2, largest=True)
    true_in_top2 = (top2[1] == y.view(-1, 1)).double().sum(1) == 1
    probs_second = torch.where(true_in_top2, top2[0].sum(1) - probs_true, top2[0][:, 0])
    return (((probs_second - probs_true) + bias) * slope).sigmoid().detach() * 3


def mart_terms(logits, logits_adv, y):
    """MART's per-example BCE and weighted KL, with the exact logarithms (no 1.0001, 1e-12, 1.0000001)."""
    adv_probs = F.softmax(logits_adv, dim=1)
    tmp1 = torch.argsort(adv_probs, dim=1)[:, -2:]
    new_y = torch.where(tmp1[:, -1] == y, tmp1[:, -2], tmp1[:, -1])
    bce = F.cross_entropy(logits_adv, y, reduction='none') \
        + F.nll_loss(torch.log(1 - adv_probs), new_y, reduction='none')
    nat_probs = F.softmax(logits, dim=1)
    true_probs = torch.gather(nat_probs, 1, y.unsqueeze(1)).squeeze(1)
    kl = F.kl_div(torch.log(adv_probs), nat_probs, reduction='none').sum(1) * (1 - true_probs)
    return bce, kl


def loss(method, p, model, x, x_adv, y):
    if method == "alp":
        both = model(torch.cat([x, x_adv]))
        logits, logits_adv = both[:len(x)], both[len(x):]
        return F.cross_entropy(both, torch.cat([y, y])) + p["lambda"] * ((logits - logits_adv) ** 2).sum(1).mean()
    logits = model(x)
    logits_adv = model(x_adv)
    if method == "trades":
        return F.cross_entropy(logits, y) + p["beta"] * F.kl_div(
            F.log_softmax(logits_adv, dim=1), F.softmax(logits, dim=1), reduction='batchmean')
    if method == "mart":
        bce, kl = mart_terms(logits, logits_adv, y)
        return bce.mean() + p["beta"] * kl.mean()
    if method == "mail-at":
        weight = mail_weight(logits_adv, y, p["bias"], p["slope"])
        return (F.cross_entropy(logits_adv, y, reduction='none') * weight).mean()
    if method == "mail-trades":
        weight = mail_weight(logits_adv, y, p["bias"], p["slope"])
        kl = F.kl_div(F.log_softmax(logits_adv, dim=1), F.softmax(logits, dim=1), reduction='none').sum(1)
        return F.cross_entropy(logits, y) + p["beta"] * (kl * weight).mean()
    if method == "mail-mart":
        weight = mail_weight(logits_adv, y, p["bias"], p["slope"])
        bce, kl = mart_terms(logits, logits_adv, y)
        return (bce * weight).mean() + p["beta"] * kl.mean()
    if method == "nmse":
        ce = F.cross_entropy(logits if p["ce_on_clean"] == 1 else logits_adv, y)
        weight = (1 - F.softmax(logits, dim=1).gather(1, y.unsqueeze(1)).squeeze(1)).detach()
        distance = ((F.normalize(logits_adv, dim=1) - F.normalize(logits, dim=1)) ** 2).sum(1)
        return ce + p["mu"] * (weight * distance).mean()
    raise ValueError(method)


def numbers(values):
    return " ".join(repr(float(v)) for v in values)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    w1, b1, w2, b2 = (tensor(v).requires_grad_() for v in (W1, B1, W2, B2))
    x, x_adv = tensor(X), tensor(X_ADV)
    y = torch.tensor(Y, dtype=torch.int64)

    def model(inputs):
        return torch.tanh(inputs @ w1.T + b1) @ w2.T + b2

    lines = ["# objective_losses.py: tiny tanh MLP (W1 4x3, b1, W2 3x4, b2), batch of 4; float64 PyTorch "
             + torch.__version__,
             "shape %d %d %d %d" % (len(X), len(X[0]), len(W1), len(W2))]
    for name, value in (("w1", w1), ("b1", b1), ("w2", w2), ("b2", b2), ("x", x), ("x_adv", x_adv)):
        lines.append(name + " " + numbers(value.detach().flatten().tolist()))
    lines.append("y " + " ".join(str(v) for v in Y))
    for method, p in CASES:
        for parameter in (w1, b1, w2, b2):
            parameter.grad = None
        value = loss(method, p, model, x, x_adv, y)
        value.backward()
        key = method + " " + ",".join("%s=%r" % (k, v) for k, v in p.items())
        lines.append("loss " + key + " " + repr(value.item()))
        gradient = torch.cat([t.grad.flatten() for t in (w1, b1, w2, b2)])
        lines.append("grad " + key + " " + numbers(gradient.tolist()))
    with open(args.out, "w") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
