"""SSKD training of the MicroT student (docs/TRAINING.md).

The student plus a linear projection learns the ResNet-18 teacher's embedding with MSE on the
unlabeled pool (Fashion-MNIST train split; labels are never loaded here). --joint adds the part
model's own projection and sums both losses (MicroT joint training); without it only the full
model is distilled (the "unoptimized" extractor).

  python3 tools/training/train.py --joint --epochs 15 --out artifacts/training/joint
"""
import argparse, json, os, time
import numpy as np
import torch
import torch.nn.functional as F

import common
from student import Student, Distiller, budget, ARCH


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--joint", action="store_true", help="train part and full together (summed losses)")
    p.add_argument("--epochs", type=int, default=15)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--limit", type=int, default=0, help="use only the first N pool images (smoke runs)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--data", default=None, help="folder with the MicroT.Teacher arrays")
    p.add_argument("--images", default=None,
                   help="the pool's images, uint8 [N,32,32] .npy (tools/training/datasets.py); default: "
                        "Fashion-MNIST train images at pool_indices")
    p.add_argument("--shift", type=int, default=0,
                   help="augmentation: move each training image by up to this many pixels (zero fill); "
                        "the target stays the teacher's embedding of the unmoved image")
    p.add_argument("--out", required=True)
    a = p.parse_args()
    common.setup_torch(a.threads, a.seed)
    os.makedirs(a.out, exist_ok=True)

    indices = common.load("pool_indices", a.data)
    teacher = common.load("pool_teacher", a.data).astype(np.float32)
    if a.limit:
        indices, teacher = indices[: a.limit], teacher[: a.limit]
    if a.images:
        pool = np.load(a.images)
        if len(pool) < len(indices) or pool.shape[1:] != (32, 32):
            raise SystemExit(f"{a.images}: {pool.shape} does not hold the {len(indices)} 32x32 pool images")
        x = torch.from_numpy(pool[indices].astype(np.float32) / 255.0).unsqueeze(1)
    else:
        x = common.to_input(common.load("fashion_train_images", a.data)[indices])
    # Targets: centred per dimension and scaled by one global std, so the loss starts near 1
    # and every dimension keeps its relative weight.
    mean = teacher.mean(axis=0, keepdims=True)
    scale = float((teacher - mean).std())
    t = torch.from_numpy((teacher - mean) / scale)

    n = len(x)
    n_val = max(1, n // 20)  # last 5% of the (already shuffled) pool: validation MSE
    x_train, t_train, x_val, t_val = x[:-n_val], t[:-n_val], x[-n_val:], t[-n_val:]

    student = Student()
    model = Distiller(student)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    steps = a.epochs * ((len(x_train) + a.batch - 1) // a.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr, total_steps=steps, pct_start=0.15)
    log = []
    start = time.time()
    for epoch in range(a.epochs):
        model.train()
        perm = torch.randperm(len(x_train))
        total_full = total_part = 0.0
        for i in range(0, len(x_train), a.batch):
            idx = perm[i: i + a.batch]
            xb = shift(x_train[idx], a.shift) if a.shift else x_train[idx]
            part_pred, full_pred = model(xb)
            loss_full = F.mse_loss(full_pred, t_train[idx])
            loss_part = F.mse_loss(part_pred, t_train[idx])
            loss = loss_full + loss_part if a.joint else loss_full
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total_full += loss_full.item() * len(idx)
            total_part += loss_part.item() * len(idx)
        val = validate(model, x_val, t_val)
        entry = {"epoch": epoch + 1, "train_full": total_full / len(x_train), "train_part": total_part / len(x_train),
                 "val_full": val[1], "val_part": val[0], "seconds": round(time.time() - start, 1)}
        log.append(entry)
        print(json.dumps(entry), flush=True)

    torch.save(student.state_dict(), os.path.join(a.out, "student.pt"))
    info = {"joint": a.joint, "arch": ARCH, "shift": a.shift, "images": a.images and os.path.basename(a.images), "epochs": a.epochs, "batch": a.batch, "lr": a.lr, "pool": n, "seed": a.seed,
            "train_seconds": round(time.time() - start, 1), "log": log,
            **{k: v for k, v in budget(student).items() if k != "layers"}}
    with open(os.path.join(a.out, "train.json"), "w") as f:
        json.dump(info, f, indent=1)
    print(f"trained in {info['train_seconds']} s -> {a.out}")


def shift(x, m):
    """Each image moved by its own random (dy, dx) in [-m, m], zero fill (torch's global RNG)."""
    n, _, h, w = x.shape
    padded = F.pad(x, (m, m, m, m))
    d = torch.randint(0, 2 * m + 1, (n, 2))
    out = torch.empty_like(x)
    for k in range(n):
        dy, dx = int(d[k, 0]), int(d[k, 1])
        out[k] = padded[k, :, dy: dy + h, dx: dx + w]
    return out


@torch.no_grad()
def validate(model, x, t):
    model.eval()
    part, full = model(x)
    return F.mse_loss(part, t).item(), F.mse_loss(full, t).item()


if __name__ == "__main__":
    main()
