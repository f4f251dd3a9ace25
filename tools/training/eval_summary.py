"""Mean over `microt eval` runs (one per seed of the shot draw) of what the extractor targets
are about (docs/TRAINING.md): per task and head, full features (full-only), part features
(r = 1), staged r = 0.5, the raw-pixel baseline, and the differences in points.

  python3 tools/training/eval_summary.py artifacts/training/eval-joint-{1,2,3}
"""
import json, os, sys
import numpy as np


def main(folders):
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
    print(f"mean of {len(folders)} shot draws ({', '.join(os.path.basename(f) for f in folders)}); accuracy in %, differences in points\n")
    print("| task | head | k | held-out | raw pixels | part (r = 1) | full (full-only) | staged r = 0.5 | full - raw | part - raw | staged - full |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (task, head), d in rows.items():
        m = {k: 100 * np.mean(d[k]) for k in ("full", "part", "staged", "raw")}
        print(f"| {task} | {head} | {d['shots']} | {d['held']} | {m['raw']:.1f} | {m['part']:.1f} | {m['full']:.1f} | {m['staged']:.1f} | "
              f"{m['full'] - m['raw']:+.1f} | {m['part'] - m['raw']:+.1f} | {m['staged'] - m['full']:+.1f} |")


if __name__ == "__main__":
    main(sys.argv[1:])
