"""Surprise's SVD (biased SGD, Funk/Koren) and BaselineOnly re-written with numpy: Surprise itself is not installed.
Same defaults as surprise.SVD: 100 factors, 20 epochs, lr 0.005, reg 0.02, factors ~ N(0, 0.1), biases from 0,
ratings visited in a shuffled order each epoch, predictions clipped to the rating scale. BaselineOnly: ALS, 10 epochs,
reg_u 15, reg_i 10. Input: a JSON file {"nUsers", "nItems", "folds": [{"train": [[u, i, r], ...], "test": [...]}]}.
Prints one JSON line: per fold RMSE and fit time (perf_counter) of both."""
import json, sys, time
import numpy as np

def svd_fit(u, i, r, n_users, n_items, rng, factors=100, epochs=20, lr=0.005, reg=0.02):
    mu = r.mean()
    bu = np.zeros(n_users); bi = np.zeros(n_items)
    P = rng.normal(0, 0.1, (n_users, factors)); Q = rng.normal(0, 0.1, (n_items, factors))
    uu = u.tolist(); ii = i.tolist(); rr = r.tolist()
    for _ in range(epochs):
        for t in rng.permutation(len(rr)).tolist():
            a = uu[t]; b = ii[t]
            pu = P[a]; qi = Q[b]
            e = rr[t] - (mu + bu[a] + bi[b] + pu.dot(qi))
            bu[a] += lr * (e - reg * bu[a])
            bi[b] += lr * (e - reg * bi[b])
            P[a] = pu + lr * (e * qi - reg * pu)
            Q[b] = qi + lr * (e * pu - reg * qi)
    return mu, bu, bi, P, Q

def baseline_fit(u, i, r, n_users, n_items, epochs=10, reg_u=15, reg_i=10):
    mu = r.mean()
    bu = np.zeros(n_users); bi = np.zeros(n_items)
    nu = np.bincount(u, minlength=n_users); ni = np.bincount(i, minlength=n_items)
    for _ in range(epochs):
        bi = np.bincount(i, weights=r - mu - bu[u], minlength=n_items) / (reg_i + ni)
        bu = np.bincount(u, weights=r - mu - bi[i], minlength=n_users) / (reg_u + nu)
    return mu, bu, bi

def rmse(pred, r, lo, hi):
    return float(np.sqrt(np.mean((np.clip(pred, lo, hi) - r) ** 2)))

def main():
    data = json.load(open(sys.argv[1]))
    n_users, n_items = data['nUsers'], data['nItems']
    out = []
    for k, fold in enumerate(data['folds']):
        tr = np.array(fold['train']); te = np.array(fold['test'])
        u, i, r = tr[:, 0].astype(np.int64), tr[:, 1].astype(np.int64), tr[:, 2]
        tu, ti, tr_ = te[:, 0].astype(np.int64), te[:, 1].astype(np.int64), te[:, 2]
        lo, hi = float(r.min()), float(r.max())
        t0 = time.perf_counter()
        mu, bu, bi, P, Q = svd_fit(u, i, r, n_users, n_items, np.random.default_rng(k))
        svd_ms = (time.perf_counter() - t0) * 1000
        svd = rmse(mu + bu[tu] + bi[ti] + np.einsum('ij,ij->i', P[tu], Q[ti]), tr_, lo, hi)
        t0 = time.perf_counter()
        mu, bu, bi = baseline_fit(u, i, r, n_users, n_items)
        base_ms = (time.perf_counter() - t0) * 1000
        base = rmse(mu + bu[tu] + bi[ti], tr_, lo, hi)
        out.append({'fold': k + 1, 'svdRmse': svd, 'svdFitMs': round(svd_ms, 1), 'baselineRmse': base, 'baselineFitMs': round(base_ms, 1)})
    print(json.dumps({'peer': 'numpy ' + np.__version__ + ' re-implementation of surprise.SVD / BaselineOnly', 'folds': out}))

main()
