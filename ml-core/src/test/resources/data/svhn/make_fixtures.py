#!/usr/bin/python3
"""Writes the tiny SVHN-format fixtures that SvhnTest reads, with an independent tool (scipy.io.savemat).

Run from this directory with Debian's python3 + python3-scipy:  /usr/bin/python3 make_fixtures.py
It writes, for each of plain/ (uncompressed MAT-5) and compressed/ (miCOMPRESSED, zlib):
  train_32x32.mat, test_32x32.mat  -- X uint8 (32, 32, 3, N) and y double (N, 1), as the real SVHN files
and, beside them, what a correct reader must produce, computed here by numpy indexing:
  {train,test}-expected-chw.bin    -- the N examples as uint8 in (N, C, H, W) order, C-contiguous
  {train,test}-expected-labels.txt -- one label per line, 10 already mapped to 0
and, under malformed/<case>/test_32x32.mat, files a reader must refuse with a clear message.
"""
import os

import numpy as np
import scipy.io

SIZES = {"train": 5, "test": 3}
# Label 10 means digit 0 in SVHN; every split holds a 10.
LABELS = {"train": [10, 1, 2, 9, 5], "test": [3, 10, 7]}


def images(n, seed):
    # Distinct values along every axis, so that a transposed or mirrored reading gives other bytes.
    h, w, c, i = np.meshgrid(np.arange(32), np.arange(32), np.arange(3), np.arange(n), indexing="ij")
    return ((h * 7 + w * 13 + c * 71 + i * 29 + seed) % 256).astype(np.uint8)


for compressed, folder in ((False, "plain"), (True, "compressed")):
    for seed, split in enumerate(("train", "test")):
        x = images(SIZES[split], seed)
        y = np.array(LABELS[split], dtype=np.float64).reshape(-1, 1)
        scipy.io.savemat(f"{folder}/{split}_32x32.mat", {"X": x, "y": y}, do_compression=compressed,
                         format="5", oned_as="column")
        if compressed:
            continue
        np.ascontiguousarray(x.transpose(3, 2, 0, 1)).tofile(f"{split}-expected-chw.bin")
        with open(f"{split}-expected-labels.txt", "w") as out:
            out.writelines(f"{label % 10}\n" for label in LABELS[split])

# Well-formed MAT-files whose content is not SVHN's.
MALFORMED = {
    "wrong-dims": {"X": images(2, 0)[:28, :28], "y": np.array([[1.0], [2.0]])},
    "label-out-of-range": {"X": images(2, 0), "y": np.array([[11.0], [2.0]])},
    "no-images": {"images": images(2, 0), "y": np.array([[1.0], [2.0]])},
    "count-mismatch": {"X": images(2, 0), "y": np.array([[1.0], [2.0], [3.0]])},
}
for case, variables in MALFORMED.items():
    os.makedirs(f"malformed/{case}", exist_ok=True)
    scipy.io.savemat(f"malformed/{case}/test_32x32.mat", variables, do_compression=True, format="5")
