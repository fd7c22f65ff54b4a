"""Python torch implementations of Robustlab's evaluation attacks, l-inf, for the side-by-side benchmark.

Each mirrors the Java class of dev.robustlab.ml.attack (same algorithm, same defaults, same per-example rules); only
the random numbers differ (torch generators here, SplittableRandom there). Every attack has
    run(model, x, y, generator) -> (adversarial, success)
with x (B, C, H, W) float32 in [0,1], y (B) int64, adversarial like x inside B_eps(x) and [0,1], success (B) bool.
The model returns logits; its parameters are frozen (no parameter gradients) and it runs in eval mode.

    Pgd              Pgd.java: PGD-K, random start, last iterate (pgd-20 on CE, cw-inf on the CW margin)
    Apgd             Apgd.java: APGD (Croce & Hein 2020, Algorithm 1), CE by default
    ApgdTargeted     ApgdTargeted.java: APGD on the targeted DLR, one run per target (2nd..10th class)
    FabTargeted      fra31/auto-attack's FAB-T (fab_base.py, fab_projections.py), as the Java Fab.java
    Square           Square.java: Square l-inf, margin loss, per-example windows
    AutoAttack       autoattack/AutoAttack.java: a sequence, each attack on the points still robust
"""
import math

import torch
import torch.nn.functional as F

TINY = 1e-12


# ---------------------------------------------------------------- losses (loss/LogitLoss.java, loss/DlrLoss.java)

def cross_entropy(logits, y):
    """-log softmax(z)_y per example."""
    return F.cross_entropy(logits, y, reduction="none")


def cw_margin(logits, y):
    """max_{k != y} z_k - z_y per example (positive exactly when misclassified)."""
    true = logits.gather(1, y[:, None])[:, 0]
    other = logits.masked_fill(F.one_hot(y, logits.shape[1]).bool(), float("-inf")).amax(1)
    return other - true


def targeted_dlr(targets):
    """DLR_T(z, y, t) = -(z_y - z_t) / (z_pi1 - (z_pi3 + z_pi4)/2 + 1e-12), pi the decreasing order."""
    def loss(logits, y):
        ordered = logits.sort(1).values
        true = logits.gather(1, y[:, None])[:, 0]
        target = logits.gather(1, targets[:, None])[:, 0]
        scale = ordered[:, -1] - 0.5 * (ordered[:, -3] + ordered[:, -4]) + TINY
        return -(true - target) / scale
    return loss


LOSSES = {"ce": cross_entropy, "cw": cw_margin}


# ---------------------------------------------------------------- helpers (Batches.java)

def freeze(model):
    model.eval()
    for p in model.parameters():
        p.requires_grad_(False)
    return model


def gradient(model, point, y, loss):
    """(grad of sum_i loss_i at point, loss per example, misclassified per example), on a fresh leaf."""
    with torch.enable_grad():
        leaf = point.detach().requires_grad_(True)
        logits = model(leaf)
        values = loss(logits, y)
        grad, = torch.autograd.grad(values.sum(), leaf)
    return grad, values.detach(), logits.detach().argmax(1) != y


@torch.no_grad()
def misclassified(model, x, y):
    return model(x).argmax(1) != y


def per_example(v, like):
    """A (B) tensor as (B, 1, ..., 1) broadcasting against like."""
    return v.view(-1, *([1] * (like.dim() - 1)))


def linf_size(a, b):
    return (a - b).abs().flatten(1).amax(1)


def random_direction(shape, generator):
    """u / ||u||_inf per example, u ~ U(-1, 1)^d (APGD's and FAB's starting directions)."""
    u = torch.rand(shape, generator=generator) * 2 - 1
    return u / (u.abs().flatten(1).amax(1).view(-1, *([1] * (len(shape) - 1))) + TINY)


def select(mask, a, b):
    """Per example, mask[i] ? a[i] : b[i]."""
    return torch.where(per_example(mask, a), a, b)


def ranking(model, x):
    """Classes by decreasing clean logit, and whether each example is misclassified clean."""
    with torch.no_grad():
        logits = model(x)
    return logits.argsort(1, descending=True), logits.argmax(1), logits.shape[1]


