"""Linear-probe evaluation of extractors, float (PyTorch) or int8 (MicroT runtime features)
(docs/TRAINING.md, "Evaluation").

Tasks: Fashion-MNIST (labelled samples drawn from its train split, first 1,000 images per
class; scored on its 10,000 test images) and MNIST (samples from its train split, 500 per
digit; scored on its 5,000 test images). For n = 20 and 100 samples per class (numpy
default_rng(seed), seeds 0..S-1): features standardized with the samples' mean/std,
multinomial logistic regression (L2, C = 1, as the MicroT reference) fitted on part features
and on full features; test accuracy, mean over seeds. Staged r = 0.5: the threshold is the
median part-classifier confidence (max softmax) over the test images, so half of them are
answered by the part classifier and the rest by the full one.

  python3 tools/training/evaluate.py --model joint=DIR --model random= --int8 joint-int8=DIR --out results.json
"""
import argparse, json, os, time
import numpy as np
import torch
from sklearn.linear_model import LogisticRegression

import common
from student import Student

SETS = ("fashion_pool", "fashion_test", "mnist_train", "mnist_test")
TASKS = {"fashion": ("fashion_pool", "fashion_test"), "mnist": ("mnist_train", "mnist_test")}
FASHION_POOL_PER_CLASS, FASHION_TRAIN_PER_CLASS = 1000, 6000


def load_sets(folder):
    train_images, train_labels = common.load("fashion_train_images", folder), common.load("fashion_train_labels", folder)
    pool = np.flatnonzero(np.arange(len(train_labels)) % FASHION_TRAIN_PER_CLASS < FASHION_POOL_PER_CLASS)
    return {
        "fashion_pool": (train_images[pool], train_labels[pool]),
        "fashion_test": (common.load("fashion_test_images", folder), common.load("fashion_test_labels", folder)),
        "mnist_train": (common.load("mnist_train_images", folder), common.load("mnist_train_labels", folder)),
        "mnist_test": (common.load("mnist_test_images", folder), common.load("mnist_test_labels", folder)),
    }


@torch.no_grad()
def torch_features(student, sets, batch=1000):
    out = {}
    for name, (images, labels) in sets.items():
        parts, fulls = [], []
        for i in range(0, len(images), batch):
            p, f = student(common.to_input(images[i: i + batch]))
            parts.append(p.numpy())
            fulls.append(f.numpy())
        out[name] = (np.concatenate(parts), np.concatenate(fulls), labels)
    return out


def int8_features(folder, sets):
    out = {}
    for name in SETS:
        labels = np.load(os.path.join(folder, f"int8_{name}_labels.npy"))
        if not np.array_equal(labels, sets[name][1]):
            raise SystemExit(f"{folder}: int8_{name} labels differ from the data set's")
        out[name] = (np.load(os.path.join(folder, f"int8_{name}_part.npy")),
                     np.load(os.path.join(folder, f"int8_{name}_full.npy")), labels)
    return out


def sample(labels, per_class, seed):
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.choice(np.flatnonzero(labels == c), per_class, replace=False)
                           for c in range(labels.max() + 1)])


def probe(train_x, train_y, test_x):
    mean, std = train_x.mean(axis=0), train_x.std(axis=0) + 1e-6
    clf = LogisticRegression(C=1.0, max_iter=3000)
    clf.fit((train_x - mean) / std, train_y)
    return clf.predict_proba((test_x - mean) / std)


def evaluate(feats, shots, seeds):
    out = {}
    for task, (train_name, test_name) in TASKS.items():
        tr_part_all, tr_full_all, train_labels = feats[train_name]
        test_part, test_full, test_labels = feats[test_name]
        for n in shots:
            rows = {"part": [], "full": [], "staged_r0.5": []}
            for seed in range(seeds):
                idx = sample(train_labels, n, seed)
                p_part = probe(tr_part_all[idx], train_labels[idx], test_part)
                p_full = probe(tr_full_all[idx], train_labels[idx], test_full)
                pred_part, pred_full = p_part.argmax(1), p_full.argmax(1)
                conf = p_part.max(1)
                staged = np.where(conf >= np.median(conf), pred_part, pred_full)
                rows["part"].append((pred_part == test_labels).mean())
                rows["full"].append((pred_full == test_labels).mean())
                rows["staged_r0.5"].append((staged == test_labels).mean())
            r = {k: round(100 * float(np.mean(v)), 2) for k, v in rows.items()}
            r.update({k + "_std": round(100 * float(np.std(v)), 2) for k, v in rows.items()})
            out[f"{task}_{n}"] = r
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", action="append", default=[],
                   help="NAME=DIR with student.pt (float), or NAME= for random weights (seed 1234)")
    p.add_argument("--int8", action="append", default=[],
                   help="NAME=DIR with int8_*.npy from `MicroT.Teacher int8-features`")
    p.add_argument("--shots", default="20,100")
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--data", default=None)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    common.setup_torch(a.threads)
    sets = load_sets(a.data)
    shots = [int(s) for s in a.shots.split(",")]
    results = {}
    for spec in a.model + a.int8:
        name, folder = spec.split("=", 1)
        start = time.time()
        if spec in a.int8:
            feats = int8_features(folder, sets)
        else:
            torch.manual_seed(1234)
            student = Student()
            if folder:
                student.load_state_dict(torch.load(os.path.join(folder, "student.pt")))
            student.eval()
            feats = torch_features(student, sets)
        results[name] = evaluate(feats, shots, a.seeds)
        print(name, json.dumps(results[name]), f"({time.time() - start:.0f} s)", flush=True)
    with open(a.out, "w") as f:
        json.dump(results, f, indent=1)
    print_table(results)


def print_table(results):
    keys = list(next(iter(results.values())).keys())
    print("| extractor | features | " + " | ".join(keys) + " |")
    print("|---|---|" + "---|" * len(keys))
    for name, r in results.items():
        for kind in ("part", "full", "staged_r0.5"):
            print(f"| {name} | {kind} | " + " | ".join(f"{r[k][kind]:.1f}" for k in keys) + " |")


if __name__ == "__main__":
    main()
