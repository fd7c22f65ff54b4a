"""Fashion-MNIST from its IDX files (gzipped or not), as the Java side reads it: pixels p / 255 in float32."""
import gzip
import os

import numpy as np
import torch

DEFAULT_DIR = "/usr/share/datasets/fashion-mnist"
FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


def _open(directory, stem):
    for name, opener in ((stem + ".gz", gzip.open), (stem, open)):
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            return path, opener
    raise SystemExit(f"fashion-mnist: neither {stem}.gz nor {stem} in {directory}; install Debian's "
                     f"dataset-fashion-mnist or pass --data-dir")


def _read_idx(directory, stem, magic, dims):
    path, opener = _open(directory, stem)
    with opener(path, "rb") as f:
        data = f.read()
    header = np.frombuffer(data[:4 + 4 * dims], dtype=">u4")
    if header[0] != magic:
        raise SystemExit(f"{path}: IDX magic {header[0]:#x}, expected {magic:#x}")
    shape = tuple(int(v) for v in header[1:])
    body = np.frombuffer(data[4 + 4 * dims:], dtype=np.uint8)
    if body.size != int(np.prod(shape)):
        raise SystemExit(f"{path}: {body.size} bytes of data, the header announces {shape}")
    return body.reshape(shape)


def load(split, directory=DEFAULT_DIR):
    """(x, y): x float32 (N, 1, 28, 28) in [0,1], y int64 (N)."""
    images, labels = FILES[split]
    x = _read_idx(directory, images, 0x00000803, 3)
    y = _read_idx(directory, labels, 0x00000801, 1)
    if x.shape[0] != y.shape[0]:
        raise SystemExit(f"fashion-mnist {split}: {x.shape[0]} images but {y.shape[0]} labels")
    xs = torch.from_numpy(x.astype(np.float32)).div_(255.0).unsqueeze(1)
    return xs.contiguous(), torch.from_numpy(y.astype(np.int64))
