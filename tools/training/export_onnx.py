"""Float ONNX export of a trained student (docs/TRAINING.md, "The ONNX file").

Input `input` [1,1,32,32] float in [0,1]; output `features` [1,128] (full features). BatchNorm
is folded into the convolutions (eval-mode export), ReLU6 is Clip(0,6), opset 13. Stride-2
convs carry pads [0,0,1,1] (TFLite SAME on even sizes; torch's Pad subgraph is folded in). Nodes are
renamed after the layers (stem, b0.dw, b0.pw, ...); the Clip that ends the part model's last
block is named `split` (its output tensor too): the part model is every node up to and
including `split`, followed by global average pooling; or, for a student with a learned part
pooling (MICROT_ARCH=s3), a second output `part` [1,64]: the conv `part_grid` of the split
tensor (the converter's part head).

  python3 tools/training/export_onnx.py artifacts/training/joint
"""
import sys, os
import onnx
import torch

import common
from student import Student, ExportFull, SPLIT_BLOCKS, INPUT_SIDE, ARCH


def fold_pads(model):
    """torch exports ZeroPad2d as a Pad fed by a chain of shape ops; the Pad before each
    stride-2 conv is moved into that Conv's own pads attribute (bottom/right only: TFLite SAME),
    Identity nodes on constants are bypassed, and the nodes nothing reads any more are dropped."""
    g = model.graph
    for pad in [n for n in g.node if n.op_type == "Pad"]:
        readers = [n for n in g.node if pad.output[0] in n.input]
        if len(readers) != 1 or readers[0].op_type != "Conv":
            raise SystemExit(f"Pad {pad.name} is not read by exactly one Conv")
        conv = readers[0]
        attrs = {a.name: a for a in conv.attribute}
        k, stride = list(attrs["kernel_shape"].ints), list(attrs["strides"].ints)
        if list(attrs["pads"].ints) != [0, 0, 0, 0] or k[0] - stride[0] != 1:
            raise SystemExit(f"Conv {conv.name}: expected pads 0 and kernel - stride = 1 after a Pad")
        attrs["pads"].ints[:] = [0, 0, 1, 1]  # top, left, bottom, right
        conv.input[0] = pad.input[0]
        g.node.remove(pad)
    # torch shares equal constants through Identity nodes; read the initializer directly.
    inits = {t.name for t in g.initializer}
    for ident in [n for n in g.node if n.op_type == "Identity" and n.input[0] in inits]:
        for n in g.node:
            n.input[:] = [ident.input[0] if i == ident.output[0] else i for i in n.input]
        g.node.remove(ident)
    live = {o.name for o in g.output}
    keep = []
    for n in reversed(list(g.node)):
        if any(o in live for o in n.output):
            keep.append(n)
            live.update(n.input)
    del g.node[:]
    g.node.extend(reversed(keep))


def export(folder, name=None):
    name = name or {"s1": "microt-fmnist-s", "s2": "microt-s2", "s3": "microt-s3"}[ARCH]
    common.setup_torch()
    student = Student()
    student.load_state_dict(torch.load(os.path.join(folder, "student.pt")))
    student.eval()
    path = os.path.join(folder, name + ".onnx")
    outputs = ["features"] if student.part_grid is None else ["features", "part"]
    torch.onnx.export(ExportFull(student), torch.zeros(1, 1, INPUT_SIDE, INPUT_SIDE), path,
                      input_names=["input"], output_names=outputs, opset_version=13,
                      do_constant_folding=True)
    model = onnx.load(path)
    fold_pads(model)
    layer_names = ["stem"] + [f"b{i}.{kind}" for i in range(len(student.blocks)) for kind in ("dw", "pw")]
    convs = [n for n in model.graph.node if n.op_type == "Conv"]
    clips = [n for n in model.graph.node if n.op_type == "Clip"]
    if student.part_grid is not None:  # the part grid conv (no activation) feeds the `part` output's Flatten
        flat = next(n for n in model.graph.node if "part" in n.output)
        pgrid = next(n for n in convs if n.output[0] == flat.input[0])
        pgrid.name = "part_grid"
        convs = [n for n in convs if n is not pgrid]
    if student.grid is not None:  # the grid pooling conv ends the graph, with no activation
        grid = next(n for n in convs if n.output[0] == next(f for f in model.graph.node if "features" in f.output).input[0])
        grid.name = "grid"
        convs = [n for n in convs if n is not grid]
    if len(convs) != len(layer_names) or len(clips) != len(layer_names):
        raise SystemExit(f"unexpected graph: {len(convs)} Conv and {len(clips)} Clip for {len(layer_names)} layers")
    for conv, clip, layer in zip(convs, clips, layer_names):
        conv.name = layer
        clip.name = layer + ".relu6"
    split = clips[2 * SPLIT_BLOCKS]  # stem, then dw+pw per block
    old = split.output[0]
    split.name = "split"
    for n in model.graph.node:
        n.input[:] = ["split" if i == old else i for i in n.input]
    split.output[0] = "split"
    for i, n in enumerate(model.graph.node):
        if not n.name:
            n.name = f"{n.op_type.lower()}{i}"
    model.doc_string = "MicroT student (tools/training); node 'split' ends the part model"
    onnx.checker.check_model(model)
    inferred = onnx.shape_inference.infer_shapes(model)
    shape = next(v for v in inferred.graph.value_info if v.name == "split").type.tensor_type.shape
    dims = [d.dim_value for d in shape.dim]
    if dims != [1, student.part_dim, 8, 8]:
        raise SystemExit(f"split tensor has shape {dims}, expected [1, {student.part_dim}, 8, 8]")
    onnx.save(model, path)
    print(f"exported {path} ({os.path.getsize(path)} bytes); split tensor {dims}; ops:",
          sorted({n.op_type for n in model.graph.node}))
    return path


if __name__ == "__main__":
    export(sys.argv[1], *(sys.argv[2:3]))
