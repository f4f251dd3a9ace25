#!/usr/bin/env bash
# Joint vs unoptimized over more training seeds (issue 14, docs/TRAINING.md): after run.sh (which
# trains seed 0 into artifacts/training and leaves the teacher embeddings in .data/training), trains
# the pair for each SEED with train_pair.sh into artifacts/training/seed-SEED, then prints the
# comparison over seed 0 and the given seeds (eval_summary.py --compare).
#   bash tools/training/seeds.sh [epochs=16] SEED...      e.g. bash tools/training/seeds.sh 16 1 2
set -euo pipefail
if [ $# -lt 2 ] || [ "$1" = "--help" ]; then
  echo "usage: bash tools/training/seeds.sh EPOCHS SEED...   (after tools/training/run.sh)" >&2
  [ "${1:-}" = "--help" ] && exit 0 || exit 2
fi
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
epochs="$1"; shift
[ -f .data/training/pool_teacher.npy ] || { echo "seeds.sh: .data/training/pool_teacher.npy is missing: run tools/training/run.sh first" >&2; exit 1; }
[ -f artifacts/training/eval-joint.md ] || { echo "seeds.sh: artifacts/training holds no finished seed-0 run: run tools/training/run.sh first" >&2; exit 1; }
dirs=(artifacts/training)
for s in "$@"; do
  [ -e "artifacts/training/seed-$s" ] && { echo "seeds.sh: artifacts/training/seed-$s exists: remove it to retrain" >&2; exit 1; }
done
for s in "$@"; do
  bash tools/training/train_pair.sh "$epochs" "$s" "artifacts/training/seed-$s"
  dirs+=("artifacts/training/seed-$s")
done
/usr/bin/python3 tools/training/eval_summary.py --compare "${dirs[@]}" | tee artifacts/training/seeds.md
