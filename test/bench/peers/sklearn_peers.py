"""scikit-learn peers of the ML benchmark (test/bench/ml.mjs). Prints one JSON line.

usage: sklearn_peers.py ADULT_TRAIN.csv ADULT_TEST.csv AI4I.csv OUT_DIR

adult   LogisticRegression(max_iter=1000) (lbfgs, C=1) on adult_encoding.py's 108 features, fitted on all of
        ADULT_TRAIN, accuracy on ADULT_TEST; fitMs = the .fit call alone (time.perf_counter).
ai4i    features Type (one-hot) + Air temperature [K], Process temperature [K], Rotational speed [rpm], Torque [Nm],
        Tool wear [min]; the failure-mode flags TWF/HDF/PWF/OSF/RNF leak the target and are left out. A stratified
        70/30 split (train_test_split, random_state=0); RandomForestClassifier(random_state=0) and
        LogisticRegression(max_iter=1000, class_weight='balanced') on standardised features; F1 of the failure class
        on the 30%. The split's rows are written to OUT_DIR/ai4i-train.csv and OUT_DIR/ai4i-test.csv (original column
        names, features + Machine failure) so that Xinzhi trains and is evaluated on the same rows.
"""
import csv
import json
import os
import sys
import time

import numpy as np
import sklearn
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from adult_encoding import Encoder, read_rows  # noqa: E402

AI4I_NUMERIC = ["Air temperature [K]", "Process temperature [K]", "Rotational speed [rpm]", "Torque [Nm]", "Tool wear [min]"]
AI4I_TARGET = "Machine failure"


def adult(train_path, test_path):
    train_rows, test_rows = read_rows(train_path), read_rows(test_path)
    enc = Encoder(train_rows)
    X, y = enc.transform(train_rows)
    Xt, yt = enc.transform(test_rows)
    lr = LogisticRegression(max_iter=1000)
    t = time.perf_counter()
    lr.fit(X, y)
    fit_ms = (time.perf_counter() - t) * 1000
    return {"features": X.shape[1], "trainRows": len(y), "testRows": len(yt), "logistic": {"fitMs": round(fit_ms, 1), "iterations": int(lr.n_iter_[0]), "testAccuracy": accuracy_score(yt, lr.predict(Xt))}}


def ai4i(path, out_dir):
    rows = read_rows(path)
    types = sorted({r["Type"] for r in rows})
    X = np.array([[float(r[c]) for c in AI4I_NUMERIC] + [1.0 if r["Type"] == t else 0.0 for t in types] for r in rows])
    y = np.array([int(r[AI4I_TARGET]) for r in rows])
    idx_train, idx_test = train_test_split(np.arange(len(rows)), test_size=0.3, stratify=y, random_state=0)
    for name, idx in (("ai4i-train.csv", idx_train), ("ai4i-test.csv", idx_test)):
        with open(os.path.join(out_dir, name), "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["Type", *AI4I_NUMERIC, AI4I_TARGET])
            for i in sorted(idx):
                w.writerow([rows[i]["Type"], *(rows[i][c] for c in AI4I_NUMERIC), rows[i][AI4I_TARGET]])
    rf = RandomForestClassifier(random_state=0)
    t = time.perf_counter()
    rf.fit(X[idx_train], y[idx_train])
    rf_ms = (time.perf_counter() - t) * 1000
    scaler = StandardScaler().fit(X[idx_train])
    lr = LogisticRegression(max_iter=1000, class_weight="balanced")
    t = time.perf_counter()
    lr.fit(scaler.transform(X[idx_train]), y[idx_train])
    lr_ms = (time.perf_counter() - t) * 1000
    return {
        "trainRows": len(idx_train),
        "testRows": len(idx_test),
        "testFailures": int(y[idx_test].sum()),
        "randomForest": {"fitMs": round(rf_ms, 1), "f1": f1_score(y[idx_test], rf.predict(X[idx_test]))},
        "logisticBalanced": {"fitMs": round(lr_ms, 1), "f1": f1_score(y[idx_test], lr.predict(scaler.transform(X[idx_test])))},
    }


def main():
    adult_train, adult_test, ai4i_path, out_dir = sys.argv[1:5]
    print(json.dumps({"peer": f"scikit-learn {sklearn.__version__}", "adult": adult(adult_train, adult_test), "ai4i": ai4i(ai4i_path, out_dir)}))


main()
