"""The zoo test's fixed check figure (zoo/README.md, Tests/.../Training/ZooModelTests.cs),
from int8 features written by `MicroT.Teacher int8-features`: nearest class mean (Euclidean)
on full and part features; class means from the first 100 images per class of the
Fashion-MNIST train split, scored on the first 100 images per class of its test split.

  python3 tools/training/card_check.py artifacts/training/int8
"""
import sys, os
import numpy as np


def main(folder):
    for kind in ("full", "part"):
        pool = np.load(os.path.join(folder, f"int8_fashion_pool_{kind}.npy"))      # 1,000 per class
        pool_labels = np.load(os.path.join(folder, "int8_fashion_pool_labels.npy"))
        test = np.load(os.path.join(folder, f"int8_fashion_test_{kind}.npy"))      # 1,000 per class
        test_labels = np.load(os.path.join(folder, "int8_fashion_test_labels.npy"))
        first = lambda labels: np.arange(len(labels)) % 1000 < 100
        tr, te = first(pool_labels), first(test_labels)
        means = np.stack([pool[tr][pool_labels[tr] == c].mean(axis=0) for c in range(10)])
        d = ((test[te][:, None, :] - means[None]) ** 2).sum(axis=2)
        acc = 100 * (d.argmin(axis=1) == test_labels[te]).mean()
        print(f"nearest class mean, int8 {kind} features: {acc:.1f}%")


if __name__ == "__main__":
    main(sys.argv[1])
