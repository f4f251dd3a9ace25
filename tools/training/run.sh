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

# Two single-threaded runs side by side: on a busy 2-core machine this is several times
# faster than one run after the other with two threads each (OpenMP threads wait on each other).
common=(--images .data/pool/pool_images.npy --shift 2 --epochs "$epochs" --batch 256 --lr 4e-3 --threads 1 --seed "$seed")
nice -n 10 $py tools/training/train.py --joint "${common[@]}" --out "$out/joint" > "$out/joint.log" &
joint=$!
nice -n 10 $py tools/training/train.py "${common[@]}" --out "$out/unoptimized" > "$out/unoptimized.log" &
unoptimized=$!
wait $joint
wait $unoptimized
tail -n 1 "$out/joint.log" "$out/unoptimized.log"

for m in joint unoptimized; do
  nice $py tools/training/export_onnx.py "$out/$m"
  # int8 through the converter (one quantizer, one writer), split at the node named `split`.
  nice dotnet run --project tools/MicroT.Cli -c Release -- convert "$out/$m/$name.onnx" \
    --calibration fashion-mnist --calibration-count 256 --split split --self-test 2 --name "$name" -o "$out/$m/$name.mtm" --force
done
cp "$out/joint/$name.mtm" "$out/$name.mtm"
nice dotnet run --project tools/MicroT.Teacher -c Release -- int8-features "$out/$name.mtm" --out "$out/int8"
nice $py tools/training/evaluate.py --model joint="$out/joint" --model unoptimized="$out/unoptimized" \
  --model random= --int8 joint-int8="$out/int8" --out "$out/results.json"
nice $py tools/training/card_check.py "$out/int8"
# The device's code path on every task, beside the raw-pixel baseline: 3 draws of the shots,
# the default head (ridge), MNIST and Fashion-MNIST on the first 300 test images per class.
for m in joint unoptimized; do
  for s in 1 2 3; do
    nice dotnet run --project tools/MicroT.Cli -c Release -- eval --model "$out/$m/$name.mtm" --head ridge --seed $s --held-out 300 \
      --task mnist --task fashion-mnist --task emoji --task georgian --task armenian -o "$out/eval-$m-$s" > "$out/eval-$m-$s.txt"
  done
done
nice $py tools/training/eval_summary.py "$out"/eval-joint-{1,2,3} > "$out/eval-joint.md"
nice $py tools/training/eval_summary.py "$out"/eval-unoptimized-{1,2,3} > "$out/eval-unoptimized.md"
cat "$out/eval-joint.md"
echo "run.sh: done in $(( $(date +%s) - start )) s; copy $out/$name.mtm and $out/joint/$name.onnx to zoo/ to ship it"
