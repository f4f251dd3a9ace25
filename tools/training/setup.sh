#!/usr/bin/env bash
# Installs the training framework from Debian (idempotent, quiet): PyTorch 1.13, onnx 1.12 and
# scikit-learn for /usr/bin/python3. TorchSharp does not load on Debian 12 (docs/TRAINING.md).
set -euo pipefail
if /usr/bin/python3 -c "import torch, onnx, sklearn" 2>/dev/null; then exit 0; fi
source "$(dirname "$0")/../apt-get.sh"   # waits for the apt lock instead of failing
apt_get update -qq
apt_get install -y -qq python3-torch python3-onnx python3-sklearn
/usr/bin/python3 -c "import torch, onnx, sklearn; print('training framework: torch', torch.__version__, 'onnx', onnx.__version__, 'sklearn', sklearn.__version__)"
