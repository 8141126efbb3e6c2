"""PyTorch peer of the Adult MLP benchmark (test/bench/ml.mjs): usage adult_mlp_torch.py TRAIN.csv TEST.csv [SEED].

Same model and schedule as `xinzhi train --model mlp --epochs 10 --batch-size 256 --learning-rate 0.001`:
Linear(108, 64) ReLU Linear(64, 64) ReLU Linear(64, 1) sigmoid (BCE on logits), Glorot-uniform weights, zero biases,
Adam 1e-3, batch 256, 10 epochs, a fresh shuffle per epoch. Encoding: adult_encoding.py (one-hot incl. `?`,
standardised numerics, fitted on the training rows).

To train on as many rows as Xinzhi does, the training rows are a seeded stratified 70% of TRAIN (Xinzhi keeps 70% for
training, 15% validation, 15% test); after each epoch the validation loss is computed on a further 15% (forward only),
as Xinzhi's epoch loop does. Timed with time.perf_counter:
  loopMs      the epochs alone (shuffle, batches, forward, backward, step)
  loopValMs   the epochs plus the per-epoch validation loss (Xinzhi's trainMs also covers this)
  encodeMs    reading + encoding both files (outside both)
for torch.set_num_threads(1) and (2); each run starts from the same seeded initialisation. Test accuracy on TEST.
Prints one JSON line.
"""
import json
import os
import sys
import time

t_process = time.perf_counter()
import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from adult_encoding import Encoder, read_rows  # noqa: E402

EPOCHS, BATCH, LR = 10, 256, 1e-3


def stratified_split(y, seed):
    rng = np.random.RandomState(seed)
    train, val = [], []
    for label in (0, 1):
        idx = np.flatnonzero(y == label)
        rng.shuffle(idx)
        n_train = int(round(len(idx) * 0.70))
        n_val = int(round(len(idx) * 0.15))
        train.extend(idx[:n_train])
        val.extend(idx[n_train : n_train + n_val])
    return np.array(sorted(train)), np.array(sorted(val))


def build(cols, seed):
    torch.manual_seed(seed)
    model = torch.nn.Sequential(
        torch.nn.Linear(cols, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 1)
    )
    for m in model:
        if isinstance(m, torch.nn.Linear):
            torch.nn.init.xavier_uniform_(m.weight)
            torch.nn.init.zeros_(m.bias)
    return model


def run(threads, X, y, Xv, yv, Xt, yt, seed):
    torch.set_num_threads(threads)
    model = build(X.shape[1], seed)
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    gen = torch.Generator().manual_seed(seed)
    n = X.shape[0]
    loop = 0.0
    val_time = 0.0
    history = []
    for _ in range(EPOCHS):
        t = time.perf_counter()
        model.train()
        order = torch.randperm(n, generator=gen)
        total = 0.0
        for start in range(0, n, BATCH):
            idx = order[start : start + BATCH]
            opt.zero_grad()
            loss = loss_fn(model(X[idx]).squeeze(1), y[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        loop += time.perf_counter() - t
        t = time.perf_counter()
        with torch.no_grad():
            model.eval()
            val_loss = loss_fn(model(Xv).squeeze(1), yv).item()
        val_time += time.perf_counter() - t
        history.append({"loss": round(total / n, 4), "valLoss": round(val_loss, 4)})
    with torch.no_grad():
        acc = ((model(Xt).squeeze(1) > 0).float() == yt).float().mean().item()
    return {"threads": threads, "loopMs": round(loop * 1000, 1), "loopValMs": round((loop + val_time) * 1000, 1), "testAccuracy": acc, "history": history}


def main():
    train_path, test_path = sys.argv[1], sys.argv[2]
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 42
    t = time.perf_counter()
    train_rows, test_rows = read_rows(train_path), read_rows(test_path)
    enc = Encoder(train_rows)
    X_all, y_all = enc.transform(train_rows)
    Xt, yt = enc.transform(test_rows)
    encode_ms = (time.perf_counter() - t) * 1000
    tr, va = stratified_split(y_all, seed)
    X, y = torch.from_numpy(X_all[tr]), torch.from_numpy(y_all[tr])
    Xv, yv = torch.from_numpy(X_all[va]), torch.from_numpy(y_all[va])
    Xt, yt = torch.from_numpy(Xt), torch.from_numpy(yt)
    runs = [run(threads, X, y, Xv, yv, Xt, yt, seed) for threads in (1, 2)]
    print(
        json.dumps(
            {
                "peer": f"torch {torch.__version__}",
                "features": X.shape[1],
                "trainRows": int(X.shape[0]),
                "validationRows": int(Xv.shape[0]),
                "testRows": int(Xt.shape[0]),
                "encodeMs": round(encode_ms, 1),
                "runs": runs,
                "processMs": round((time.perf_counter() - t_process) * 1000, 1),
            }
        )
    )


main()
