"""Shared Adult encoding for the ML benchmark peers (test/bench/ml.mjs).

Reads the clean CSVs that ml.mjs writes (header, label <=50K / >50K) and encodes them as Xinzhi's pipeline does:
one-hot of the 8 categorical columns with `?` kept as a level (levels fitted on the training rows; a level unseen in
training is all zeros), and the 6 numeric columns standardised with the training mean and population std -> 108
features. Label: 1 for >50K.
"""
import csv

import numpy as np

CATEGORICAL = ["workclass", "education", "marital-status", "occupation", "relationship", "race", "sex", "native-country"]
NUMERIC = ["age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week"]
TARGET = "income"
POSITIVE = ">50K"


def read_rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


class Encoder:
    def __init__(self, rows):
        self.levels = {c: sorted({r[c] for r in rows}) for c in CATEGORICAL}
        num = np.array([[float(r[c]) for c in NUMERIC] for r in rows])
        self.mean = num.mean(axis=0)
        std = num.std(axis=0)
        self.std = np.where(std > 0, std, 1.0)
        self.index = {c: {v: i for i, v in enumerate(self.levels[c])} for c in CATEGORICAL}
        self.width = len(NUMERIC) + sum(len(v) for v in self.levels.values())

    def transform(self, rows):
        X = np.zeros((len(rows), self.width), dtype=np.float32)
        num = np.array([[float(r[c]) for c in NUMERIC] for r in rows])
        X[:, : len(NUMERIC)] = (num - self.mean) / self.std
        offset = len(NUMERIC)
        for c in CATEGORICAL:
            idx = self.index[c]
            for i, r in enumerate(rows):
                j = idx.get(r[c])
                if j is not None:
                    X[i, offset + j] = 1.0
            offset += len(idx)
        y = np.array([1 if r[TARGET] == POSITIVE else 0 for r in rows], dtype=np.float32)
        return X, y
