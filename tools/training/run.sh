#!/usr/bin/env bash
# Reproduces the shipped extractor from nothing but the registries (docs/TRAINING.md):
# set-up, data, teacher embeddings, joint and unoptimized training (run side by side, one
# thread each), float ONNX export, int8 conversion (microt convert), int8 features through the
# runtime, linear-probe evaluation of float and int8 features. Outputs go to artifacts/training/.
#   bash tools/training/run.sh [epochs=8]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
epochs="${1:-8}"
out=artifacts/training
py=/usr/bin/python3
mkdir -p "$out"
start=$(date +%s)

bash tools/training/setup.sh
bash tools/fetch-data.sh
nice dotnet run --project tools/MicroT.Teacher -c Release -- --pool 12000 --size 96

# Two single-threaded runs side by side: on a busy 2-core machine this is several times
# faster than one run after the other with two threads each (OpenMP threads wait on each other).
nice $py tools/training/train.py --joint --epochs "$epochs" --batch 256 --lr 4e-3 --threads 1 --out "$out/joint" > "$out/joint.log" &
joint=$!
nice $py tools/training/train.py --epochs "$epochs" --batch 256 --lr 4e-3 --threads 1 --out "$out/unoptimized" > "$out/unoptimized.log" &
unoptimized=$!
wait $joint
wait $unoptimized
tail -n 1 "$out/joint.log" "$out/unoptimized.log"

nice $py tools/training/export_onnx.py "$out/joint"
# int8 through the converter (one quantizer, one writer), split at the node named `split`.
nice dotnet run --project tools/MicroT.Cli -c Release -- convert "$out/joint/microt-fmnist-s.onnx" \
  --calibration fashion-mnist --calibration-count 256 --split split --self-test 2 --name microt-fmnist-s \
  -o "$out/microt-fmnist-s.mtm" --force
nice dotnet run --project tools/MicroT.Teacher -c Release -- int8-features "$out/microt-fmnist-s.mtm" --out "$out/int8"
nice $py tools/training/evaluate.py --model joint="$out/joint" --model unoptimized="$out/unoptimized" \
  --model random= --int8 joint-int8="$out/int8" --out "$out/results.json"
echo "run.sh: done in $(( $(date +%s) - start )) s; copy $out/microt-fmnist-s.mtm to zoo/ to ship it"
