"""The MicroT student: a depthwise-separable CNN for a plain ESP32 (docs/TRAINING.md).

Input 1x32x32 gray in [0, 1] (28x28 images padded by 2 on each side). All convs pad SAME
(TFLite convention). Layout:

  stem   conv3x3 s2, 1->16, BN, ReLU6                         16x16x16
  b0     dw3x3 s1 16, BN, ReLU6; pw 16->32, BN, ReLU6         16x16x32
  b1     dw3x3 s2 32, BN, ReLU6; pw 32->64, BN, ReLU6          8x8x64   <- split (k = 2)
  b2     dw3x3 s1 64 ...; pw 64->64, + residual                8x8x64
  b3     dw3x3 s2 64 ...; pw 64->128                           4x4x128
  b4     dw3x3 s1 128 ...; pw 128->128, + residual             4x4x128
  GAP -> 128-d full features; the part model is stem + b0 + b1 + GAP -> 64-d part features.

During training each feature vector has its own linear projection to the teacher's 512-d
embedding; projections are dropped at export.
"""
import os
import torch
import torch.nn as nn

# Architectures: stem channels, (out channels, stride) of blocks b0.., blocks in the part model,
# and the full features' pooling: "gap" (global average) or "grid" (a depthwise 4x4 VALID conv
# over the final 4x4 map: one learned spatial weighting per channel, started as the average,
# so the full features keep where things are).
ARCHS = {
    # microt-fmnist-s, the first zoo model.
    "s1": dict(stem=16, stages=[(32, 1), (64, 2), (64, 1), (128, 2), (128, 1)], split=2, pool="gap"),
    # microt-s2: down to 8x8 early (cheap part model), the depth at 8x8, grid-pooled full features.
    "s2": dict(stem=12, stages=[(32, 2), (64, 1), (64, 1), (64, 1), (128, 2)], split=2, pool="grid"),
    # microt-s3: s2's network, and the part features keep layout too: a depthwise 8x8 VALID conv
    # over the split map (one learned spatial weighting per channel, started as the average)
    # instead of the global average.
    "s3": dict(stem=12, stages=[(32, 2), (64, 1), (64, 1), (64, 1), (128, 2)], split=2, pool="grid", part_pool="grid"),
}
ARCH = os.environ.get("MICROT_ARCH", "s3")
STAGES = ARCHS[ARCH]["stages"]
STEM_CHANNELS = ARCHS[ARCH]["stem"]
SPLIT_BLOCKS = ARCHS[ARCH]["split"]  # part model = stem + blocks[0:SPLIT_BLOCKS]
POOL = ARCHS[ARCH]["pool"]
PART_POOL = ARCHS[ARCH].get("part_pool", "gap")
INPUT_SIDE = 32
TEACHER_DIM = 512


