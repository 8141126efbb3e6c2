"""numpy peer of the fairness benchmark: the same point metrics over the same coded arrays, and a bootstrap.

Reads DIR/{a,b}.i32 (sensitive codes), DIR/y.u8, DIR/p.u8 written by test/bench/fairness.mjs; prints one JSON line.
Point metrics: per intersection group n, base rate, selection rate, accuracy, TPR, FPR, FNR, TNR, PPV, NPV, FDR,
FOR; Fairlearn's DP/EO/equal-opportunity difference and ratio over groups with n >= 30; disparate impact and the
ratio of every metric to the largest group. Bootstrap: numpy's multinomial over the (group x label x prediction)
counts, the same resampling scheme as Xinzhi's (equal in distribution to resampling rows).
"""
import json
import sys
import time

import numpy as np

d = sys.argv[1]
B = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
a = np.fromfile(f'{d}/a.i32', dtype=np.int32)
b = np.fromfile(f'{d}/b.i32', dtype=np.int32)
y = np.fromfile(f'{d}/y.u8', dtype=np.uint8)
p = np.fromfile(f'{d}/p.u8', dtype=np.uint8)
nb = int(b.max()) + 1


def rates(c):
    tn, fp, fn, tp = c[:, 0], c[:, 1], c[:, 2], c[:, 3]
    n = c.sum(axis=1)
    with np.errstate(divide='ignore', invalid='ignore'):
        m = np.stack([(tp + fn) / n, (tp + fp) / n, (tp + tn) / n, tp / (tp + fn), fp / (fp + tn), fn / (tp + fn),
                      tn / (fp + tn), tp / (tp + fp), tn / (tn + fn), fp / (tp + fp), fn / (tn + fn)], axis=1)
    return n, m


def disparities(n, m, compared):
    sel, tpr, fpr = m[compared, 1], m[compared, 3], m[compared, 4]
    dp = (np.nanmax(sel) - np.nanmin(sel), np.nanmin(sel) / np.nanmax(sel))
    t = (np.nanmax(tpr) - np.nanmin(tpr), np.nanmin(tpr) / np.nanmax(tpr))
    f = (np.nanmax(fpr) - np.nanmin(fpr), np.nanmin(fpr) / np.nanmax(fpr))
    return np.array([dp[0], dp[1], max(t[0], f[0]), min(t[1], f[1]), t[0]])


def point():
    key = (a.astype(np.int64) * nb + b) * 4 + y * 2 + p
    counts = np.bincount(key, minlength=(int(a.max()) + 1) * nb * 4).reshape(-1, 4)
    counts = counts[counts.sum(axis=1) > 0]
    n, m = rates(counts)
    compared = n >= 30
    ref = int(np.argmax(n))
    with np.errstate(divide='ignore', invalid='ignore'):
        di = m[:, 1] / m[ref, 1]
        ratios = m / m[ref]
    return counts, n, m, disparities(n, m, compared), di, ratios, compared


def best_of(fn, k=5):
    times = []
    out = None
    for _ in range(k):
        t0 = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return min(times), sorted(times)[len(times) // 2], out


point_min, point_median, (counts, n, m, disp, di, ratios, compared) = best_of(point)


def bootstrap():
    rng = np.random.default_rng(42)
    flat = counts.reshape(-1).astype(np.float64)
    draws = rng.multinomial(int(flat.sum()), flat / flat.sum(), size=B).reshape(B, -1, 4)
    out_m = np.empty((B,) + m.shape)
    out_d = np.empty((B, 5))
    for i in range(B):
        nn, mm = rates(draws[i])
        out_m[i] = mm
        out_d[i] = disparities(nn, mm, compared)
    return np.nanpercentile(out_m, [2.5, 97.5], axis=0), np.nanpercentile(out_d, [2.5, 97.5], axis=0)


boot_min, boot_median, (ci_m, ci_d) = best_of(bootstrap, 1)
print(json.dumps({
    'pointMs': point_min, 'pointMedianMs': point_median, 'bootstrapMs': boot_min, 'resamples': B,
    'groups': int(len(n)), 'disparities': disp.tolist(), 'numpy': np.__version__,
    'dpDiffCi': ci_d[:, 0].tolist(),
}))
