"""Minimal safetensors reader/writer (no dependency beyond numpy).

Layout (https://github.com/huggingface/safetensors): 8 bytes little-endian
header length N, N bytes of JSON header, then the raw little-endian data.
The header lists tensors sorted by name with contiguous data offsets and is
padded with spaces to a multiple of 8 bytes, as the reference implementation
does. dtypes F32, F16, BF16 and F64 are supported (the ones the lstmscope
engine reads, models/FORMAT.md).
"""

import json
import struct

import numpy as np

DTYPES = ("F32", "F16", "BF16", "F64")
_ITEMSIZE = {"F32": 4, "F16": 2, "BF16": 2, "F64": 8}


def _to_numpy(value):
    """numpy array of float64/float32 from a numpy array, torch tensor or list."""
    if hasattr(value, "detach"):  # torch.Tensor without importing torch
        value = value.detach().cpu()
        if str(value.dtype) == "torch.bfloat16":
            value = value.float()
        value = value.numpy()
    return np.asarray(value)


def float32_to_bf16_bits(array):
    """uint16 bfloat16 bits of a float32 array, rounded to nearest even
    (what torch's .to(torch.bfloat16) does)."""
    a = np.ascontiguousarray(array, dtype=np.float32)
    bits = a.view(np.uint32).astype(np.uint64)
    rounding = ((bits >> 16) & 1) + 0x7FFF
    out = ((bits + rounding) >> 16).astype(np.uint16)
    nan = np.isnan(a)
    if nan.any():
        out[nan] = 0x7FC0
    return out


def bf16_bits_to_float32(bits):
    bits = np.asarray(bits, dtype=np.uint16).astype(np.uint32) << 16
    return bits.view(np.float32)


def round_to_dtype(array, dtype):
    """float32 array holding exactly the values that storing `array` as
    `dtype` and reading it back as float32 yields."""
    a = np.asarray(_to_numpy(array), dtype=np.float32)
    if dtype in ("F32", "F64"):
        return a.copy()
    if dtype == "F16":
        return a.astype(np.float16).astype(np.float32)
    if dtype == "BF16":
        return bf16_bits_to_float32(float32_to_bf16_bits(a)).reshape(a.shape)
    raise ValueError(f"unsupported dtype {dtype!r}")


def _encode(array, dtype):
    a = _to_numpy(array)
    if dtype == "F32":
        return np.ascontiguousarray(a, dtype="<f4").tobytes()
    if dtype == "F64":
        return np.ascontiguousarray(a, dtype="<f8").tobytes()
    if dtype == "F16":
        return np.ascontiguousarray(a.astype(np.float32), dtype="<f2").tobytes()
    if dtype == "BF16":
        return np.ascontiguousarray(float32_to_bf16_bits(a.astype(np.float32)), dtype="<u2").tobytes()
    raise ValueError(f"unsupported dtype {dtype!r}")


def write(path, tensors, dtype="F32", metadata=None):
    """Write {name: array} to `path`. `dtype` is one of F32, F16, BF16, F64,
    or a dict {name: dtype} for mixed files. `metadata` is a {str: str} dict
    stored as __metadata__."""
    header = {}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        dt = dtype[name] if isinstance(dtype, dict) else dtype
        if dt not in DTYPES:
            raise ValueError(f"{name}: unsupported dtype {dt!r}")
        a = _to_numpy(tensors[name])
        data = _encode(a, dt)
        assert len(data) == _ITEMSIZE[dt] * int(np.prod(a.shape, dtype=np.int64))
        header[name] = {"dtype": dt, "shape": [int(s) for s in a.shape],
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((-len(text)) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def read_header(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        return json.loads(f.read(n).decode("utf-8"))


def read(path, with_metadata=False):
    """{name: float32 numpy array}; with_metadata=True returns (tensors, metadata)."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    base = 8 + n
    metadata = header.pop("__metadata__", {})
    out = {}
    for name, info in header.items():
        dt = info["dtype"]
        begin, end = info["data_offsets"]
        shape = tuple(info["shape"])
        if dt not in DTYPES:
            raise ValueError(f"{path}: tensor {name}: unsupported dtype {dt}")
        if end - begin != _ITEMSIZE[dt] * int(np.prod(shape, dtype=np.int64)):
            raise ValueError(f"{path}: tensor {name}: size does not match shape")
        if base + end > len(raw) or begin > end:
            raise ValueError(f"{path}: tensor {name}: offsets outside the file")
        buf = raw[base + begin:base + end]
        if dt == "F32":
            a = np.frombuffer(buf, dtype="<f4")
        elif dt == "F64":
            a = np.frombuffer(buf, dtype="<f8").astype(np.float32)
        elif dt == "F16":
            a = np.frombuffer(buf, dtype="<f2").astype(np.float32)
        else:
            a = bf16_bits_to_float32(np.frombuffer(buf, dtype="<u2"))
        out[name] = np.array(a, dtype=np.float32).reshape(shape)
    return (out, metadata) if with_metadata else out
