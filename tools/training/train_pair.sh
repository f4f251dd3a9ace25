#!/usr/bin/env bash
# One training seed of the recipe (docs/TRAINING.md), shared by run.sh and seeds.sh: the joint
# and the unoptimized extractor trained side by side (one thread each), float ONNX export, int8
# conversion (microt convert) and `microt eval` on every task over 3 draws of the shots with the
# default (ridge) head, beside the raw-pixel baseline. Needs the teacher embeddings of the pool
# (.data/training, written by MicroT.Teacher in run.sh) and the pool and tasks (fetch-data.sh).
#   bash tools/training/train_pair.sh EPOCHS SEED OUT
set -euo pipefail
if [ $# -ne 3 ] || [ "$1" = "--help" ]; then
  echo "usage: bash tools/training/train_pair.sh EPOCHS SEED OUT   (run.sh and seeds.sh call it)" >&2
  [ "${1:-}" = "--help" ] && exit 0 || exit 2
fi
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
epochs="$1"; seed="$2"; out="$3"
py=/usr/bin/python3
export MICROT_ARCH=s3
name=microt-s3
mkdir -p "$out"

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