# ---------------------------------------------------------------- PGD (Pgd.java)

class Pgd:
    """x0 = clip(x + U(-eps, eps)), x_{t+1} = clip_{B_eps(x) & [0,1]}(x_t + alpha sign grad loss); the last iterate."""

    def __init__(self, eps, alpha, steps=20, loss="ce", random_start=True, id=None):
        self.eps, self.alpha, self.steps, self.loss = eps, alpha, steps, LOSSES[loss]
        self.random_start = random_start
        self.id = id or f"pgd-{steps}"

    def run(self, model, x, y, generator):
        lower, upper = (x - self.eps).clamp(min=0), (x + self.eps).clamp(max=1)
        if self.random_start:
            noise = (torch.rand(x.shape, generator=generator) * 2 - 1) * self.eps
            adv = torch.max(torch.min(x + noise, upper), lower)
        else:
            adv = x.clone()
        for _ in range(self.steps):
            with torch.enable_grad():
                leaf = adv.detach().requires_grad_(True)
                grad, = torch.autograd.grad(self.loss(model(leaf), y).sum(), leaf)
            adv = torch.max(torch.min(adv + self.alpha * grad.sign(), upper), lower)
        return adv, misclassified(model, adv, y)


# ---------------------------------------------------------------- APGD (Apgd.java)

