#!/usr/bin/python3
"""Small HDF5 files for tests/engine/test_hdf5_file.cpp, written with h5py
(Debian's python3-h5py) in the encodings Keras 2 and Keras 3 use, and
committed to tests/data/keras/ so the tests need no Python:

  encodings.h5   a variable-length str attribute (Keras 3's model_config), a
                 fixed-length bytes array (Keras 2's layer_names), a list split
                 over name0/name1 (Keras past 64 KB), nested groups, and float16,
                 float32, float64 and int32 datasets with known values
  truncated.h5   the first half of encodings.h5 (a broken download)

usage: /usr/bin/python3 tools/make_hdf5_fixtures.py
"""

import os

import h5py
import numpy as np

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "data", "keras")


def main():
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "encodings.h5")
    with h5py.File(path, "w") as f:
        f.attrs["model_config"] = '{"class_name": "Functional", "config": {"name": "m\u00e9"}}'
        f.attrs["keras_version"] = "3.12.2"
        f.attrs["layer_names"] = np.array([b"embedding", b"bidirectional", b"dense"], dtype="S13")
        f.attrs["weight_names0"] = np.array([b"a:0", b"b:0"])
        f.attrs["weight_names1"] = np.array([b"c:0"])
        g = f.create_group("model_weights/dense/dense")
        f["model_weights/dense"].attrs["weight_names"] = np.array([b"dense/kernel:0", b"dense/bias:0"])
        g["kernel:0"] = np.arange(6, dtype=np.float32).reshape(2, 3) / 4
        g["bias:0"] = np.array([0.5, -1.5, 2.25], dtype=np.float64)
        g["half"] = np.array([1.5, -0.25], dtype=np.float16)
        g["ints"] = np.array([[1, -2], [3, 4]], dtype=np.int32)
        f["scalar"] = np.float32(7.0)
    data = open(path, "rb").read()
    with open(os.path.join(OUT, "truncated.h5"), "wb") as f:
        f.write(data[: len(data) // 2])
    print("wrote", path)


if __name__ == "__main__":
    main()