def conv_bn(cin, cout, k, stride, groups=1, act=True):
    # TFLite SAME padding, which the int8 kernels implement: on even sizes a stride-2 3x3 conv
    # pads one row/column at the bottom/right only (PyTorch's padding=1 would pad the top).
    if stride == 1:
        layers = [nn.Conv2d(cin, cout, k, 1, k // 2, groups=groups, bias=False)]
    else:
        layers = [nn.ZeroPad2d((0, k - stride, 0, k - stride)), nn.Conv2d(cin, cout, k, stride, 0, groups=groups, bias=False)]
    layers.append(nn.BatchNorm2d(cout))
    if act:
        layers.append(nn.ReLU6(inplace=False))
    return nn.Sequential(*layers)


def grid_conv(channels, side):
    """Depthwise side x side VALID conv with bias, no activation: one learned spatial weighting
    per channel over a side x side map, started as the plain average."""
    g = nn.Conv2d(channels, channels, side, 1, 0, groups=channels, bias=True)
    nn.init.constant_(g.weight, 1.0 / (side * side))
    nn.init.zeros_(g.bias)
    return g


class Block(nn.Module):
    """Depthwise 3x3 then pointwise 1x1, each with BN and ReLU6; residual add when shapes match."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.dw = conv_bn(cin, cin, 3, stride, groups=cin)
        self.pw = conv_bn(cin, cout, 1, 1)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.pw(self.dw(x))
        return x + y if self.residual else y


class Student(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = conv_bn(1, STEM_CHANNELS, 3, 2)
        blocks, cin = [], STEM_CHANNELS
        for cout, stride in STAGES:
            blocks.append(Block(cin, cout, stride))
            cin = cout
        self.blocks = nn.ModuleList(blocks)
        self.part_dim = STAGES[SPLIT_BLOCKS - 1][0]
        self.full_dim = STAGES[-1][0]
        self.grid = None
        if POOL == "grid":
            side = INPUT_SIDE // 2
            for _, stride in STAGES:
                side //= stride
            self.grid = grid_conv(cin, side)
        self.part_grid = None
        if PART_POOL == "grid":
            side = INPUT_SIDE // 2
            for _, stride in STAGES[:SPLIT_BLOCKS]:
                side //= stride
            self.part_grid = grid_conv(self.part_dim, side)

    def pool(self, x):
        return x.mean(dim=(2, 3)) if self.grid is None else torch.flatten(self.grid(x), 1)

    def part_pool(self, x):
        return x.mean(dim=(2, 3)) if self.part_grid is None else torch.flatten(self.part_grid(x), 1)

    def forward(self, x):
        """Returns (part features, full features), both after global average pooling."""
        x = self.stem(x)
        part = None
        for i, block in enumerate(self.blocks):
            x = block(x)
            if i == SPLIT_BLOCKS - 1:
                part = self.part_pool(x)
        return part, self.pool(x)


class Distiller(nn.Module):
    """Student plus the two linear projections to the teacher embedding (training only)."""

    def __init__(self, student):
        super().__init__()
        self.student = student
        self.part_proj = nn.Linear(student.part_dim, TEACHER_DIM)
        self.full_proj = nn.Linear(student.full_dim, TEACHER_DIM)

    def forward(self, x):
        part, full = self.student(x)
        return self.part_proj(part), self.full_proj(full)


class ExportFull(nn.Module):
    """What goes to ONNX: input -> full features (the split is marked by node name); with a
    learned part pooling also the part features, as a second output computed from the split."""

    def __init__(self, student):
        super().__init__()
        self.student = student

    def forward(self, x):
        s = self.student
        x = s.stem(x)
        part = None
        for i, block in enumerate(s.blocks):
            x = block(x)
            if i == SPLIT_BLOCKS - 1 and s.part_grid is not None:
                part = torch.flatten(s.part_grid(x), 1)
        full = self.full(x)
        return full if part is None else (full, part)

    def full(self, x):
        s = self.student
        if s.grid is not None:
            return torch.flatten(s.grid(x), 1)
        return torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1)


def budget(student):
    """MACs (part, full), int8 weight bytes, int32 bias bytes, and a simple arena estimate:
    the largest input+output pair of any layer, plus the block input kept for a residual."""
    side = INPUT_SIDE
    macs_part = macs = 0
    weights = biases = 0
    arena = 0
    layers = [("stem", student.stem, False)]
    for i, b in enumerate(student.blocks):
        layers.append((f"b{i}.dw", b.dw, False))
        layers.append((f"b{i}.pw", b.pw, b.residual))
    rows = []
    for name, seq, residual in layers:
        conv = next(m for m in seq if isinstance(m, nn.Conv2d))
        cin, cout = conv.in_channels, conv.out_channels
        k, stride = conv.kernel_size[0], conv.stride[0]
        out_side = (side - 1) // stride + 1  # SAME
        m = out_side * out_side * cout * k * k * cin // conv.groups
        macs += m
        weights += conv.weight.numel()
        biases += 4 * cout
        in_bytes, out_bytes = side * side * cin, out_side * out_side * cout
        arena = max(arena, in_bytes + out_bytes + (out_bytes if residual else 0))
        rows.append((name, side, out_side, cin, cout, m))
        side = out_side
        if name == f"b{SPLIT_BLOCKS - 1}.pw":
            macs_part = macs
    if student.grid is not None:
        g = student.grid
        macs += g.in_channels * side * side
        weights += g.weight.numel()
        biases += 4 * g.out_channels
        rows.append(("grid", side, 1, g.in_channels, g.out_channels, g.in_channels * side * side))
    if student.part_grid is not None:  # part features: counted in both the part and the full model
        g = student.part_grid
        m = g.in_channels * g.kernel_size[0] * g.kernel_size[1]
        macs_part += m
        macs += m
        weights += g.weight.numel()
        biases += 4 * g.out_channels
        rows.append(("pgrid", g.kernel_size[0], 1, g.in_channels, g.out_channels, m))
    return {
        "part_macs": macs_part, "full_macs": macs, "weight_bytes": weights, "bias_bytes": biases,
        "arena_bytes_estimate": arena, "layers": rows,
    }


if __name__ == "__main__":
    b = budget(Student())
    for r in b["layers"]:
        print("%-6s %2d->%2d  %3d->%3d  MACs %7d" % r)
    print({k: v for k, v in b.items() if k != "layers"},
          "part share %.1f%%" % (100.0 * b["part_macs"] / b["full_macs"]))
