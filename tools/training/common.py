"""Shared helpers: the arrays MicroT.Teacher writes to .data/training, and input preprocessing."""
import os
import numpy as np
import torch

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def data_dir():
    root = os.environ.get("MICROT_DATA") or os.path.join(REPO, ".data")
    return os.path.join(root, "training")


def load(name, folder=None):
    path = os.path.join(folder or data_dir(), name + ".npy")
    if not os.path.exists(path):
        raise SystemExit(f"{path} is missing: run tools/training/run.sh (MicroT.Teacher writes it)")
    return np.load(path)


def to_input(images_u8):
    """uint8 [N,28,28] -> float [N,1,32,32] in [0,1], zero-padded by 2 (the model input)."""
    x = torch.from_numpy(images_u8.astype(np.float32) / 255.0).unsqueeze(1)
    return torch.nn.functional.pad(x, (2, 2, 2, 2))


def setup_torch(threads=2, seed=0):
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    np.random.seed(seed)
