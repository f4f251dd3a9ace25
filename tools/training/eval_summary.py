"""Mean over `microt eval` runs (one per seed of the shot draw) of what the extractor targets
are about (docs/TRAINING.md): per task and head, full features (full-only), part features
(r = 1), staged r = 0.5, the raw-pixel baseline, and the differences in points.

  python3 tools/training/eval_summary.py artifacts/training/eval-joint-{1,2,3}

With --compare, joint against unoptimized over training seeds: each DIR is one training seed's
train_pair.sh output (eval-joint-{1,2,3} and eval-unoptimized-{1,2,3} inside); per task the mean
over the seeds of each seed's 3-draw mean, and the range over the seeds.

  python3 tools/training/eval_summary.py --compare artifacts/training artifacts/training/seed-{1,2}
"""
import json, os, sys
import numpy as np


def means(folders):
    """(task, head) -> mean accuracy in % of full, part, staged, raw over the folders' runs."""
    rows = {}
    for f in folders:
        r = json.load(open(os.path.join(f, "results.json")))
        for row in r["rows"]:
            key = (row["task"], row["head"])
            d = rows.setdefault(key, {"full": [], "part": [], "staged": [], "raw": [], "held": row["heldOut"], "shots": r["shots"]})
            if row["setting"] == "full-only":
                d["full"].append(row["accuracy"])
            elif row["targetRatio"] == 1:
                d["part"].append(row["accuracy"])
            elif row["targetRatio"] == 0.5:
                d["staged"].append(row["accuracy"])
        for b in r.get("baselines", []):
            rows[(b["task"], b["head"])]["raw"].append(b["accuracy"])
    out = {}
    for key, d in rows.items():
        m = {k: 100 * float(np.mean(d[k])) for k in ("full", "part", "staged", "raw")}
        m["held"], m["shots"] = d["held"], d["shots"]
        out[key] = m
    return out


def table(folders):
    print(f"mean of {len(folders)} shot draws ({', '.join(os.path.basename(f) for f in folders)}); accuracy in %, differences in points\n")
    print("| task | head | k | held-out | raw pixels | part (r = 1) | full (full-only) | staged r = 0.5 | full - raw | part - raw | staged - full |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (task, head), m in means(folders).items():
        print(f"| {task} | {head} | {m['shots']} | {m['held']} | {m['raw']:.1f} | {m['part']:.1f} | {m['full']:.1f} | {m['staged']:.1f} | "
              f"{m['full'] - m['raw']:+.1f} | {m['part'] - m['raw']:+.1f} | {m['staged'] - m['full']:+.1f} |")


def compare(seed_dirs):
    # (model, measure, task) -> one value per training seed (each the mean of its 3 shot draws)
    diffs = {}
    for sd in seed_dirs:
        got = {model: means([os.path.join(sd, f"eval-{model}-{s}") for s in (1, 2, 3)]) for model in ("joint", "unoptimized")}
        for model, rows in got.items():
            for key, m in rows.items():
                for name, v in (("full - raw", m["full"] - m["raw"]), ("part - raw", m["part"] - m["raw"]),
                                ("staged - full", m["staged"] - m["full"])):
                    diffs.setdefault((model, name, key), []).append(v)
        for key, m in got["joint"].items():
            u = got["unoptimized"][key]
            for name in ("part", "staged"):
                diffs.setdefault(("joint - unoptimized", name, key), []).append(m[name] - u[name])
    tasks = list(dict.fromkeys(k for (_, _, k) in diffs))
    print(f"joint vs unoptimized over {len(seed_dirs)} training seeds ({', '.join(seed_dirs)}); each seed the mean of 3 shot "
          "draws; mean over the seeds, [min, max] over the seeds, points\n")
    cols = [(model, name) for name in ("full - raw", "part - raw", "staged - full") for model in ("joint", "unoptimized")]
    cols += [("joint - unoptimized", "part"), ("joint - unoptimized", "staged")]
    print("| task | head | " + " | ".join(f"{name}, {model}" for model, name in cols) + " |")
    print("|---|---|" + "---:|" * len(cols))
    for key in tasks:
        cells = []
        for model, name in cols:
            v = diffs.get((model, name, key), [])
            cells.append(f"{np.mean(v):+.1f} [{min(v):+.1f}, {max(v):+.1f}]" if v else "-")
        print(f"| {key[0]} | {key[1]} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    args = sys.argv[1:]
    if not args or args[0] in ("-h", "--help"):
        print(__doc__.strip())
        sys.exit(0 if args else 2)
    if args[0] == "--compare":
        compare(args[1:])
    else:
        table(args)