def apgd_checkpoints(n):
    """0, 22, 41, 57, 70, 80, 87, 93, 99 for n = 100 (the reference's integer schedule)."""
    interval, shrink, shortest = max(22 * n // 100, 1), max(3 * n // 100, 1), max(6 * n // 100, 1)
    points, position = [0], interval
    while position <= n:
        points.append(position)
        interval = max(interval - shrink, shortest)
        position += interval
    return points


class Apgd:
    """Auto-PGD, l-inf: momentum 0.75, step 2 eps halved at the checkpoints (rho = 0.75), restart from x_max."""

    MOMENTUM = 0.75

    def __init__(self, eps, steps=100, loss="ce", rho=0.75, restarts=1, id=None):
        self.eps, self.steps, self.rho, self.restarts = eps, steps, rho, restarts
        self.loss = LOSSES[loss] if isinstance(loss, str) else loss
        self.id = id or ("apgd-" + loss if isinstance(loss, str) else "apgd")

    def run(self, model, x, y, generator):
        best_adv, best_success, best_loss = self.attack_once(model, x, y, self.loss, generator)
        for _ in range(1, self.restarts):
            adv, success, loss = self.attack_once(model, x, y, self.loss, generator)
            # Outcome.orWorse: a success beats a failure; between failures the higher loss wins
            take = (success & ~best_success) | (~success & ~best_success & (loss > best_loss))
            best_adv, best_loss = select(take, adv, best_adv), torch.where(take, loss, best_loss)
            best_success = best_success | success
        return best_adv, best_success

    def attack_once(self, model, x, y, loss, generator):
        eps = self.eps
        lower, upper = (x - eps).clamp(min=0), (x + eps).clamp(max=1)

        def project(v):
            return torch.max(torch.min(v, upper), lower)

        checkpoints = apgd_checkpoints(self.steps)
        x_adv = (x + eps * random_direction(x.shape, generator)).clamp(0, 1)
        grad, loss_now, wrong = gradient(model, x_adv, y, loss)
        x_old, x_best, grad_best, x_best_adv = x_adv.clone(), x_adv.clone(), grad.clone(), x_adv.clone()
        success = wrong.clone()
        loss_best = loss_now.clone()
        loss_after = [loss_now]
        batch = x.shape[0]
        eta = torch.full((batch,), 2 * eps, dtype=torch.float32)
        halved_last = torch.ones(batch, dtype=torch.bool)
        loss_best_last = loss_best.clone()
        next_check = 1
        for k in range(self.steps):
            a = self.MOMENTUM if k > 0 else 1.0
            z = project(x_adv + per_example(eta, x) * grad.sign())
            moved = project(x_adv + a * (z - x_adv) + (1 - a) * (x_adv - x_old))
            g, l, w = gradient(model, moved, y, loss)
            success |= w
            improved = l > loss_best
            loss_best = torch.where(improved, l, loss_best)
            loss_after.append(l)
            x_best_adv = select(w, moved, x_best_adv)
            x_best = select(improved, moved, x_best)
            grad_best = select(improved, g, grad_best)
            next_x, next_grad = moved, g
            if next_check < len(checkpoints) and k + 1 == checkpoints[next_check]:
                interval = checkpoints[next_check] - checkpoints[next_check - 1]
                # the interval's steps k+1-interval .. k; loss_after[0] is the starting point's loss
                increases = sum((loss_after[j + 1] > loss_after[j]).int() for j in range(k + 1 - interval, k + 1))
                halve = (increases <= self.rho * interval) | (~halved_last & (loss_best_last >= loss_best))
                halved_last = halve
                loss_best_last = loss_best.clone()
                eta = torch.where(halve, eta / 2, eta)
                if bool(halve.any()):
                    next_x = select(halve, x_best, moved)
                    next_grad = select(halve, grad_best, g)
                next_check += 1
            x_old, x_adv, grad = x_adv, next_x, next_grad
        return select(success, x_best_adv, x_best), success, loss_best


class ApgdTargeted:
    """APGD-T: APGD on DLR_T towards the (r+1)-th most likely clean class, r = 1..T, on the points still robust."""

    def __init__(self, eps, steps=100, targets=9, rho=0.75, id="apgd-t"):
        self.apgd = Apgd(eps, steps=steps, rho=rho)
        self.targets, self.id = targets, id

    def run(self, model, x, y, generator):
        order, predicted, classes = ranking(model, x)
        if classes < 4:
            raise ValueError(f"APGD-T needs at least 4 classes, got {classes}")
        success = predicted != y
        adversarial = x.clone()
        for r in range(1, min(self.targets, classes - 1) + 1):
            rows = (~success).nonzero().squeeze(1)
            if rows.numel() == 0:
                break
            adv, hit, _ = self.apgd.attack_once(model, x[rows], y[rows], targeted_dlr(order[rows, r]), generator)
            take = hit if r > 1 else torch.ones_like(hit)
            adversarial[rows[take]] = adv[take]
            success[rows] = success[rows] | hit
        return adversarial, success


# ---------------------------------------------------------------- FAB-T (fra31/auto-attack fab_base.py; Fab.java)

def project_linf_hyperplane(t, w, b):
    """The smallest l-inf step delta with <w, t + delta> = b and t + delta in [0,1]^d, per row of t, w (N, d), b (N).

    Every coordinate moves the helpful way, delta_j = s_j a_j, s_j = sign(w_j (b - <w,t>)), a_j <= m_j (its room to
    the box); the optimum is a_j = min(tau, m_j) with G(tau) = sum_j |w_j| min(tau, m_j) = |b - <w,t>|. G is
    piecewise linear in tau with breakpoints m_j: sorted ascending, G(m_(k)) = S_k + m_(k) R_k with S_k the gain of
    the k saturated coordinates and R_k the slope of the others. When the hyperplane is out of reach (G(max m) <
    |b - <w,t>|) the step goes to the box corner, delta_j = s_j m_j, as in the reference's projection_linf.
    """
    needed = b - (w * t).sum(1)
    direction = w.sign() * needed.sign()[:, None]
    room = torch.where(direction > 0, 1 - t, t).clamp(min=0)
    weight = w.abs()
    order = room.argsort(1)
    sorted_room = room.gather(1, order)
    sorted_weight = weight.gather(1, order)
    gain = sorted_weight * sorted_room
    saturated_before = gain.cumsum(1) - gain
    slope_from = (sorted_weight.sum(1, keepdim=True) - (sorted_weight.cumsum(1) - sorted_weight)).clamp(min=0)
    at_breakpoint = saturated_before + sorted_room * slope_from
    goal = needed.abs()[:, None]
    below = (at_breakpoint < goal).sum(1, keepdim=True)
    d = t.shape[1]
    reachable = below < d
    segment = below.clamp(max=d - 1)
    tau = ((goal - saturated_before.gather(1, segment)) / slope_from.gather(1, segment).clamp(min=TINY)).clamp(min=0)
    amount = torch.where(reachable, torch.min(tau, room), room)
    return direction * amount


class FabTargeted:
    """FAB-T, l-inf: per target (2nd..10th clean class) and restart, N iterations of the boundary projection walk.

    x_{i+1} = clip((1 - a)(x_i + eta d1) + a (x + eta d2)), d1, d2 the projections of x_i and x onto the
    linearised boundary z_t - z_y = 0, a = min(|d1| / (|d1| + |d2|), alpha_max); after a success x_{i+1} <- x +
    beta (x_{i+1} - x). A point is broken when the smallest adversarial found has |x' - x|_inf <= eps.
    """

    def __init__(self, eps, steps=100, alpha_max=0.1, eta=1.05, beta=0.9, restarts=1, targets=9, id="fab-t"):
        self.eps, self.steps, self.alpha_max, self.eta, self.beta = eps, steps, alpha_max, eta, beta
        self.restarts, self.targets, self.id = restarts, targets, id

    def run(self, model, x, y, generator):
        order, predicted, classes = ranking(model, x)
        success = predicted != y
        smallest = torch.full((x.shape[0],), float("inf"))
        adversarial = x.clone()
        for r in range(1, min(self.targets, classes - 1) + 1):
            for restart in range(self.restarts):
                rows = (~success).nonzero().squeeze(1)
                if rows.numel() == 0:
                    break
                radius = None if restart == 0 else smallest[rows].clamp(max=self.eps) / 2
                adv, size = self.attack_once(model, x[rows], y[rows], order[rows, r], radius, generator)
                smallest[rows] = torch.min(smallest[rows], size)
                take = size <= self.eps
                success[rows] = success[rows] | take
                adversarial[rows[take]] = adv[take]
        return adversarial, success

    def attack_once(self, model, x, y, target, radius, generator):
        batch = x.shape[0]
        flat_x = x.flatten(1)
        if radius is None:
            current = x.clone()
        else:
            current = (x + random_direction(x.shape, generator) * per_example(radius, x)).clamp(0, 1)
        best = x.clone()
        smallest = torch.full((batch,), float("inf"))

        def difference(logits, labels):
            return logits.gather(1, target[:, None])[:, 0] - logits.gather(1, labels[:, None])[:, 0]

        for _ in range(self.steps):
            grad, value, _ = gradient(model, current, y, difference)
            w = grad.flatten(1)
            flat_current = current.flatten(1)
            b = (w * flat_current).sum(1) - value
            delta = project_linf_hyperplane(torch.cat((flat_current, flat_x)), torch.cat((w, w)), torch.cat((b, b)))
            lengths = delta.abs().amax(1).clamp(min=1e-8)
            d1, d2, l1, l2 = delta[:batch], delta[batch:], lengths[:batch], lengths[batch:]
            alpha = (l1 / (l1 + l2)).clamp(0, self.alpha_max)[:, None]
            moved = ((flat_current + self.eta * d1) * (1 - alpha) + (flat_x + self.eta * d2) * alpha).clamp(0, 1)
            moved = moved.view_as(x)
            wrong = misclassified(model, moved, y)
            size = linf_size(moved, x)
            closer = wrong & (size < smallest)
            smallest = torch.where(closer, size, smallest)
            best = select(closer, moved, best)
            current = select(wrong, x + self.beta * (moved - x), moved)
        return best, smallest


# ---------------------------------------------------------------- Square (Square.java)

def square_fraction(p_init, iteration, budget):
    """The paper's piecewise constant schedule of p, rescaled from 10 000 iterations to the budget."""
    it = int(iteration / budget * 10000)
    for limit, divisor in ((10, 1), (50, 2), (200, 4), (500, 8), (1000, 16), (2000, 32), (4000, 64),
                           (6000, 128), (8000, 256)):
        if it <= limit:
            return p_init / divisor
    return p_init / 512


class Square:
    """Square l-inf: random search on the margin z_y - max_{k!=y} z_k over vertical-stripe starts and windows of
    side round(sqrt(p h w)) set to a vertex of the ball, one position and sign per channel drawn per example."""

    def __init__(self, eps, queries=5000, p_init=0.8, restarts=1, id="square"):
        self.eps, self.queries, self.p_init, self.restarts, self.id = eps, queries, p_init, restarts, id

    @staticmethod
    @torch.no_grad()
    def query(model, points, y):
        logits = model(points)
        true = logits.gather(1, y[:, None])[:, 0]
        other = logits.masked_fill(F.one_hot(y, logits.shape[1]).bool(), float("-inf")).amax(1)
        return true - other, logits.argmax(1) != y

    @torch.no_grad()
    def run(self, model, x, y, generator):
        if x.dim() != 4:
            raise ValueError(f"Square here takes images (B, C, H, W), got {tuple(x.shape)}")
        _, channels, height, width = x.shape
        best = x.clone()
        _, success = self.query(model, x, y)
        success = success.clone()
        row_index = torch.arange(height).view(1, 1, height, 1)
        col_index = torch.arange(width).view(1, 1, 1, width)
        for restart in range(self.restarts):
            rows = (~success).nonzero().squeeze(1)
            if rows.numel() == 0:
                break
            xs, ys = x[rows], y[rows]
            n = rows.numel()
            lower, upper = xs - self.eps, xs + self.eps
            stripes = torch.randint(0, 2, (n, channels, 1, width), generator=generator).float() * 2 - 1
            points = (xs + self.eps * stripes).clamp(0, 1)
            margin, broken = self.query(model, points, ys)
            margin, broken = margin.clone(), broken.clone()
            for iteration in range(self.queries):
                active = (~broken).nonzero().squeeze(1)
                if active.numel() == 0:
                    break
                p = square_fraction(self.p_init, iteration, self.queries)
                side = min(max(int(round(math.sqrt(p * height * width))), 1), min(height, width))
                m = active.numel()
                top = torch.randint(0, height - side + 1, (m, 1, 1, 1), generator=generator)
                left = torch.randint(0, width - side + 1, (m, 1, 1, 1), generator=generator)
                step = (torch.randint(0, 2, (m, channels, 1, 1), generator=generator).float() * 2 - 1) * (2 * self.eps)
                window = ((row_index >= top) & (row_index < top + side)
                          & (col_index >= left) & (col_index < left + side))
                current = points[active]
                moved = torch.min(torch.max(current + step, lower[active]), upper[active]).clamp(0, 1)
                candidate = torch.where(window, moved, current)
                new_margin, wrong = self.query(model, candidate, ys[active])
                accept = wrong | (new_margin < margin[active])
                if bool(accept.any()):
                    taken = active[accept]
                    margin[taken] = new_margin[accept]
                    broken[taken] = wrong[accept]
                    points[taken] = candidate[accept]
            keep = torch.ones_like(broken) if restart == 0 else broken
            best[rows[keep]] = points[keep]
            success[rows] = broken
        return best, success


# ---------------------------------------------------------------- AutoAttack (autoattack/AutoAttack.java)

BALL_TOLERANCE = 1e-5
SQUARE_TOLERANCE = 0.002


def standard_components(eps, iterations=100, queries=5000):
    return [Apgd(eps, steps=iterations, loss="ce", id="apgd-ce"), ApgdTargeted(eps, steps=iterations, targets=9),
            FabTargeted(eps, steps=iterations, targets=9), Square(eps, queries=queries, p_init=0.8)]


def evaluation_attack(attack_id, eps, alpha):
    """The attack an id of the Java side's Attacks.evaluation names (l-inf)."""
    if attack_id == "pgd-20":
        return Pgd(eps, alpha, steps=20, loss="ce", id=attack_id)
    if attack_id == "cw-inf":
        return Pgd(eps, alpha, steps=20, loss="cw", id=attack_id)
    if attack_id == "apgd-ce":
        return Apgd(eps, loss="ce", id=attack_id)
    if attack_id == "apgd-t":
        return ApgdTargeted(eps)
    if attack_id == "fab-t":
        return FabTargeted(eps)
    if attack_id == "square":
        return Square(eps)
    if attack_id == "autoattack":
        return AutoAttack(eps, standard_components(eps), version="standard")
    raise ValueError(f"unknown attack '{attack_id}'; known: {', '.join(KNOWN)}")


KNOWN = ["pgd-20", "cw-inf", "apgd-ce", "apgd-t", "fab-t", "square", "autoattack"]


class AutoAttack:
    """Each component runs on the points still robust; a point is broken only when the model gets the returned
    point wrong and it lies in B_eps(x) & [0,1] (tolerance 1e-5), so the components' own flags are not trusted."""

    def __init__(self, eps, components, version="custom", sanity_checks=True):
        self.eps, self.components, self.version, self.sanity_checks = eps, components, version, sanity_checks
        self.id = "autoattack-" + version

    def component_ids(self):
        return [c.id for c in self.components]

    def run(self, model, x, y, generator):
        report = self.evaluate(model, x, y, [torch.Generator().manual_seed(
            int(torch.randint(0, 2 ** 62, (1,), generator=generator))) for _ in self.components])
        return report["adversarial"], ~report["robust"]

    def evaluate(self, model, x, y, generators, timings=None):
        """clean (B) bool, robust_after [per component (B) bool], robust (B) bool, adversarial, warnings."""
        with torch.no_grad():
            outputs = model(x)
        clean = outputs.argmax(1) == y
        warnings = []
        if self.sanity_checks:
            warnings += sanity_checks(model, x, y, outputs, check_random=self.version != "rand")
        robust = clean.clone()
        adversarial = x.clone()
        after, steps = [], []
        for component, generator in zip(self.components, generators):
            rows = robust.nonzero().squeeze(1)
            broken = 0
            started = _now()
            if rows.numel() > 0:
                points, _ = component.run(model, x[rows], y[rows], generator)
                points = points.detach()
                with torch.no_grad():
                    wrong = model(points).argmax(1) != y[rows]
                inside = ((points >= -BALL_TOLERANCE) & (points <= 1 + BALL_TOLERANCE)).flatten(1).all(1) \
                    & (linf_size(points, x[rows]) <= self.eps + BALL_TOLERANCE)
                if bool((~inside).any()):
                    warnings.append(f"{component.id} returned {int((~inside).sum())} points outside "
                                    f"B_eps(x) & [0,1]^d; they were not counted")
                hit = inside & wrong
                robust[rows[hit]] = False
                adversarial[rows[hit]] = points[hit]
                broken = int(hit.sum())
            if timings is not None:
                timings[component.id] = timings.get(component.id, 0.0) + _now() - started
            after.append(robust.clone())
            steps.append((component.id, rows.numel(), broken))
        if self.sanity_checks:
            white_box_before = False
            for attack_id, attacked, broken in steps:
                if attack_id.startswith("square"):
                    if white_box_before and broken > SQUARE_TOLERANCE * x.shape[0]:
                        warnings.append(f"{attack_id} (black-box) broke {broken} points that the white-box attacks "
                                        f"before it left robust: possible gradient masking")
                    break
                white_box_before |= attacked > 0
        return {"clean": clean, "robust_after": after, "robust": robust, "adversarial": adversarial,
                "warnings": warnings}


def sanity_checks(model, x, y, outputs, check_random=True):
    """SanityChecks.java: probabilities instead of logits, zero input gradients, a randomised model."""
    warnings = []
    if bool(((outputs >= -1e-5) & (outputs <= 1 + 1e-5)).all()) and bool(((outputs.sum(1) - 1).abs() < 1e-5).all()):
        warnings.append("the model's outputs look like probabilities (in [0,1], rows sum to 1): the attacks need "
                        "logits")
    grad, _, _ = gradient(model, x, y, cross_entropy)
    zero = int((grad.abs().flatten(1).sum(1) < 1e-10).sum())
    if zero > 0:
        warnings.append(f"{zero} of {x.shape[0]} points have a zero gradient")
    if check_random:
        with torch.no_grad():
            second = model(x)
        a = outputs / (outputs.norm(dim=1, keepdim=True) + 1e-10)
        b = second / (second.norm(dim=1, keepdim=True) + 1e-10)
        if bool(((a - b).abs() > 1e-4).any()) or bool((outputs.argmax(1) != second.argmax(1)).any()):
            warnings.append("two forward passes on the same inputs differ: the model seems randomised")
    return warnings


def _now():
    import time
    return time.perf_counter()
