#!/usr/bin/env bash
# Reproduces the shipped extractor from nothing but the registries (docs/TRAINING.md):
# set-up, data (the 40,000-image pool and the rendered tasks), teacher embeddings, joint and
# unoptimized training (side by side, one thread each), float ONNX export, int8 conversion
# (microt convert), int8 features through the runtime, linear-probe evaluation, and
# `microt eval` on every task. Outputs go to artifacts/training/.
#   bash tools/training/run.sh [epochs=16] [seed=0]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
epochs="${1:-16}"
seed="${2:-0}"
out=artifacts/training
py=/usr/bin/python3
export MICROT_ARCH=s3
name=microt-s3
mkdir -p "$out"
start=$(date +%s)

bash tools/training/setup.sh
bash tools/fetch-data.sh --pool --tasks
nice dotnet run --project tools/MicroT.Teacher -c Release -- --images .data/pool/pool_images.npy --size 96

# Joint and unoptimized training side by side, export, conversion, `microt eval` (train_pair.sh).
bash tools/training/train_pair.sh "$epochs" "$seed" "$out"
cp "$out/joint/$name.mtm" "$out/$name.mtm"
nice dotnet run --project tools/MicroT.Teacher -c Release -- int8-features "$out/$name.mtm" --out "$out/int8"
nice $py tools/training/evaluate.py --model joint="$out/joint" --model unoptimized="$out/unoptimized" \
  --model random= --int8 joint-int8="$out/int8" --out "$out/results.json"
nice $py tools/training/card_check.py "$out/int8"
cat "$out/eval-joint.md"
echo "run.sh: done in $(( $(date +%s) - start )) s; copy $out/$name.mtm and $out/joint/$name.onnx to zoo/ to ship it"
