"""Linear-probe evaluation of float extractors (docs/TRAINING.md, "Evaluation").

For each extractor ((a) joint, (b) unoptimized, (c) random weights) and each task
(Fashion-MNIST: samples from its train split, scored on its 10,000 test images; MNIST: samples
from its train split, scored on its 5,000 test images), draws n labelled samples per class
(n = 20 and 100; numpy default_rng(seed), seeds 0..S-1), standardizes features with the
samples' mean/std, fits multinomial logistic regression (L2, C = 1, as the MicroT reference)
on part features and on full features, and reports test accuracy (mean over seeds). Staged
r = 0.5: the threshold is the median part-classifier confidence (max softmax) over the test
images, so half of them are answered by the part classifier and the rest by the full one.

  python3 tools/training/evaluate.py --model joint=DIR --model unoptimized=DIR --model random= --out results.json
"""
import argparse, json, os, time
import numpy as np
import torch
from sklearn.linear_model import LogisticRegression

import common
from student import Student

TASKS = {"fashion": ("fashion_train", "fashion_test"), "mnist": ("mnist_train", "mnist_test")}


@torch.no_grad()
def features(student, images, batch=1000):
    parts, fulls = [], []
    for i in range(0, len(images), batch):
        p, f = student(common.to_input(images[i: i + batch]))
        parts.append(p.numpy())
        fulls.append(f.numpy())
    return np.concatenate(parts), np.concatenate(fulls)


def sample(labels, per_class, seed):
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.choice(np.flatnonzero(labels == c), per_class, replace=False)
                           for c in range(labels.max() + 1)])


def probe(train_x, train_y, test_x):
    mean, std = train_x.mean(axis=0), train_x.std(axis=0) + 1e-6
    clf = LogisticRegression(C=1.0, max_iter=3000)
    clf.fit((train_x - mean) / std, train_y)
    return clf.predict_proba((test_x - mean) / std)


def evaluate(student, data, shots, seeds):
    out = {}
    for task, (train_name, test_name) in TASKS.items():
        train_images, train_labels = data[train_name]
        test_images, test_labels = data[test_name]
        test_part, test_full = features(student, test_images)
        for n in shots:
            rows = {"part": [], "full": [], "staged_r0.5": []}
            for seed in range(seeds):
                idx = sample(train_labels, n, seed)
                tr_part, tr_full = features(student, train_images[idx])
                p_part = probe(tr_part, train_labels[idx], test_part)
                p_full = probe(tr_full, train_labels[idx], test_full)
                pred_part, pred_full = p_part.argmax(1), p_full.argmax(1)
                conf = p_part.max(1)
                use_part = conf >= np.median(conf)
                staged = np.where(use_part, pred_part, pred_full)
                rows["part"].append((pred_part == test_labels).mean())
                rows["full"].append((pred_full == test_labels).mean())
                rows["staged_r0.5"].append((staged == test_labels).mean())
            out[f"{task}_{n}"] = {k: round(100 * float(np.mean(v)), 2) for k, v in rows.items()}
            out[f"{task}_{n}"].update({k + "_std": round(100 * float(np.std(v)), 2) for k, v in rows.items()})
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", action="append", required=True,
                   help="NAME=DIR with student.pt, or NAME= for random weights (seed 1234)")
    p.add_argument("--shots", default="20,100")
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--data", default=None)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    common.setup_torch(a.threads)
    data = {name: (common.load(name + "_images", a.data), common.load(name + "_labels", a.data))
            for pair in TASKS.values() for name in pair}
    shots = [int(s) for s in a.shots.split(",")]
    results = {}
    for spec in a.model:
        name, folder = spec.split("=", 1)
        torch.manual_seed(1234)
        student = Student()
        if folder:
            student.load_state_dict(torch.load(os.path.join(folder, "student.pt")))
        student.eval()
        start = time.time()
        results[name] = evaluate(student, data, shots, a.seeds)
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
